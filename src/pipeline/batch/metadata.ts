/**
 * ChestX-ray8's Data_Entry_2017.csv: one row per image with columns Image Index, Finding Labels,
 * Follow-up #, Patient ID, Patient Age, Patient Gender, View Position, OriginalImage[Width,Height],
 * OriginalImagePixelSpacing[x,y]. The header's bracketed pairs split into two columns each, as in
 * the file NIH publishes. Read once (about 8 MB for 112,120 rows) into a map by image file name.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ImageMetadata {
  patientId: string;
  followUp: number;
  findingLabels?: string;
  patientAge?: string;
  patientGender?: string;
  viewPosition?: string;
}

const REQUIRED_COLUMNS = ['Image Index', 'Patient ID', 'Follow-up #'] as const;

/** Reads the CSV into a map from image file name (e.g. 00000011_001.png) to its metadata. */
export async function readMetadataCsv(file: string): Promise<Map<string, ImageMetadata>> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  const rows = new Map<string, ImageMetadata>();
  let columns: Map<string, number> | undefined;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const fields = parseCsvLine(line);
      if (!columns) {
        columns = new Map(fields.map((name, i) => [name.trim(), i]));
        const missing = REQUIRED_COLUMNS.filter((name) => !columns?.has(name));
        if (missing.length > 0) {
          throw new RangeError(`${file}: missing column(s) ${missing.join(', ')}; header is ${JSON.stringify(line)}`);
        }
        continue;
      }
      const field = (name: string) => {
        const index = columns?.get(name);
        return index === undefined ? undefined : fields[index]?.trim();
      };
      const image = field('Image Index');
      const patientId = field('Patient ID');
      const followUp = Number(field('Follow-up #'));
      if (!image || !patientId || !Number.isInteger(followUp)) {
        throw new RangeError(`${file}:${lineNumber}: need Image Index, Patient ID and an integer Follow-up #, got ${JSON.stringify(line)}`);
      }
      rows.set(image, {
        patientId,
        followUp,
        findingLabels: field('Finding Labels'),
        patientAge: field('Patient Age'),
        patientGender: field('Patient Gender'),
        viewPosition: field('View Position'),
      });
    }
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new Error(`cannot read metadata ${file}`, { cause: error });
  } finally {
    lines.close();
  }
  if (!columns) throw new RangeError(`${file}: empty metadata file (expected a header line)`);
  return rows;
}

/** Splits one CSV line (RFC 4180: fields may be quoted, "" is a quote inside quotes). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
