import { DermametricsError, invalidOption, numberOption } from '../errors';
import { flag, type QcFlag } from '../flags';
import type { PhysicalScale, Point } from './types';

export interface ChartScale {
  /** the chart's four corners in image pixels, in order around the chart, starting top-left */
  corners: Point[];
  /** the chart's physical width (mm): the length of the edges corners[0]→corners[1] and corners[3]→corners[2] */
  widthMm: number;
}

export interface ScaleOptions {
  /** a known scale (mm per full-resolution pixel); wins over chart and IPD */
  mmPerPx?: number;
  /** a chart of known size in the photo; wins over IPD */
  chart?: ChartScale;
  /** the subject's inter-pupillary distance (mm); default 63 [Dodgson2004] adult mean */
  ipdMm?: number;
  /** below this many pixels per mm the face is flagged `face_too_small`; default 5 */
  minPxPerMm?: number;
}

export const DEFAULT_IPD_MM = 63; // [Dodgson2004] mean adult IPD ≈ 63 mm
/** Wrinkle analysis runs at 0.1 mm/px (10 px/mm); below 5 px/mm that means more than 2× upsampling. */
export const DEFAULT_MIN_PX_PER_MM = 5;

function chartMmPerPx(chart: ChartScale): number {
  const c = chart.corners;
  if (!Array.isArray(c) || c.length !== 4 || !c.every((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))) {
    throw invalidOption('options.chart.corners', 'four [x, y] points in image pixels', c);
  }
  const widthMm = numberOption('options.chart.widthMm', chart.widthMm, NaN, { min: 1e-6 });
  if (!Number.isFinite(widthMm)) throw invalidOption('options.chart.widthMm', 'a positive number (mm)', chart.widthMm);
  const top = Math.hypot(c[1][0] - c[0][0], c[1][1] - c[0][1]);
  const bottom = Math.hypot(c[2][0] - c[3][0], c[2][1] - c[3][1]);
  if (top < 2 || bottom < 2) throw new DermametricsError('E_BAD_CHART', 'The chart corners are (almost) on top of each other; give the four corners in order, starting top-left.', { top, bottom });
  return widthMm / ((top + bottom) / 2);
}

/**
 * The physical scale: caller's mm/px, else a chart, else the IPD (with `ipdPx` measured), else none. A head turned by
 * `yawDeg` shows its inter-pupillary distance foreshortened to ipd·cos(yaw) (a segment across the face's forward axis,
 * turned by yaw, seen from the front), so the measured ipdPx is divided by cos(yaw): the scale is that of the face's
 * frontal plane at the eyes.
 */
export function physicalScale(options: ScaleOptions, ipdPx?: number, yawDeg = 0): { scale: PhysicalScale; flags: QcFlag[] } {
  const flags: QcFlag[] = [];
  let scale: PhysicalScale;
  if (options.mmPerPx !== undefined) {
    scale = { mmPerPx: numberOption('options.mmPerPx', options.mmPerPx, 0, { min: 1e-6 }), source: 'caller' };
  } else if (options.chart !== undefined) {
    scale = { mmPerPx: chartMmPerPx(options.chart), source: 'chart' };
  } else if (ipdPx !== undefined && ipdPx > 0) {
    const ipdMm = numberOption('options.ipdMm', options.ipdMm, DEFAULT_IPD_MM, { min: 40, max: 90 });
    const yaw = Number.isFinite(yawDeg) ? Math.min(60, Math.abs(yawDeg)) : 0; // beyond 60° the correction (×2) is not to be trusted
    const frontal = ipdPx / Math.cos((yaw * Math.PI) / 180);
    scale = { mmPerPx: ipdMm / frontal, source: 'ipd', ipdMm, ipdPx, yawDeg: yaw };
    if (options.ipdMm === undefined) {
      flags.push(flag('scale_assumed_ipd', `The scale assumes an inter-pupillary distance of ${DEFAULT_IPD_MM} mm (adult mean; individual IPDs range about 54–74 mm, so ±15 %). Pass options.ipdMm per subject or photograph a chart.`, { value: DEFAULT_IPD_MM }));
    }
  } else {
    return { scale: { mmPerPx: NaN, source: 'none' }, flags: [flag('scale_unknown', 'No physical scale: pass options.mmPerPx or options.chart. Wrinkle measures in mm cannot be computed.')] };
  }
  const minPxPerMm = numberOption('options.minPxPerMm', options.minPxPerMm, DEFAULT_MIN_PX_PER_MM, { min: 0 });
  const pxPerMm = 1 / scale.mmPerPx;
  if (pxPerMm < minPxPerMm) {
    flags.push(flag('face_too_small', `The photo has ${pxPerMm.toFixed(2)} px/mm; wrinkle analysis at 0.1 mm/px needs at least ${minPxPerMm} px/mm (more than 2× upsampling otherwise). Photograph closer or at higher resolution.`, { value: pxPerMm, threshold: minPxPerMm }));
  }
  return { scale, flags };
}
