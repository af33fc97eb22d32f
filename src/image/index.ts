// Public names of image/ (re-exported by src/index.ts).
export { createMask, createRaster, channel } from './raster';
export { cropRaster, resizeArea, resizeBilinear, resampleToScale } from './resample';
export { loadImage, DEFAULT_MAX_PIXELS, FAIL_ON_LEVELS, SUPPORTED_FORMATS } from './load';
export type { ExposureInfo, FailOn, ImageFormat, ImageMeta, LoadImageOptions, LoadedImage } from './load';
export { srgbDecodeLut8, srgbDecodeLut16 } from './transfer';
