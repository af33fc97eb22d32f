/**
 * QC flags: a number that should not be trusted silently carries a flag that says why
 * (DESIGN.md, "Errors": no NaN leaves the library without a flag that explains it).
 * Codes are stable, lower_snake_case; `region` names the region a flag is about, when it is about one.
 */
export interface QcFlag {
  code: string;
  message: string;
  region?: string;
  value?: number;
  threshold?: number;
}

export function flag(code: string, message: string, extra: Omit<QcFlag, 'code' | 'message'> = {}): QcFlag {
  return { code, message, ...extra };
}
