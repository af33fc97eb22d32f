/**
 * dermametrics public API. Nothing outside this file is promised.
 * Each line re-exports one topic folder (DESIGN.md); the exact names are asserted in test/api.test.ts.
 */
export { DermametricsError, isDermametricsError } from './errors';
export type { ErrorCode } from './errors';
export { VERSION } from './version';
export type { Raster, Mask } from './image/raster';
