/**
 * Named MediaPipe FaceMesh indices (canonical 468-point topology [Kartynnik2019], + 10 iris points [Ablavatski2020]).
 * "right"/"left" are the subject's own: in a frontal photo the subject's right eye is on the image left.
 * Lists were checked by drawing the numbered mesh on the test portraits (docs/face.md).
 */
export const MESH = {
  top: 10,
  chin: 152,
  noseTip: 1,
  cheekEdgeRight: 234,
  cheekEdgeLeft: 454,
  eyeOuterRight: 33,
  eyeInnerRight: 133,
  eyeOuterLeft: 263,
  eyeInnerLeft: 362,
  eyeUpperRight: 159,
  eyeLowerRight: 145,
  eyeUpperLeft: 386,
  eyeLowerLeft: 374,
  irisA: 468,
  irisB: 473,
} as const;

/** Face silhouette, clockwise in the image starting at the top of the mesh (10). */
export const FACE_OVAL = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132, 93,
  234, 127, 162, 21, 54, 103, 67, 109,
] as const;

export const EYE_RIGHT = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7] as const;
export const EYE_LEFT = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249] as const;

/** Brow outlines: upper edge lateral → medial, then lower edge medial → lateral. */
export const BROW_RIGHT = [70, 63, 105, 66, 107, 55, 65, 52, 53, 46] as const;
export const BROW_LEFT = [300, 293, 334, 296, 336, 285, 295, 282, 283, 276] as const;

export const LIPS_OUTER = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146] as const;
/** Inner lip contour, point k facing LIPS_OUTER[k] across the lip (the MediaPipe lip rings run in step). */
export const LIPS_INNER = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95] as const;

/**
 * The points Human's iris stage replaces with the iris model's output, per eye (eye contours 0–2 and lower ring 3, brow
 * upper and lower edge, iris): Human 3.3.6 src/face/facemeshcoords.ts, meshAnnotations for the keys of irisIndices.
 * Human flips both eye crops but un-flips only the subject's left eye's output, so the subject's right eye's points come
 * out of a mirrored crop decoded as if it were not mirrored (biased 2–3 % of face width towards the nose on obama.jpg,
 * and 3–4× jitterier): detectFace takes them from mirrored passes only (docs/face.md, Stability).
 */
export const IRIS_REFINED_RIGHT = [
  246, 161, 160, 159, 158, 157, 173, 33, 7, 163, 144, 145, 153, 154, 155, 133, 247, 30, 29, 27, 28, 56, 190, 130, 25, 110,
  24, 23, 22, 26, 112, 243, 113, 225, 224, 223, 222, 221, 189, 226, 31, 228, 229, 230, 231, 232, 233, 244, 143, 111, 117,
  118, 119, 120, 121, 128, 245, 156, 70, 63, 105, 66, 107, 55, 193, 35, 124, 46, 53, 52, 65, 473, 474, 475, 476, 477,
] as const;
export const IRIS_REFINED_LEFT = [
  466, 388, 387, 386, 385, 384, 398, 263, 249, 390, 373, 374, 380, 381, 382, 362, 467, 260, 259, 257, 258, 286, 414, 359, 255,
  339, 254, 253, 252, 256, 341, 463, 342, 445, 444, 443, 442, 441, 413, 446, 261, 448, 449, 450, 451, 452, 453, 464, 372,
  340, 346, 347, 348, 349, 350, 357, 465, 383, 300, 293, 334, 296, 336, 285, 417, 265, 353, 276, 283, 282, 295, 468, 469,
  470, 471, 472,
] as const;
