/** Binary-mask morphology for wrinkle masks: thinning, skeleton length, connected components. Masks are 0/1 bytes. */

/**
 * Zhang–Suen thinning to a one-pixel-wide 8-connected skeleton [Zhang1984]; pixels outside the image count as 0.
 */
export function thin(mask: Uint8Array, width: number, height: number): Uint8Array {
  return thinPixels(mask, width, height).skeleton;
}

/** thin, and the skeleton's pixels as a list in raster order. */
export function thinPixels(mask: Uint8Array, width: number, height: number): { skeleton: Uint8Array; pixels: number[] } {
  const img = mask.slice();
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= width || y >= height ? 0 : img[y * width + x]);
  // only foreground pixels can be deleted: walk their list (raster order) instead of the whole image, same result
  let active: Int32Array = new Int32Array(width * height);
  let nActive = 0;
  for (let i = 0; i < img.length; i++) if (img[i]) active[nActive++] = i;
  active = active.slice(0, nActive);
  const del = new Int32Array(nActive);
  let changed = true;
  while (changed) {
    changed = false;
    for (let pass = 0; pass < 2; pass++) {
      let nDel = 0;
      for (let j = 0; j < nActive; j++) {
        const i = active[j];
        const y = (i / width) | 0;
        const x = i - y * width;
        // neighbours P2..P9 clockwise from north [Zhang1984] Fig. 1
        const p2 = at(x, y - 1), p3 = at(x + 1, y - 1), p4 = at(x + 1, y), p5 = at(x + 1, y + 1);
        const p6 = at(x, y + 1), p7 = at(x - 1, y + 1), p8 = at(x - 1, y), p9 = at(x - 1, y - 1);
        const b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9; // B(P1)
        if (b < 2 || b > 6) continue;
        // A(P1): 01 patterns in the ordered sequence p2, p3, ..., p9, p2
        const a = (p2 === 0 && p3 === 1 ? 1 : 0) + (p3 === 0 && p4 === 1 ? 1 : 0) + (p4 === 0 && p5 === 1 ? 1 : 0) + (p5 === 0 && p6 === 1 ? 1 : 0) +
          (p6 === 0 && p7 === 1 ? 1 : 0) + (p7 === 0 && p8 === 1 ? 1 : 0) + (p8 === 0 && p9 === 1 ? 1 : 0) + (p9 === 0 && p2 === 1 ? 1 : 0);
        if (a !== 1) continue;
        if (pass === 0) {
          if (p2 * p4 * p6 !== 0 || p4 * p6 * p8 !== 0) continue; // [Zhang1984] conditions (c), (d)
        } else if (p2 * p4 * p8 !== 0 || p2 * p6 * p8 !== 0) continue; // (c'), (d')
        del[nDel++] = i;
      }
      for (let k = 0; k < nDel; k++) img[del[k]] = 0;
      if (nDel) {
        changed = true;
        let m = 0;
        for (let j = 0; j < nActive; j++) if (img[active[j]]) active[m++] = active[j];
        nActive = m;
      }
    }
  }
  // Zhang–Suen leaves 2-pixel-thick staircases on diagonals. Remove, in one raster pass, every non-end pixel whose
  // neighbours stay 8-connected among themselves without it (a simple point [Rosenfeld1970]), so the chain-code
  // length below sees single diagonal steps.
  const ring: [number, number][] = [[0, -1], [1, -1], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1]];
  const parent = [0, 0, 0, 0, 0, 0, 0, 0];
  const on = [false, false, false, false, false, false, false, false];
  const find = (a: number): number => (parent[a] === a ? a : (parent[a] = find(parent[a])));
  // the remaining foreground in raster order (`active` keeps that order): the same sequence as a raster scan
  for (let j = 0; j < nActive; j++) {
    const i = active[j];
    if (!img[i]) continue;
    const y = (i / width) | 0;
    const x = i - y * width;
    let count = 0;
    for (let k = 0; k < 8; k++) {
      on[k] = at(x + ring[k][0], y + ring[k][1]) === 1;
      parent[k] = k;
      if (on[k]) count++;
    }
    if (count < 2) continue;
    for (let k = 0; k < 8; k++) {
      if (on[k] && on[(k + 1) % 8]) parent[find(k)] = find((k + 1) % 8);
      // orthogonal neighbours (even ring positions) two apart touch diagonally
      if (k % 2 === 0 && on[k] && on[(k + 2) % 8]) parent[find(k)] = find((k + 2) % 8);
    }
    let root = -1;
    let single = true;
    for (let k = 0; k < 8; k++) {
      if (!on[k]) continue;
      const r = find(k);
      if (root < 0) root = r;
      else if (r !== root) single = false;
    }
    if (single) img[i] = 0;
  }
  const pixels: number[] = [];
  for (let j = 0; j < nActive; j++) if (img[active[j]]) pixels.push(active[j]);
  return { skeleton: img, pixels };
}

/**
 * Length of an 8-connected skeleton in pixels by the corner-count estimator of [Vossepoel1982]:
 * 0.980 per orthogonal link + 1.406 per diagonal link − 0.091 per corner (max. error ~1-2 % for straight lines at any
 * angle); a diagonal link is not counted when an orthogonal path joins the same two pixels.
 * With `within`, only the part inside it counts: links to pixels outside count half.
 */
export function skeletonLengthPx(skel: Uint8Array, width: number, height: number, within?: Uint8Array): number {
  const starts: number[] = [];
  for (let i = 0; i < skel.length; i++) if (skel[i] && (!within || within[i])) starts.push(i);
  const on = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height && skel[y * width + x] === 1;
  return skeletonLengthOf(starts, width, on, within ? (j) => within[j] === 1 : undefined);
}

/**
 * The same estimator over a list of skeleton pixels (indices on a grid `width` wide, any order): `on(x, y)` says
 * whether a pixel is on the skeleton, `inside(i)` (default: all) which pixels count fully — links from a listed pixel to
 * one outside count half, from either side. Lets a region measure its part of one large skeleton without scanning
 * the region's box.
 */
export function skeletonLengthOf(pixels: ArrayLike<number>, width: number, on: (x: number, y: number) => boolean, inside?: (i: number) => boolean): number {
  let even = 0;
  let odd = 0;
  let corners = 0;
  const w = (j: number): number => (inside && !inside(j) ? 0.5 : 1);
  for (let p = 0; p < pixels.length; p++) {
    const i = pixels[p];
    const y = Math.floor(i / width);
    const x = i - y * width;
    // count each link once from its first pixel in raster order (right, down, down-right, down-left)
    if (on(x + 1, y)) even += w(i + 1);
    if (on(x, y + 1)) even += w(i + width);
    if (on(x + 1, y + 1) && !on(x + 1, y) && !on(x, y + 1)) odd += w(i + width + 1);
    if (on(x - 1, y + 1) && !on(x - 1, y) && !on(x, y + 1)) odd += w(i + width - 1);
    // backward links to pixels outside (those are not listed) still count half
    if (inside) {
      if (on(x - 1, y) && !inside(i - 1)) even += 0.5;
      if (on(x, y - 1) && !inside(i - width)) even += 0.5;
      if (on(x - 1, y - 1) && !on(x - 1, y) && !on(x, y - 1) && !inside(i - width - 1)) odd += 0.5;
      if (on(x + 1, y - 1) && !on(x + 1, y) && !on(x, y - 1) && !inside(i - width + 1)) odd += 0.5;
    }
    // corners: pixels with exactly two neighbours whose link directions are not opposite (the chain code changes)
    let n = 0, sx = 0, sy = 0;
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && on(x + dx, y + dy)) {
      n++;
      sx += dx;
      sy += dy;
    }
    if (n === 2 && (sx !== 0 || sy !== 0)) corners++;
  }
  return 0.98 * even + 1.406 * odd - 0.091 * corners; // [Vossepoel1982] corner-count estimator
}

/**
 * 8-connected components of a set of pixels given as a list of indices on a grid `width` wide (any order; the listed
 * pixels are the set): union–find over the list [Tarjan1975], O(list) apart from `slot`, a grid-sized scratch array
 * that must be all 0 on entry and is left so. Returns each listed pixel's root (a list position) and the size of the
 * component of each root.
 */
export function listComponents(pixels: ArrayLike<number>, width: number, slot: Int32Array): { root: Int32Array; size: Int32Array } {
  const n = pixels.length;
  const parent = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    parent[k] = k;
    slot[pixels[k]] = k + 1;
  }
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const link = (k: number, q: number): void => {
    const other = slot[q] - 1;
    if (other < 0) return;
    const ra = find(k), rb = find(other);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  for (let k = 0; k < n; k++) {
    const q = pixels[k];
    const x = q % width;
    // the four neighbours before this pixel in raster order (each adjacent pair is seen once, from its later pixel)
    if (x > 0) link(k, q - 1);
    if (q >= width) {
      link(k, q - width);
      if (x > 0) link(k, q - width - 1);
      if (x < width - 1) link(k, q - width + 1);
    }
  }
  const root = new Int32Array(n);
  const size = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    slot[pixels[k]] = 0;
    root[k] = find(k);
    size[root[k]]++;
  }
  return { root, size };
}

/** Sizes of the 8-connected components of a pixel list (see listComponents; `slot` as there). */
export function componentSizes(pixels: ArrayLike<number>, width: number, slot: Int32Array): number[] {
  const { root, size } = listComponents(pixels, width, slot);
  const out: number[] = [];
  for (let k = 0; k < root.length; k++) if (root[k] === k) out.push(size[k]);
  return out;
}
