/** Moved to src/codecs/errors.ts (browser-safe); kept so that older imports still work. */
export { ImageFileError } from '../codecs/errors.js';
