/** Moved to src/codecs/npy.ts (browser-safe); kept so that older imports still work. */
export * from '../codecs/npy.js';
