/** Overlay thumbnails for the batch report (overlays/<photo id>.jpg): the photo cropped to the face with the region outlines, small. */
export const THUMBNAIL_OVERLAY = { kind: 'regions' as const, maxSidePx: 400 };
