import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DermametricsError } from '../errors';

let cached: string | undefined;

/**
 * The dermametrics package folder (the one whose package.json is named "dermametrics"), found by walking up from this
 * module: src/model/ in development, dist/ when built, node_modules/dermametrics/dist/ when installed.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'dermametrics') return (cached = dir);
      } catch {
        /* keep walking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new DermametricsError('E_MODEL', 'Could not find the dermametrics package folder (package.json named "dermametrics") above the module; reinstall dermametrics.', {});
}

/** Folder of a bundled model by id (models/<id>), or the caller's own model folder when `idOrPath` is a path. */
export function resolveModelDir(idOrPath: string): string {
  if (/^[a-z0-9][a-z0-9._-]*$/i.test(idOrPath) && !idOrPath.includes('..')) {
    const bundled = path.join(packageRoot(), 'models', idOrPath);
    if (existsSync(bundled)) return bundled;
  }
  return path.resolve(idOrPath);
}
