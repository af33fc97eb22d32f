import { writeFile } from 'node:fs/promises';
import type { CAC } from 'cac';
import { invalidOption } from '../../errors';
import { detectFace, faceRegions, renderOverlay } from '../../face/index';
import { loadImage } from '../../image/index';

function last(v: unknown): string | undefined {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return x === undefined || x === '' ? undefined : String(x);
}

function num(name: string, v: unknown): number | undefined {
  const s = last(v);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw invalidOption(name, 'a positive number', s);
  return n;
}

export function registerFace(cli: CAC): void {
  cli
    .command('face <photo>', 'Find the face, its anatomical regions, skin mask and mm/px scale; print a summary (or JSON) and optionally write an overlay PNG to look at')
    .option('--overlay <png>', 'Write a PNG with landmarks, region outlines and the removed (non-skin) pixels tinted', { type: [String] })
    .option('--crop', 'Crop the overlay to the face')
    .option('--ipd-mm <mm>', "The subject's inter-pupillary distance in mm (default 63, flagged as assumed)", { type: [String] })
    .option('--mm-per-px <mm>', 'A known scale (mm per pixel of the photo); overrides the IPD', { type: [String] })
    .option('--passes <n>', 'Face-landmark passes averaged (default 4; 3 is faster and a little less steady)', { type: [String] })
    .option('--polygons <json>', 'Write the region polygons as {name: [[x, y], ...]} (editable; reusable as caller regions)', { type: [String] })
    .option('--json', 'Print face + regions as JSON (masks omitted)')
    .example('dermametrics face photo.jpg --overlay photo-face.png --crop')
    .action(async (photo: string, flags: Record<string, unknown>) => {
      const { raster } = await loadImage(photo);
      const face = await detectFace(raster, { passes: num('--passes', flags.passes) });
      const regions = faceRegions(face, raster, { ipdMm: num('--ipd-mm', flags.ipdMm), mmPerPx: num('--mm-per-px', flags.mmPerPx) });
      const overlay = last(flags.overlay);
      if (overlay) await writeFile(overlay, await renderOverlay(raster, face, regions, { cropToFace: Boolean(flags.crop) }));
      const polygonsOut = last(flags.polygons);
      if (polygonsOut) {
        await writeFile(polygonsOut, JSON.stringify(Object.fromEntries(regions.regions.map((r) => [r.name, r.polygon.map(([x, y]) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10])])), null, 1) + '\n');
      }
      if (flags.json) {
        const { landmarks: _landmarks, ...faceRest } = face;
        const out = { face: faceRest, regions: { ...regions, regions: regions.regions.map(({ mask: _mask, ...r }) => r) } };
        process.stdout.write(JSON.stringify(out, null, 1) + '\n');
        return;
      }
      const p = face.pose;
      const lines = [
        `faces ${face.faceCount}, score ${face.score}, IPD ${face.ipdPx.toFixed(1)} px, yaw ${p.yawDeg.toFixed(1)}° pitch ${p.pitchDeg.toFixed(1)}° roll ${p.rollDeg.toFixed(1)}°`,
        `scale ${Number.isFinite(regions.scale.mmPerPx) ? regions.scale.mmPerPx.toFixed(4) + ' mm/px' : 'unknown'} (${regions.scale.source})`,
        'region              pixels kept  removed',
        ...regions.regions.map((r) => `${r.name.padEnd(18)} ${String(r.pixelsKept).padStart(12)}  ${(r.removedFraction * 100).toFixed(1).padStart(6)} %`),
        `flags: ${[...face.flags, ...regions.flags].map((f) => f.code).join(', ') || 'none'}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
