/**
 * Which files in a folder are inputs: the image kinds by their usual extensions, and DICOM files
 * without an extension (PACS exports often have none), recognised by their first bytes.
 */
import { open } from 'node:fs/promises';
import { type ImageKind, sniffImageKind } from '../codecs/decode-image.js';

export const IMAGE_KINDS: readonly ImageKind[] = ['png', 'jpeg', 'dicom', 'npy'];

/** The extensions each kind is found by, lower case. */
export const KIND_EXTENSIONS: Record<ImageKind, readonly string[]> = {
  png: ['.png'],
  jpeg: ['.jpg', '.jpeg'],
  dicom: ['.dcm', '.dicom'],
  npy: ['.npy'],
};

/** What a folder walk takes by default: the image formats (a .npy beside them is usually a result). */
export const DEFAULT_INPUT_KINDS: readonly ImageKind[] = ['png', 'jpeg', 'dicom'];

/** Enough of a file to tell its kind: DICOM's "DICM" ends at byte 132. */
const SNIFF_BYTES = 132;

/** "png,dicom" -> ['png', 'dicom'], with an error naming the accepted kinds. */
export function parseInputKinds(list: string): ImageKind[] {
  const kinds = list.split(',').map((k) => k.trim().toLowerCase()).filter((k) => k !== '');
  for (const kind of kinds) {
    if (!(IMAGE_KINDS as readonly string[]).includes(kind)) {
      throw new RangeError(`--inputs takes a comma-separated list of ${IMAGE_KINDS.join(', ')}; got "${kind}"`);
    }
  }
  if (kinds.length === 0) throw new RangeError(`--inputs needs at least one of ${IMAGE_KINDS.join(', ')}`);
  return [...new Set(kinds)] as ImageKind[];
}

/** The extensions of the kinds, for a walk's extension filter. */
export function extensionsOf(kinds: readonly ImageKind[]): string[] {
  return kinds.flatMap((kind) => KIND_EXTENSIONS[kind]);
}

/**
 * What a folder walk of `kinds` keeps (batch's walk options): files by their kinds' extensions, and,
 * when DICOM is wanted, files without an extension whose first bytes are DICOM's.
 */
export function walkFilterOf(kinds: readonly ImageKind[]): { extensions: string[]; acceptExtensionless?: (path: string) => Promise<boolean> } {
  const extensions = extensionsOf(kinds);
  if (!kinds.includes('dicom')) return { extensions };
  return { extensions, acceptExtensionless: async (path: string) => (await sniffFileKind(path)) === 'dicom' };
}

/** A file name with no extension at all (no dot after the first character), a candidate bare DICOM. */
export function hasNoExtension(name: string): boolean {
  return name.lastIndexOf('.') <= 0;
}

/** The kind of a file from its first bytes (undefined when unreadable or of no known kind). */
export async function sniffFileKind(path: string): Promise<ImageKind | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buffer = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return sniffImageKind(buffer.subarray(0, bytesRead));
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/**
 * Whether a file found in a folder is an input of the given kinds: by extension, or, for a file with
 * no extension while DICOM is wanted, by DICOM's magic bytes.
 */
export async function isInputFile(path: string, name: string, kinds: readonly ImageKind[]): Promise<boolean> {
  const lower = name.toLowerCase();
  if (extensionsOf(kinds).some((extension) => lower.endsWith(extension))) return true;
  return kinds.includes('dicom') && hasNoExtension(name) && (await sniffFileKind(path)) === 'dicom';
}
