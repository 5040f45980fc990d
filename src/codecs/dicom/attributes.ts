/**
 * The header attributes xray-gpu reports and needs for decoding, read from a parsed data set
 * (tags from PS3.6). Identifying attributes are kept apart so that callers show them only on request.
 */
import type { DataSet } from './parse.js';
import { transferSyntaxName } from './transfer-syntax.js';

/** The attributes that identify a patient or a study: reported only when asked for. */
export interface DicomIdentifying {
  patientId?: string;
  patientName?: string;
  patientBirthDate?: string;
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  sopInstanceUid?: string;
  studyDate?: string;
  accessionNumber?: string;
}

/** From the header only; a field is undefined where the file lacks the attribute. */
export interface DicomAttributes {
  transferSyntaxUid: string;
  transferSyntaxName: string;
  sopClassUid?: string;
  modality?: string;
  photometricInterpretation?: string;
  rows?: number;
  columns?: number;
  /** NumberOfFrames, 1 where absent. */
  numberOfFrames: number;
  samplesPerPixel?: number;
  bitsAllocated?: number;
  bitsStored?: number;
  highBit?: number;
  pixelRepresentation?: number;
  /** Row spacing, column spacing in mm (PixelSpacing, 0028,0030). */
  pixelSpacing?: [number, number];
  windowCenter?: number[];
  windowWidth?: number[];
  voiLutFunction?: string;
  rescaleSlope?: number;
  rescaleIntercept?: number;
  viewPosition?: string;
  bodyPartExamined?: string;
  /** InstanceNumber (0020,0013): the image's number in its series. */
  instanceNumber?: number;
  identifying: DicomIdentifying;
}

function text(dataSet: DataSet, tag: string): string | undefined {
  const value = dataSet.string(tag);
  if (value === undefined) return undefined;
  const trimmed = value.replace(/\0+$/, '').trim();
  return trimmed === '' ? undefined : trimmed;
}

function us(dataSet: DataSet, tag: string): number | undefined {
  const element = dataSet.elements[tag];
  if (element === undefined || element.length < 2) return undefined;
  return dataSet.uint16(tag);
}

/** All values of a decimal string (DS), or undefined when absent or unreadable. */
function decimals(dataSet: DataSet, tag: string): number[] | undefined {
  const raw = text(dataSet, tag);
  if (raw === undefined) return undefined;
  const values = raw.split('\\').map((v) => Number(v.trim()));
  return values.length > 0 && values.every((v) => Number.isFinite(v)) ? values : undefined;
}

function decimal(dataSet: DataSet, tag: string): number | undefined {
  return decimals(dataSet, tag)?.[0];
}

export function readAttributes(dataSet: DataSet, transferSyntaxUid: string): DicomAttributes {
  const spacing = decimals(dataSet, 'x00280030');
  const frames = decimal(dataSet, 'x00280008');
  return {
    transferSyntaxUid,
    transferSyntaxName: transferSyntaxName(transferSyntaxUid),
    sopClassUid: text(dataSet, 'x00080016'),
    modality: text(dataSet, 'x00080060'),
    photometricInterpretation: text(dataSet, 'x00280004'),
    rows: us(dataSet, 'x00280010'),
    columns: us(dataSet, 'x00280011'),
    numberOfFrames: frames !== undefined && Number.isInteger(frames) && frames >= 1 ? frames : 1,
    samplesPerPixel: us(dataSet, 'x00280002'),
    bitsAllocated: us(dataSet, 'x00280100'),
    bitsStored: us(dataSet, 'x00280101'),
    highBit: us(dataSet, 'x00280102'),
    pixelRepresentation: us(dataSet, 'x00280103'),
    pixelSpacing: spacing !== undefined && spacing.length >= 2 ? [spacing[0], spacing[1]] : undefined,
    windowCenter: decimals(dataSet, 'x00281050'),
    windowWidth: decimals(dataSet, 'x00281051'),
    voiLutFunction: text(dataSet, 'x00281056'),
    rescaleSlope: decimal(dataSet, 'x00281053'),
    rescaleIntercept: decimal(dataSet, 'x00281052'),
    viewPosition: text(dataSet, 'x00185101'),
    bodyPartExamined: text(dataSet, 'x00180015'),
    instanceNumber: decimal(dataSet, 'x00200013'),
    identifying: {
      patientId: text(dataSet, 'x00100020'),
      patientName: text(dataSet, 'x00100010'),
      patientBirthDate: text(dataSet, 'x00100030'),
      studyInstanceUid: text(dataSet, 'x0020000d'),
      seriesInstanceUid: text(dataSet, 'x0020000e'),
      sopInstanceUid: text(dataSet, 'x00080018'),
      studyDate: text(dataSet, 'x00080020'),
      accessionNumber: text(dataSet, 'x00080050'),
    },
  };
}
