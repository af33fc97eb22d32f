import type { QcFlag } from '../flags';

/** The `schema` value of every PhotoScore this version writes (schema/photo-score.schema.json). */
export const PHOTO_SCORE_SCHEMA = 'dermametrics/photo-score/1' as const;

/**
 * One number measured on one region: the row of the long table (`scores_long.csv`).
 * `paramcd` is a CDISC-style parameter code (≤ 8 characters, upper case); `value` is null only with a QC flag
 * naming the region that explains it.
 */
export interface Measure {
  region: string;
  paramcd: string;
  param: string;
  value: number | null;
  unit: string;
}

/** Where a photo sits in a trial (added by the batch runner from the manifest; absent for single photos). */
export interface ManifestInfo {
  /** stable photo id: sha256(relPath) hex, first 16 digits */
  id: string;
  /** 0-based position in the manifest (CSV row order, or sorted relPath order for a directory) */
  index: number;
  /** path relative to the manifest's folder, POSIX separators (as written, normalised) */
  relPath: string;
  subject: string;
  visit: string;
  arm?: string;
  /** split-face studies: which side was treated (the subject's own left/right) */
  treatedSide?: 'left' | 'right' | 'both' | 'none';
  /** true when this photo is the subject's baseline */
  baseline: boolean;
  /** every other manifest column, carried through unchanged (header as written in the manifest) */
  extra: Record<string, string>;
}

export interface Provenance {
  /** dermametrics version (package.json) */
  version: string;
  /** TensorFlow.js backend that ran the models: 'tensorflow' | 'wasm' | 'cpu' | 'none' */
  backend: string;
  tfjsVersion?: string;
  /** every model that touched the numbers, with the SHA-256 of its weights */
  models: { id: string; sha256: string }[];
  /** the options that change numbers, as resolved (defaults filled in) */
  options: Record<string, unknown>;
  /** canonical-JSON rounding: significant digits of non-integer numbers */
  significantDigits: number;
}

/** The result of analysing one photo: plain JSON, the same in the library, the CLI and batch files. */
export interface PhotoScore {
  schema: typeof PHOTO_SCORE_SCHEMA;
  input: {
    /** base name of the file ('' for a buffer) */
    fileName: string;
    sha256: string;
    bytes: number;
    width: number;
    height: number;
    format: string;
    bitDepth?: number;
    colourProfile?: string | null;
    orientationApplied?: number;
  };
  face: Record<string, unknown> | null;
  color: Record<string, unknown> | null;
  scale: { mmPerPx: number | null; source: string; ipdMm?: number; ipdPx?: number; yawDeg?: number };
  regions: Record<string, unknown>[];
  measures: Measure[];
  grade?: Record<string, unknown>;
  qc: {
    /** 'review' when any flag is raised */
    status: 'pass' | 'review';
    flags: QcFlag[];
    /** informational flags (how a number was obtained) that do not call for review, e.g. scale_assumed_ipd */
    notes?: QcFlag[];
    /** exposure and blur over the face (null without regions) */
    metrics?: { clippedFraction: number; darkFraction: number; blur: number } | null;
  };
  provenance: Provenance;
  manifest?: ManifestInfo;
}
