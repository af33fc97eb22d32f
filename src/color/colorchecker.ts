import { WHITE_D50, WHITE_D65 } from './constants';
import { labToXyz, xyzToLab } from './lab';
import type { Vec3 } from './matrix3';
import { adaptXyzBradford, xyzToLinearSrgb } from './xyz';

/**
 * The X-Rite ColorChecker Classic (24 patches), in reading order: row 1 starts at "dark skin" (top left, with the
 * chart's brown patch up and the grey scale at the bottom), row 4 is the neutral scale from white to black.
 */
export const COLORCHECKER_CLASSIC_NAMES = [
  'dark skin', 'light skin', 'blue sky', 'foliage', 'blue flower', 'bluish green',
  'orange', 'purplish blue', 'moderate red', 'purple', 'yellow green', 'orange yellow',
  'blue', 'green', 'red', 'yellow', 'magenta', 'cyan',
  'white 9.5 (.05 D)', 'neutral 8 (.23 D)', 'neutral 6.5 (.44 D)', 'neutral 5 (.70 D)', 'neutral 3.5 (1.05 D)', 'black 2 (1.5 D)',
] as const;

/**
 * ColorChecker Classic CIELAB under D50 (2° observer), X-Rite's values for charts made after November 2014
 * [XRite2016], as tabulated by colour-science 0.4 (`DATA_COLORCHECKER24_AFTER_NOV2014_CIE_LAB`, BSD-3-Clause,
 * commit 9d74314). Copied verbatim; test/color checks this table against the fixture file.
 */
export const COLORCHECKER_CLASSIC_LAB_D50: readonly Vec3[] = [
  [37.54, 14.37, 14.92],
  [64.66, 19.27, 17.5],
  [49.32, -3.82, -22.54],
  [43.46, -12.74, 22.72],
  [54.94, 9.61, -24.79],
  [70.48, -32.26, -0.37],
  [62.73, 35.83, 56.5],
  [39.43, 10.75, -45.17],
  [50.57, 48.64, 16.67],
  [30.1, 22.54, -20.87],
  [71.77, -24.13, 58.19],
  [71.51, 18.24, 67.37],
  [28.37, 15.42, -49.8],
  [54.38, -39.72, 32.27],
  [42.43, 51.05, 28.62],
  [81.8, 2.67, 80.41],
  [50.63, 51.28, -14.12],
  [49.57, -29.71, -28.32],
  [95.19, -1.03, 2.93],
  [81.29, -0.57, 0.44],
  [66.89, -0.75, -0.06],
  [50.76, -0.13, 0.14],
  [35.63, -0.46, -0.48],
  [20.64, 0.07, -0.46],
];

/**
 * The same reference adapted to D65 for comparison with sRGB data: Lab D50 -> XYZ (CIE D50 white) -> Bradford
 * D50 -> D65 [Lam1985] -> Lab (CIE D65 white). CIELAB D65 / 2° observer.
 */
export const COLORCHECKER_CLASSIC_LAB_D65: readonly Vec3[] = COLORCHECKER_CLASSIC_LAB_D50.map((lab) =>
  xyzToLab(adaptXyzBradford(labToXyz(lab, WHITE_D50), WHITE_D50, WHITE_D65), WHITE_D65),
);

/** The D65-adapted reference as linear sRGB (unclipped; all 24 patches lie inside the sRGB gamut except 'cyan', slightly). */
export const COLORCHECKER_CLASSIC_LINEAR_SRGB: readonly Vec3[] = COLORCHECKER_CLASSIC_LAB_D65.map((lab) => xyzToLinearSrgb(labToXyz(lab, WHITE_D65)));
