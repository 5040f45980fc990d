/**
 * `batch --series` on DICOM inputs: the patient and the image's place in the patient's series, from
 * the header (PatientID; StudyDate, StudyInstanceUID, InstanceNumber). Only the file's first 64 KiB
 * are read, the whole file where the header runs past them.
 */
import { open, readFile } from 'node:fs/promises';
import { isDicom, readDicomAttributes } from '../../codecs/dicom/index.js';

const HEADER_BYTES = 64 * 1024;

export interface DicomPatient {
  patientId: string;
  /** Sort key within the patient: StudyDate, StudyInstanceUID, InstanceNumber (absent ones first). */
  order: [string, string, number];
  instanceNumber?: number;
}

async function readPrefix(file: string, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The patient of a DICOM file, or undefined when the file is not DICOM, has no PatientID, or its
 * header cannot be read (the image then fails, or not, on its own when it is decoded).
 */
export async function dicomPatientOf(file: string): Promise<DicomPatient | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await readPrefix(file, HEADER_BYTES);
  } catch {
    return undefined;
  }
  if (!isDicom(bytes)) return undefined;
  let attributes;
  try {
    attributes = readDicomAttributes(bytes, file);
  } catch {
    if (bytes.length < HEADER_BYTES) return undefined;
    try {
      attributes = readDicomAttributes(new Uint8Array(await readFile(file)), file);
    } catch {
      return undefined;
    }
  }
  const { patientId, studyDate, studyInstanceUid } = attributes.identifying;
  if (patientId === undefined) return undefined;
  const instanceNumber = attributes.instanceNumber;
  return { patientId, order: [studyDate ?? '', studyInstanceUid ?? '', instanceNumber ?? -Infinity], instanceNumber };
}

/** A patient id as a file name (series/<id>.gif): characters other than letters, digits, `.`, `_` and `-` become `_`. */
export function patientFileName(patientId: string): string {
  const safe = patientId.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || /^\.+$/.test(safe) ? `_${safe}` : safe;
}
