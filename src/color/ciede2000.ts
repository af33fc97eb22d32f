/**
 * CIEDE2000 colour difference [Sharma2005] eqs. (1)–(22), symbols kept from the paper (C_bar_ab → cBarAb, a'_1 → aP1).
 * Inputs: two CIELAB triples under the same white and observer; reference conditions give kL = kC = kH = 1.
 * Hue angles in degrees as in the paper; pairs with a zero chroma use the paper's conventions (eqs. 7, 10, 14).
 */
export interface Ciede2000Weights {
  kL?: number;
  kC?: number;
  kH?: number;
}

const DEG = Math.PI / 180;
const POW25_7 = 25 ** 7;

export function deltaE2000(lab1: readonly number[], lab2: readonly number[], { kL = 1, kC = 1, kH = 1 }: Ciede2000Weights = {}): number {
  const [L1, a1, b1] = lab1;
  const [L2, a2, b2] = lab2;
  const cAb1 = Math.hypot(a1, b1); // eq. (2)
  const cAb2 = Math.hypot(a2, b2);
  const cBarAb = (cAb1 + cAb2) / 2; // eq. (3)
  const cBar7 = cBarAb ** 7;
  const G = 0.5 * (1 - Math.sqrt(cBar7 / (cBar7 + POW25_7))); // eq. (4)
  const aP1 = (1 + G) * a1; // eq. (5)
  const aP2 = (1 + G) * a2;
  const cP1 = Math.hypot(aP1, b1); // eq. (6)
  const cP2 = Math.hypot(aP2, b2);
  const hue = (b: number, a: number) => (b === 0 && a === 0 ? 0 : ((Math.atan2(b, a) / DEG) % 360 + 360) % 360); // eq. (7)
  const hP1 = hue(b1, aP1);
  const hP2 = hue(b2, aP2);

  const dLP = L2 - L1; // eq. (8)
  const dCP = cP2 - cP1; // eq. (9)
  let dhP = 0; // eq. (10)
  if (cP1 * cP2 !== 0) {
    dhP = hP2 - hP1;
    if (dhP > 180) dhP -= 360;
    else if (dhP < -180) dhP += 360;
  }
  const dHP = 2 * Math.sqrt(cP1 * cP2) * Math.sin((dhP / 2) * DEG); // eq. (11)

  const LBarP = (L1 + L2) / 2; // eq. (12)
  const CBarP = (cP1 + cP2) / 2; // eq. (13)
  let hBarP = hP1 + hP2; // eq. (14)
  if (cP1 * cP2 !== 0) {
    if (Math.abs(hP1 - hP2) <= 180) hBarP = (hP1 + hP2) / 2;
    else hBarP = hP1 + hP2 < 360 ? (hP1 + hP2 + 360) / 2 : (hP1 + hP2 - 360) / 2;
  }
  const T =
    1 -
    0.17 * Math.cos((hBarP - 30) * DEG) +
    0.24 * Math.cos(2 * hBarP * DEG) +
    0.32 * Math.cos((3 * hBarP + 6) * DEG) -
    0.2 * Math.cos((4 * hBarP - 63) * DEG); // eq. (15)
  const dTheta = 30 * Math.exp(-(((hBarP - 275) / 25) ** 2)); // eq. (16)
  const CBarP7 = CBarP ** 7;
  const R_C = 2 * Math.sqrt(CBarP7 / (CBarP7 + POW25_7)); // eq. (17)
  const l50 = (LBarP - 50) ** 2;
  const S_L = 1 + (0.015 * l50) / Math.sqrt(20 + l50); // eq. (18)
  const S_C = 1 + 0.045 * CBarP; // eq. (19)
  const S_H = 1 + 0.015 * CBarP * T; // eq. (20)
  const R_T = -Math.sin(2 * dTheta * DEG) * R_C; // eq. (21)
  const tL = dLP / (kL * S_L);
  const tC = dCP / (kC * S_C);
  const tH = dHP / (kH * S_H);
  return Math.sqrt(tL * tL + tC * tC + tH * tH + R_T * tC * tH); // eq. (22)
}
