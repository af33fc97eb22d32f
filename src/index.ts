/**
 * dermametrics public API. Nothing outside this file is promised.
 * Each line re-exports one topic folder (DESIGN.md); the exact names are asserted in test/api.test.ts.
 */
export { DermametricsError, isDermametricsError } from './errors';
export type { ErrorCode } from './errors';
export type { QcFlag } from './flags';
export { VERSION } from './version';
export type { Raster, Mask } from './image/raster';
export * from './image/index';
export * from './color/index';
export * from './model/index';
export * from './face/index';
export * from './erythema/index';
export * from './wrinkle/index';
export * from './agreement/index';
export * from './score/index';
export * from './batch/index';
export * from './blind/index';
export * from './report/index';
