import { createRequire } from 'node:module';

/** The library version, read from package.json so that provenance never drifts from the published package. */
export const VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(rel) as { name?: string; version?: string };
      if (pkg.name === 'dermametrics' && pkg.version) return pkg.version;
    } catch {
      /* try the next location: src/ in development, dist/ when built */
    }
  }
  return '0.0.0';
})();
