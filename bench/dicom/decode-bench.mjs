// Decode time per transfer syntax, xray-gpu (decodeDicom, stored values) beside pydicom 2.3 + gdcm.
//   npm run build --silent
//   /usr/bin/python3 bench/dicom/decode_bench.py /tmp/dicom-bench > /tmp/dicom-bench/pydicom.json
//   node bench/dicom/decode-bench.mjs /tmp/dicom-bench/pydicom.json [--repeat 7]
// The first decode of a syntax (codec load and compile) is reported apart from the median of the rest.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const { decodeDicom } = await import(new URL('../../dist/src/codecs/dicom/index.js', import.meta.url).href);
const peer = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 7;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log('| syntax | file KiB | xray-gpu first ms | xray-gpu median ms | pydicom+gdcm median ms | ratio |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [name, { file, bytes, median_ms: theirs }] of Object.entries(peer.results)) {
  const data = new Uint8Array(readFileSync(file));
  const times = [];
  for (let k = 0; k <= repeat; k++) {
    const start = performance.now();
    await decodeDicom(data, { name: file, values: 'stored' });
    times.push(performance.now() - start);
  }
  const ours = median(times.slice(1));
  console.log(`| ${name} | ${(bytes / 1024).toFixed(0)} | ${times[0].toFixed(1)} | ${ours.toFixed(1)} | ${theirs.toFixed(1)} | ${(theirs / ours).toFixed(2)}x |`);
}
