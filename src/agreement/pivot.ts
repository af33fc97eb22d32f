import { DermametricsError } from '../errors';
import { isMissing } from './validate';

export interface RatingTable<T> {
  /** subject ids (rows), in first-seen order */
  subjects: string[];
  /** rater ids (columns), in first-seen order */
  raters: string[];
  /** matrix[subject][rater], null where that rater did not rate that subject */
  matrix: (T | null)[][];
}

/**
 * Pivot long ratings (one record per subject × rater) into the subjects × raters matrix the statistics take.
 * Ids are compared as strings. A second rating of the same subject by the same rater is an error (not averaged).
 * @throws DermametricsError E_BAD_RATINGS (duplicate subject × rater, missing id)
 */
export function pivotRatings<T>(records: readonly { subject: string | number; rater: string | number; value: T | null | undefined }[]): RatingTable<T> {
  const subjects: string[] = [];
  const raters: string[] = [];
  const sIdx = new Map<string, number>();
  const rIdx = new Map<string, number>();
  const cells = new Map<string, T | null>();
  records.forEach((r, i) => {
    if (isMissing(r?.subject) || isMissing(r?.rater) || r.subject === '' || r.rater === '') {
      throw new DermametricsError('E_BAD_RATINGS', `rating record ${i} has no subject or rater id`, { record: i });
    }
    const s = String(r.subject);
    const q = String(r.rater);
    if (!sIdx.has(s)) {
      sIdx.set(s, subjects.length);
      subjects.push(s);
    }
    if (!rIdx.has(q)) {
      rIdx.set(q, raters.length);
      raters.push(q);
    }
    const key = `${sIdx.get(s)}\u0000${rIdx.get(q)}`;
    if (cells.has(key)) {
      throw new DermametricsError('E_BAD_RATINGS', `subject ${s} was rated twice by rater ${q} (record ${i}); keep one rating per subject and rater (e.g. the first session)`, {
        subject: s,
        rater: q,
        record: i,
      });
    }
    cells.set(key, isMissing(r.value) ? null : (r.value as T));
  });
  const matrix = subjects.map((_, si) => raters.map((_, ri) => cells.get(`${si}\u0000${ri}`) ?? null));
  return { subjects, raters, matrix };
}
