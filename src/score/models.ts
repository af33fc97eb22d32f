import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
let faceHash: string | undefined;

/** The face model files detectFace loads (blazeface + facemesh + iris from @vladmandic/human/models). */
export const FACE_MODEL_FILES = ['blazeface.json', 'blazeface.bin', 'facemesh.json', 'facemesh.bin', 'iris.json', 'iris.bin'];

/** SHA-256 over the face model files (each file's bytes, in FACE_MODEL_FILES order); computed once per process. */
export function faceModelSha256(): string {
  if (faceHash) return faceHash;
  const h = createHash('sha256');
  try {
    const dir = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'models');
    for (const f of FACE_MODEL_FILES) h.update(readFileSync(path.join(dir, f)));
    faceHash = h.digest('hex');
  } catch {
    faceHash = 'unavailable';
  }
  return faceHash;
}
