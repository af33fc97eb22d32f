import type { ErythemaResult } from '../erythema/analyze';
import type { WrinkleResult } from '../wrinkle/analyze';
import type { Measure } from './types';

/**
 * The parameters a PhotoScore reports per region (PARAMCD ≤ 8 characters, CDISC style), in this order.
 * Erythema statistics come from analyzeErythema (docs/erythema.md), wrinkle ones from analyzeWrinkles (docs/wrinkle.md).
 */
export const ERYTHEMA_PARAMS = [
  { paramcd: 'HBIMEAN', param: 'Haemoglobin index, mean (optical-density separation)', unit: 'HbI', get: (e: Ery) => e.hemoglobin.mean },
  { paramcd: 'HBIP90', param: 'Haemoglobin index, 90th percentile', unit: 'HbI', get: (e: Ery) => e.hemoglobin.p90 },
  { paramcd: 'EIMEAN', param: 'Erythema index (Diffey), mean', unit: 'EI', get: (e: Ery) => e.erythemaIndex.mean },
  { paramcd: 'ASTMEAN', param: 'CIELAB a* (D65/2°), mean', unit: 'a*', get: (e: Ery) => e.aStar.mean },
  { paramcd: 'LSTMEAN', param: 'CIELAB L* (D65/2°), mean', unit: 'L*', get: (e: Ery) => e.lStar.mean },
  { paramcd: 'ITAMEAN', param: 'Individual typology angle, mean', unit: 'deg', get: (e: Ery) => e.ita.mean },
  { paramcd: 'MIMEAN', param: 'Melanin index (Diffey), mean', unit: 'MI', get: (e: Ery) => e.melaninIndex.mean },
  { paramcd: 'MELMEAN', param: 'Melanin index, mean (optical-density separation)', unit: 'MelI', get: (e: Ery) => e.melanin.mean },
  { paramcd: 'ERYAREA', param: 'Erythema area fraction (above reference + threshold)', unit: '%', get: (e: Ery) => (e.areaFraction === null ? null : 100 * e.areaFraction) },
] as const;
type Ery = ErythemaResult['regions'][number]['erythema'];

export const ERYTHEMA_DELTA_PARAMS = [
  { paramcd: 'DHBI', param: 'Haemoglobin index minus reference region', unit: 'HbI', key: 'hemoglobin' },
  { paramcd: 'DEI', param: 'Erythema index minus reference region', unit: 'EI', key: 'erythemaIndex' },
  { paramcd: 'DASTAR', param: 'CIELAB a* minus reference region', unit: 'a*', key: 'aStar' },
] as const;

export function erythemaMeasures(result: ErythemaResult): Measure[] {
  const out: Measure[] = [];
  for (const r of result.regions) {
    for (const p of ERYTHEMA_PARAMS) out.push({ region: r.name, paramcd: p.paramcd, param: p.param, value: finite(p.get(r.erythema)), unit: p.unit });
    if (r.delta) {
      for (const p of ERYTHEMA_DELTA_PARAMS) out.push({ region: r.name, paramcd: p.paramcd, param: p.param, value: finite(r.delta[p.key]), unit: p.unit });
    }
  }
  return out;
}

export function finite(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

type Wr = WrinkleResult['regions'][number]['wrinkles'];
export const WRINKLE_PARAMS = [
  { paramcd: 'WRKDENS', param: 'Wrinkle length density (centreline)', unit: 'mm/cm2', get: (w: Wr) => w.lengthDensity },
  { paramcd: 'WRKAREA', param: 'Wrinkle area fraction', unit: '%', get: (w: Wr) => w.areaFraction },
  { paramcd: 'WRKCOUNT', param: 'Wrinkle segments', unit: 'n', get: (w: Wr) => w.count },
  { paramcd: 'WRKWIDTH', param: 'Wrinkle mean width', unit: 'mm', get: (w: Wr) => w.meanWidthMm },
  { paramcd: 'WRKDEPTH', param: 'Wrinkle depth proxy (L* darkness below surroundings)', unit: 'L*', get: (w: Wr) => w.depthProxy },
  { paramcd: 'WRKORIEN', param: 'Wrinkle dominant orientation (0 = horizontal)', unit: 'deg', get: (w: Wr) => w.orientationDeg },
  { paramcd: 'WRKRIDGE', param: 'Ridge-filter (Frangi) line density, baseline method', unit: 'mm/cm2', get: (w: Wr) => w.ridgeDensity },
] as const;

export function wrinkleMeasures(result: WrinkleResult): Measure[] {
  const out: Measure[] = [];
  for (const r of result.regions) {
    for (const p of WRINKLE_PARAMS) out.push({ region: r.name, paramcd: p.paramcd, param: p.param, value: finite(p.get(r.wrinkles)), unit: p.unit });
  }
  return out;
}
