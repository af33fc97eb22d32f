import type { QcFlag } from '../flags';

import type { Box, Point } from '../image/raster';

export type { Box, Point };

/** The standard anatomical regions (DESIGN.md). Left/right are the subject's own. Callers may add their own names. */
export const REGION_NAMES = [
  'forehead',
  'glabella',
  'periorbital_left',
  'periorbital_right',
  'cheek_left',
  'cheek_right',
  'nose',
  'perioral',
  'chin',
  'hemiface_left',
  'hemiface_right',
  'full_face',
] as const;
export type StandardRegionName = (typeof REGION_NAMES)[number];

/**
 * One analysed region. `mask` covers `box` only (box.width × box.height bytes, row-major):
 * 1 where the pixel is inside the polygon AND kept as skin, else 0.
 */
export interface Region {
  name: string;
  polygon: Point[];
  box: Box;
  mask: Uint8Array;
  /** pixels inside the polygon */
  pixelsInside: number;
  /** pixels inside the polygon that the skin mask kept */
  pixelsKept: number;
  /** 1 − kept/inside: what the skin mask removed (eyes, brows, hair, lips, glare, shadow) */
  removedFraction: number;
}

/** Millimetres per pixel of the full-resolution photo, and where that number came from. */
export interface PhysicalScale {
  mmPerPx: number;
  source: 'ipd' | 'chart' | 'caller' | 'none';
  /** assumed or given inter-pupillary distance (mm), when source = 'ipd' */
  ipdMm?: number;
  /** measured inter-pupillary distance (px), when source = 'ipd' */
  ipdPx?: number;
  /** |yaw| (deg, at most 60) whose foreshortening was taken out: mmPerPx = ipdMm·cos(yaw)/ipdPx, when source = 'ipd' */
  yawDeg?: number;
}

/** Everything the measurement modules (erythema, wrinkle) need to know about where to measure. */
export interface RegionSet {
  imageWidth: number;
  imageHeight: number;
  source: 'landmarks' | 'caller-polygons' | 'caller-mask' | 'whole';
  regions: Region[];
  scale: PhysicalScale;
  flags: QcFlag[];
}

/** Head pose in degrees: yaw and pitch from a fit of the canonical face model to the landmarks, roll from the eye line and midline (docs/face.md, Pose: axes, signs, accuracy). */
export interface HeadPose {
  /** turn about the vertical axis; positive = the subject turns towards their own left (nose moves to image right) */
  yawDeg: number;
  /** nod; positive = chin up */
  pitchDeg: number;
  /** in-plane tilt of the line from the subject's right eye to their left eye; positive = the face turned clockwise in the image */
  rollDeg: number;
}

/** What `detectFace` found, in full-resolution pixel coordinates of the photo it was given. */
export interface Face {
  imageWidth: number;
  imageHeight: number;
  box: Box;
  /** 478 × [x, y, z]: MediaPipe FaceMesh 468 points + 10 iris points; z is relative depth in the same pixel units */
  landmarks: [number, number, number][];
  pose: HeadPose;
  /** iris centres; left/right are the subject's own (the subject's left eye is on the image right in a frontal photo) */
  eyes: { left: Point; right: Point };
  /** distance between the iris centres (px) */
  ipdPx: number;
  /** eye opening / eye width for each eye (subject's own sides), used for the eyes-closed flag */
  eyeOpenness: { left: number; right: number };
  faceCount: number;
  /** detector × mesh confidence, 0..1 */
  score: number;
  /** the detector's input size (the downscaled copy) */
  detectorInput: { width: number; height: number; scale: number };
  modelId: string;
  backend: string;
  flags: QcFlag[];
}
