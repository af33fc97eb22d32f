import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../../src/random';

/**
 * A simulated reader study with known truth: scores x ~ U(0, 20); reader r grades
 * y = #{j : βx + δ_r + ε > θ_j}, ε standard logistic, so that P(y ≤ j) = logistic(θ_j − βx − δ_r): exactly the
 * proportional-odds model, with cut-points c_j = θ_j/β on the score scale for the average reader (Σδ_r = 0).
 */
export interface StudySpec {
  subjects: number;
  visits: string[];
  readers: { id: string; offset: number }[];
  beta: number;
  cuts: number[];
  seed: number;
  /** grading drift: added to every reader's latent value at that visit (logits) */
  visitOffsets?: Record<string, number>;
  /** SD of a photo effect shared by all readers (what the score misses), logits; default 0 */
  photoSd?: number;
}

export interface Study {
  ratings: string;
  scores: string;
  truth: { thetas: number[]; cuts: number[]; offsets: Record<string, number> };
  rows: { subject: string; visit: string; photo: string; score: number; grades: Record<string, number> }[];
}

export function simulateStudy(dir: string, spec: StudySpec): Study {
  const rng = createRng(spec.seed);
  const thetas = spec.cuts.map((c) => c * spec.beta);
  const rows: Study['rows'] = [];
  for (let s = 0; s < spec.subjects; s++) {
    for (const visit of spec.visits) {
      const score = rng.uniform(0, 20);
      const photoEffect = spec.photoSd ? rng.normal(0, spec.photoSd) : 0;
      const grades: Record<string, number> = {};
      for (const r of spec.readers) {
        let u = rng.next();
        while (u === 0) u = rng.next();
        const eps = Math.log(u / (1 - u)); // logistic by inversion
        const latent = spec.beta * score + r.offset + (spec.visitOffsets?.[visit] ?? 0) + photoEffect + eps;
        grades[r.id] = thetas.filter((t) => latent > t).length;
      }
      rows.push({ subject: `S${String(s + 1).padStart(3, '0')}`, visit, photo: `ph${s}_${visit}`, score, grades });
    }
  }
  const ratings = ['USUBJID,AVISIT,ARM,TRTSIDE,ABLFL,PHOTOID,code,reader,scale,grade,rating_date'];
  for (const r of rows) for (const rd of spec.readers) ratings.push(`${r.subject},${r.visit},A,,,${r.photo},C${r.photo},${rd.id},erythema,${r.grades[rd.id]},2026-01-01`);
  const scores = ['USUBJID,AVISIT,AVISITN,ARM,TRTSIDE,PHOTOID,PHOTO,REGION,SIDE,PARAMCD,PARAM,AVAL,AVALU,ABLFL,BASE,CHG,PCHG,QCSTAT,QCFLAGS'];
  for (const r of rows) {
    scores.push(`${r.subject},${r.visit},1,A,,${r.photo},${r.photo}.jpg,full_face,,ERYIDX,Erythema index,${r.score},,,,,,PASS,`);
    scores.push(`${r.subject},${r.visit},1,A,,${r.photo},${r.photo}.jpg,cheek_left,,ERYIDX,Erythema index,${(r.score * 0.5).toFixed(6)},,,,,,PASS,`);
    scores.push(`${r.subject},${r.visit},1,A,,${r.photo},${r.photo}.jpg,full_face,,WRKDENS,Wrinkle density,1,,,,,,PASS,`);
  }
  const ratingsFile = path.join(dir, 'ratings_long.csv');
  const scoresFile = path.join(dir, 'scores_long.csv');
  writeFileSync(ratingsFile, ratings.join('\n') + '\n');
  writeFileSync(scoresFile, scores.join('\n') + '\n');
  const mean = spec.readers.reduce((s, r) => s + r.offset, 0) / spec.readers.length;
  return { ratings: ratingsFile, scores: scoresFile, truth: { thetas, cuts: spec.cuts, offsets: Object.fromEntries(spec.readers.map((r) => [r.id, r.offset - mean])) }, rows };
}
