// Public names of face/ (re-exported by src/index.ts).
export { REGION_NAMES } from './types';
export type { Box, Face, HeadPose, PhysicalScale, Point, Region, RegionSet, StandardRegionName } from './types';
export { detectFace } from './detect';
export type { DetectFaceOptions } from './detect';
export { faceRegions } from './regions';
export type { FaceRegionOptions } from './regions';
export type { SkinModelOptions } from './skin';
export { regionsFromPolygons, regionsFromMask, wholeRegions } from './bypass';
export type { CallerRegionOptions } from './bypass';
export { physicalScale, DEFAULT_IPD_MM, DEFAULT_MIN_PX_PER_MM } from './scale';
export type { ScaleOptions, ChartScale } from './scale';
export { renderOverlay } from './overlay';
export type { FaceOverlayOptions } from './overlay';
export { loadFaceModel } from './human';
export type { FaceModel } from './human';
