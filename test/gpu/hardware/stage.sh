#!/usr/bin/env bash
# Stages the GPU-engine check (test/gpu/hardware/check.mjs) for a lent hardware GPU, which has no
# Node.js and no npm: the engine, the CPU engine and the parity table transpiled to JavaScript, plus
# Dawn (npm `webgpu`, linux-x64 only), packed as .gpucheck/stage.tar.xz (about 5 MB).
# Node and the Vulkan loader come from bench/remote-gpu/prepare.sh (.node/node.xz, .gl/*.deb).
# Then, with the device tool: run(carry=[".gl", ".node/node.xz", ".gpucheck"], command=
#   'for f in .gl/*.deb; do dpkg -x $f /; done; ldconfig;
#    export VK_ICD_FILENAMES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json;
#    mkdir -p /tmp/s && tar -C /tmp/s -xJf .gpucheck/stage.tar.xz && xz -dc .node/node.xz >/tmp/s/node &&
#    chmod +x /tmp/s/node && cd /tmp/s && ./node check.mjs | tee $OUT/log.txt')
# It prints parity failures (tiled and global kernels), per-op 1024x1024 timings, and writes
# $OUT/gpucheck.json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
grep -qx '/.gpucheck/' .git/info/exclude || echo '/.gpucheck/' >>.git/info/exclude
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
node scripts/embed-shaders.mjs
node --input-type=module - "$stage" <<'JS'
import ts from 'typescript';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
const out = process.argv[2];
const queue = ['src/gpu/engine.ts', 'src/gpu/info.ts', 'src/platform/node-gpu.ts', 'src/cpu/engine.ts', 'test/gpu/parity-cases.ts'].map((f) => join(process.cwd(), f));
const seen = new Set();
while (queue.length) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) queue.push(join(dirname(file), `${m[1]}.ts`));
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, fileName: file });
  const target = join(out, relative(process.cwd(), file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, outputText);
}
JS
mkdir -p "$stage/node_modules/webgpu/dist/linux-x64"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$stage/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$stage/node_modules/webgpu/dist/linux-x64/"
echo '{"type":"module"}' >"$stage/package.json"
cp test/gpu/hardware/check.mjs "$stage/"
mkdir -p .gpucheck
XZ_OPT='-9 -T2' tar -C "$stage" -cJf .gpucheck/stage.tar.xz .
ls -la .gpucheck/stage.tar.xz
