/** Overlay thumbnails for the batch report (overlays/<photo id>.jpg): small, on one fixed haemoglobin-index range so visits compare. */
export const THUMBNAIL_OVERLAY = { maxSidePx: 520, range: [-2, 12] as [number, number] };
