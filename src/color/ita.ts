/**
 * Individual typology angle ITA° = arctan((L* − 50) / b*) · 180/π [Chardon1991], for skin-tone stratification
 * (> 55 very light, 41–55 light, 28–41 intermediate, 10–28 tan, −30–10 brown, < −30 dark). Uses atan2 so that
 * b* = 0 gives ±90° rather than a division by zero. Input: CIELAB D65/2°.
 */
export function itaDeg(L: number, b: number): number {
  return (Math.atan2(L - 50, b) * 180) / Math.PI;
}

/** Chardon's ITA° skin categories [Chardon1991] (Del Bino 2013 add "dark" below −30). */
export function itaCategory(ita: number): 'very_light' | 'light' | 'intermediate' | 'tan' | 'brown' | 'dark' {
  if (ita > 55) return 'very_light';
  if (ita > 41) return 'light';
  if (ita > 28) return 'intermediate';
  if (ita > 10) return 'tan';
  if (ita > -30) return 'brown';
  return 'dark';
}
