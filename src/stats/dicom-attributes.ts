/**
 * The DICOM header attributes `stats` reports beside a DICOM image's statistics (docs/stats.md):
 * those a user needs to read the values, never the identifying ones (names, IDs, dates, UIDs) unless
 * asked for (`--identifying`), so that a stats file can be shared.
 */
import type { DicomAttributes, DicomIdentifying } from '../codecs/dicom/index.js';

export interface DicomStatsAttributes {
  transferSyntaxUid: string;
  transferSyntaxName: string;
  modality?: string;
  photometricInterpretation?: string;
  bitsStored?: number;
  rows?: number;
  columns?: number;
  numberOfFrames: number;
  /** Row spacing, column spacing in mm. */
  pixelSpacing?: [number, number];
  windowCenter?: number[];
  windowWidth?: number[];
  rescaleSlope?: number;
  rescaleIntercept?: number;
  viewPosition?: string;
  bodyPartExamined?: string;
  /** Only when asked for. */
  identifying?: DicomIdentifying;
}

export function dicomStatsAttributes(attributes: DicomAttributes, options: { identifying?: boolean } = {}): DicomStatsAttributes {
  const a = attributes;
  return {
    transferSyntaxUid: a.transferSyntaxUid,
    transferSyntaxName: a.transferSyntaxName,
    modality: a.modality,
    photometricInterpretation: a.photometricInterpretation,
    bitsStored: a.bitsStored,
    rows: a.rows,
    columns: a.columns,
    numberOfFrames: a.numberOfFrames,
    pixelSpacing: a.pixelSpacing,
    windowCenter: a.windowCenter,
    windowWidth: a.windowWidth,
    rescaleSlope: a.rescaleSlope,
    rescaleIntercept: a.rescaleIntercept,
    viewPosition: a.viewPosition,
    bodyPartExamined: a.bodyPartExamined,
    ...(options.identifying ? { identifying: { ...a.identifying } } : {}),
  };
}

const LABELS: Record<string, string> = {
  transferSyntaxUid: 'TransferSyntaxUID',
  transferSyntaxName: 'TransferSyntax',
  modality: 'Modality',
  photometricInterpretation: 'PhotometricInterpretation',
  bitsStored: 'BitsStored',
  rows: 'Rows',
  columns: 'Columns',
  numberOfFrames: 'NumberOfFrames',
  pixelSpacing: 'PixelSpacing',
  windowCenter: 'WindowCenter',
  windowWidth: 'WindowWidth',
  rescaleSlope: 'RescaleSlope',
  rescaleIntercept: 'RescaleIntercept',
  viewPosition: 'ViewPosition',
  bodyPartExamined: 'BodyPartExamined',
  patientId: 'PatientID',
  patientName: 'PatientName',
  patientBirthDate: 'PatientBirthDate',
  studyInstanceUid: 'StudyInstanceUID',
  seriesInstanceUid: 'SeriesInstanceUID',
  sopInstanceUid: 'SOPInstanceUID',
  studyDate: 'StudyDate',
  accessionNumber: 'AccessionNumber',
};

/** Text lines `dicom <Keyword> <value>` (multiple values joined by `\`, as DICOM writes them), present attributes only. */
export function dicomAttributeLines(attributes: DicomStatsAttributes): string[] {
  const { identifying, ...shown } = attributes;
  return Object.entries({ ...shown, ...identifying })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `dicom ${LABELS[key] ?? key} ${Array.isArray(value) ? value.join('\\') : String(value)}`);
}
