/**
 * A minimal GIF89a decoder for tests (independent of gifenc): logical screen, global/local colour
 * tables, graphic control extension (delay), NETSCAPE2.0 loop count, and LZW image data
 * (GIF89a spec, sections 18-23 and Appendix F). No interlacing or disposal compositing: it returns
 * each frame's palette indices and colours as stored.
 */

export interface DecodedGifFrame {
  width: number;
  height: number;
  delayCs: number;
  /** Palette index per pixel. */
  indices: Uint8Array;
  /** The colour table this frame uses (global unless it has a local one), as [r, g, b]. */
  palette: number[][];
}

export interface DecodedGif {
  width: number;
  height: number;
  globalPalette: number[][] | null;
  /** NETSCAPE2.0 loop count (0 = forever), or null when the block is absent (play once). */
  loopCount: number | null;
  frames: DecodedGifFrame[];
}

export function decodeGif(bytes: Uint8Array): DecodedGif {
  let pos = 0;
  const u8 = () => {
    if (pos >= bytes.length) throw new Error(`GIF truncated at byte ${pos}`);
    return bytes[pos++];
  };
  const u16 = () => u8() | (u8() << 8);
  const table = (size: number) => Array.from({ length: size }, () => [u8(), u8(), u8()]);
  const subBlocks = () => {
    const parts: number[] = [];
    for (let n = u8(); n !== 0; n = u8()) for (let i = 0; i < n; i++) parts.push(u8());
    return Uint8Array.from(parts);
  };

  const signature = String.fromCharCode(...bytes.subarray(0, 6));
  if (signature !== 'GIF89a' && signature !== 'GIF87a') throw new Error(`not a GIF: signature ${signature}`);
  pos = 6;
  const width = u16();
  const height = u16();
  const fields = u8();
  u8(); // background colour index
  u8(); // pixel aspect ratio
  const globalPalette = fields & 0x80 ? table(1 << ((fields & 7) + 1)) : null;

  const gif: DecodedGif = { width, height, globalPalette, loopCount: null, frames: [] };
  let delayCs = 0;
  for (;;) {
    const block = u8();
    if (block === 0x3b) return gif; // trailer
    if (block === 0x21) {
      const label = u8();
      const data = subBlocks();
      if (label === 0xf9) delayCs = data[1] | (data[2] << 8);
      if (label === 0xff && String.fromCharCode(...data.subarray(0, 11)) === 'NETSCAPE2.0') {
        gif.loopCount = data[12] | (data[13] << 8);
      }
      continue;
    }
    if (block !== 0x2c) throw new Error(`unexpected GIF block 0x${block.toString(16)} at byte ${pos - 1}`);
    u16(); // left
    u16(); // top
    const w = u16();
    const h = u16();
    const imageFields = u8();
    if (imageFields & 0x40) throw new Error('interlaced frames are not supported by this test decoder');
    const palette = imageFields & 0x80 ? table(1 << ((imageFields & 7) + 1)) : globalPalette;
    if (palette === null) throw new Error('frame without a colour table');
    const minCodeSize = u8();
    const indices = lzwDecode(subBlocks(), minCodeSize, w * h);
    gif.frames.push({ width: w, height: h, delayCs, indices, palette });
  }
}

/** GIF's variable-width LZW (Appendix F): codes LSB-first, clear and end codes, 12-bit limit. */
function lzwDecode(data: Uint8Array, minCodeSize: number, pixelCount: number): Uint8Array {
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  const out = new Uint8Array(pixelCount);
  let outPos = 0;
  let prefix: number[] = [];
  let suffix: number[] = [];
  let codeSize = 0;
  let nextCode = 0;
  let previous = -1;
  const reset = () => {
    prefix = Array.from({ length: clear }, () => -1);
    suffix = Array.from({ length: clear }, (_, i) => i);
    prefix.push(-1, -1); // clear, end
    suffix.push(0, 0);
    codeSize = minCodeSize + 1;
    nextCode = end + 1;
    previous = -1;
  };
  const firstOf = (code: number) => {
    while (prefix[code] !== -1) code = prefix[code];
    return suffix[code];
  };
  const emit = (code: number) => {
    const stack: number[] = [];
    for (let c = code; c !== -1; c = prefix[c]) stack.push(suffix[c]);
    for (let i = stack.length - 1; i >= 0; i--) {
      if (outPos >= pixelCount) throw new Error('LZW data decodes to more pixels than the frame holds');
      out[outPos++] = stack[i];
    }
  };
  reset();
  let bitPos = 0;
  while (bitPos + codeSize <= data.length * 8) {
    let code = 0;
    for (let b = 0; b < codeSize; b++, bitPos++) code |= ((data[bitPos >> 3] >> (bitPos & 7)) & 1) << b;
    if (code === clear) {
      reset();
      continue;
    }
    if (code === end) break;
    if (previous === -1) {
      emit(code);
    } else {
      const known = code < nextCode;
      if (!known && code !== nextCode) throw new Error(`bad LZW code ${code} (next is ${nextCode})`);
      if (nextCode < 4096) {
        prefix[nextCode] = previous;
        suffix[nextCode] = firstOf(known ? code : previous);
        nextCode++;
      }
      emit(code);
      if (nextCode === 1 << codeSize && codeSize < 12) codeSize++;
    }
    previous = code;
  }
  if (outPos !== pixelCount) throw new Error(`LZW data decodes to ${outPos} pixels, expected ${pixelCount}`);
  return out;
}
