import sharp from 'sharp';
import { numberOption } from '../errors';
import type { Raster } from '../image/raster';
import { cropRaster, resizeArea } from '../image/resample';
import { encodeSrgb8 } from './detector-input';
import { escapeXml } from '../markup';
import { validateRaster } from './detect';
import { polygonBox, polygonCentroid, rasterizePolygon } from './polygon';
import type { Box, Face, Point, RegionSet } from './types';

export interface FaceOverlayOptions {
  /** long side of the PNG (px); the photo is downscaled to fit; default 1600 */
  maxSidePx?: number;
  /** draw the 478 landmarks; default true */
  landmarks?: boolean;
  /** tint pixels that lie inside a region but were removed by the skin mask; default true */
  tintRemoved?: boolean;
  /** crop the picture to the regions (or face box) plus a 15 % margin; default false */
  cropToFace?: boolean;
}

const COLOURS: Record<string, string> = {
  forehead: '#ffd400',
  glabella: '#ff8c00',
  periorbital_left: '#00e5ff',
  periorbital_right: '#00e5ff',
  cheek_left: '#ff3b3b',
  cheek_right: '#ff3b3b',
  nose: '#b0ff3b',
  perioral: '#ff7be0',
  chin: '#7b8cff',
  hemiface_left: '#ffffff',
  hemiface_right: '#ffffff',
  full_face: '#ffffff',
};

function shiftFace(face: Face, c: Box): Face {
  const sh = (p: Point): Point => [p[0] - c.x, p[1] - c.y];
  return {
    ...face,
    imageWidth: c.width,
    imageHeight: c.height,
    box: { ...face.box, x: face.box.x - c.x, y: face.box.y - c.y },
    landmarks: face.landmarks.map((p) => [p[0] - c.x, p[1] - c.y, p[2]] as [number, number, number]),
    eyes: { left: sh(face.eyes.left), right: sh(face.eyes.right) },
  };
}

function shiftRegions(rs: RegionSet, c: Box): RegionSet {
  return {
    ...rs,
    imageWidth: c.width,
    imageHeight: c.height,
    regions: rs.regions.map((r) => ({ ...r, polygon: r.polygon.map((p) => [p[0] - c.x, p[1] - c.y] as Point), box: { ...r.box, x: r.box.x - c.x, y: r.box.y - c.y } })),
  };
}

/**
 * A PNG for a person to look at: the photo (sRGB), removed (non-skin) pixels inside the regions tinted magenta,
 * region outlines with labels, iris centres and the landmark mesh. `face` may be undefined (caller regions).
 */
export async function renderOverlay(raster: Raster, face: Face | undefined, regions: RegionSet | undefined, options: FaceOverlayOptions = {}): Promise<Buffer> {
  validateRaster(raster);
  if (options.cropToFace) {
    const pts = regions?.regions.flatMap((r) => r.polygon) ?? [];
    if (face) pts.push([face.box.x, face.box.y], [face.box.x + face.box.width, face.box.y + face.box.height]);
    if (pts.length) {
      const b = polygonBox(pts, raster.width, raster.height);
      const mx = Math.round(b.width * 0.15), my = Math.round(b.height * 0.15);
      const crop = polygonBox([[b.x - mx, b.y - my], [b.x + b.width + mx, b.y + b.height + my]], raster.width, raster.height);
      return renderOverlay(cropRaster(raster, crop), face && shiftFace(face, crop), regions && shiftRegions(regions, crop), { ...options, cropToFace: false, upscale: true } as FaceOverlayOptions);
    }
  }
  const maxSide = numberOption('options.maxSidePx', options.maxSidePx, 1600, { min: 64, max: 16384, integer: true });
  // A face crop may be enlarged (up to 4×) so small faces can be inspected; a whole photo is only reduced.
  const s = Math.min((options as { upscale?: boolean }).upscale ? 4 : 1, maxSide / Math.max(raster.width, raster.height));
  const width = Math.max(1, Math.round(raster.width * s));
  const height = Math.max(1, Math.round(raster.height * s));
  const small = s !== 1 ? resizeArea(raster, width, height) : raster;
  const rgb = encodeSrgb8(small);
  const kx = width / raster.width, ky = height / raster.height;

  if (regions && (options.tintRemoved ?? true)) {
    // A display pixel is tinted when its centre, mapped to full resolution, is inside some region but not kept.
    const state = new Uint8Array(width * height); // 0 untouched, 1 removed, 2 kept
    for (const r of regions.regions) {
      const { box, mask } = r;
      for (let y = Math.max(0, Math.floor(box.y * ky)); y < Math.min(height, Math.ceil((box.y + box.height) * ky)); y++) {
        const fy = Math.floor((y + 0.5) / ky) - box.y;
        if (fy < 0 || fy >= box.height) continue;
        for (let x = Math.max(0, Math.floor(box.x * kx)); x < Math.min(width, Math.ceil((box.x + box.width) * kx)); x++) {
          const fx = Math.floor((x + 0.5) / kx) - box.x;
          if (fx < 0 || fx >= box.width) continue;
          if (mask[fy * box.width + fx]) state[y * width + x] = 2;
        }
      }
    }
    // Removed = inside the full_face (or union) polygon box region but not kept anywhere: use the largest region's polygon.
    const outer = regions.regions.find((r) => r.name === 'full_face') ?? regions.regions.reduce((a, b) => (b.pixelsInside > a.pixelsInside ? b : a), regions.regions[0]);
    if (outer) {
      const { box, polygon } = outer;
      const scaled = polygon.map(([x, y]) => [x * kx, y * ky] as [number, number]);
      const b = { x: Math.max(0, Math.floor(box.x * kx)), y: Math.max(0, Math.floor(box.y * ky)), width: 0, height: 0 };
      b.width = Math.min(width, Math.ceil((box.x + box.width) * kx)) - b.x;
      b.height = Math.min(height, Math.ceil((box.y + box.height) * ky)) - b.y;
      const inside = rasterizePolygon(scaled, b);
      for (let y = 0; y < b.height; y++) {
        for (let x = 0; x < b.width; x++) {
          const i = (b.y + y) * width + b.x + x;
          if (inside[y * b.width + x] && state[i] !== 2) state[i] = 1;
        }
      }
    }
    for (let i = 0; i < state.length; i++) {
      if (state[i] !== 1) continue;
      rgb[i * 3] = Math.round(rgb[i * 3] * 0.45 + 255 * 0.55);
      rgb[i * 3 + 1] = Math.round(rgb[i * 3 + 1] * 0.45);
      rgb[i * 3 + 2] = Math.round(rgb[i * 3 + 2] * 0.45 + 255 * 0.55);
    }
  }

  const stroke = Math.max(1, Math.round(Math.max(width, height) / 700));
  const font = Math.max(9, Math.round(Math.max(width, height) / 75));
  let svg = `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`;
  if (face && (options.landmarks ?? true)) {
    for (let i = 0; i < Math.min(468, face.landmarks.length); i++) {
      const [x, y] = face.landmarks[i];
      svg += `<circle cx="${(x * kx).toFixed(1)}" cy="${(y * ky).toFixed(1)}" r="${stroke.toFixed(1)}" fill="#00ffff" fill-opacity="0.7"/>`;
    }
    for (const e of [face.eyes.left, face.eyes.right]) svg += `<circle cx="${(e[0] * kx).toFixed(1)}" cy="${(e[1] * ky).toFixed(1)}" r="${stroke * 3}" fill="none" stroke="#00ff00" stroke-width="${stroke}"/>`;
  }
  if (regions) {
    for (const r of regions.regions) {
      if (r.name.startsWith('hemiface')) continue; // the midline is drawn below instead of two more outlines
      const c = COLOURS[r.name] ?? '#ffff00';
      const p = r.polygon.map(([x, y]) => `${(x * kx).toFixed(1)},${(y * ky).toFixed(1)}`).join(' ');
      svg += `<polygon points="${p}" fill="none" stroke="${c}" stroke-width="${stroke}" stroke-opacity="0.9"/>`;
      if (r.name !== 'full_face') {
        const [cx, cy] = polygonCentroid(r.polygon);
        svg += `<text x="${(cx * kx).toFixed(1)}" y="${(cy * ky).toFixed(1)}" font-family="sans-serif" font-size="${font}" fill="${c}" stroke="#000" stroke-width="${Math.max(1, font / 8)}" paint-order="stroke" text-anchor="middle">${escapeXml(r.name)} ${Math.round(r.removedFraction * 100)}%</text>`;
      }
    }
    const hl = regions.regions.find((r) => r.name === 'hemiface_left');
    if (hl) svg += `<polygon points="${hl.polygon.map(([x, y]) => `${(x * kx).toFixed(1)},${(y * ky).toFixed(1)}`).join(' ')}" fill="none" stroke="#ffffff" stroke-dasharray="${stroke * 4}" stroke-width="${stroke}" stroke-opacity="0.6"/>`;
    svg += `<text x="${font / 2}" y="${font * 1.2}" font-family="sans-serif" font-size="${font}" fill="#fff" stroke="#000" stroke-width="${Math.max(1, font / 8)}" paint-order="stroke">scale ${Number.isFinite(regions.scale.mmPerPx) ? `${regions.scale.mmPerPx.toFixed(4)} mm/px (${regions.scale.source})` : 'none'}${face ? `  yaw ${face.pose.yawDeg.toFixed(1)}° pitch ${face.pose.pitchDeg.toFixed(1)}° roll ${face.pose.rollDeg.toFixed(1)}°` : ''}</text>`;
    const codes = [...new Set([...(face?.flags ?? []), ...regions.flags].map((f) => f.code))];
    if (codes.length) svg += `<text x="${font / 2}" y="${font * 2.5}" font-family="sans-serif" font-size="${font}" fill="#ff0" stroke="#000" stroke-width="${Math.max(1, font / 8)}" paint-order="stroke">${escapeXml(codes.join(', '))}</text>`;
  }
  svg += '</svg>';
  return sharp(Buffer.from(rgb), { raw: { width, height, channels: 3 } })
    .composite([{ input: Buffer.from(svg) }])
    .png({ compressionLevel: 6 })
    .toBuffer();
}
