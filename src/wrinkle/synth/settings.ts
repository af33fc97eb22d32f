/**
 * Generator settings for synthetic skin patches. Training, validation and test use DIFFERENT settings (not only
 * different seeds), so the held-out figures measure generalisation to conditions the model never saw.
 */
export interface SynthSettings {
  name: string;
  /** side of the square patch (mm) */
  patchMm: number;
  /** probabilities of severity none, mild, moderate, severe */
  severityWeights: [number, number, number, number];
  /** furrow width range (mm), sampled log-uniformly, scaled up with severity */
  widthMm: [number, number];
  /** furrow depth / width */
  depthRatio: [number, number];
  /** wrinkle length range (mm) */
  lengthMm: [number, number];
  /** spread of wrinkle directions around the patch's dominant direction (deg) */
  orientationSpreadDeg: number;
  /** light elevation above the skin plane (deg) */
  lightElevationDeg: [number, number];
  /** skin CIE L* range (D65) */
  skinL: [number, number];
  /** pores per cm² */
  poresPerCm2: [number, number];
  /** probability that a patch has each confounder */
  hairProb: number;
  eyebrowProb: number;
  vesselProb: number;
  frecklesProb: number;
  glareProb: number;
  shadowProb: number;
  /** optical blur σ (mm) */
  blurMm: [number, number];
  /** sensor noise sd at full signal, linear units */
  noiseSd: [number, number];
  /** JPEG quality range; 0 = no JPEG */
  jpegQuality: [number, number];
  /** amplitude of uneven illumination (fraction) */
  unevenLight: [number, number];
}

export const TRAIN_SETTINGS: SynthSettings = {
  name: 'train-v1',
  patchMm: 16,
  severityWeights: [0.2, 0.25, 0.3, 0.25],
  widthMm: [0.1, 0.9],
  depthRatio: [0.1, 0.45],
  lengthMm: [3, 20],
  orientationSpreadDeg: 25,
  lightElevationDeg: [35, 75],
  skinL: [42, 78],
  poresPerCm2: [30, 250],
  hairProb: 0.5,
  eyebrowProb: 0.3,
  vesselProb: 0.35,
  frecklesProb: 0.35,
  glareProb: 0.3,
  shadowProb: 0.3,
  blurMm: [0, 0.06],
  noiseSd: [0.002, 0.012],
  jpegQuality: [75, 95],
  unevenLight: [0, 0.35],
};

/** Validation: other seeds, slightly shifted conditions; used to choose thresholds (model and baseline alike). */
export const VALIDATION_SETTINGS: SynthSettings = {
  ...TRAIN_SETTINGS,
  name: 'validation-v1',
  severityWeights: [0.25, 0.25, 0.25, 0.25],
  widthMm: [0.12, 1.0],
  lightElevationDeg: [30, 70],
  skinL: [40, 76],
  jpegQuality: [70, 92],
};

/** Held-out test: seeds and settings never used in training or threshold choice. */
export const TEST_SETTINGS: SynthSettings = {
  ...TRAIN_SETTINGS,
  name: 'test-v1',
  patchMm: 19.2,
  severityWeights: [0.25, 0.25, 0.25, 0.25],
  widthMm: [0.1, 1.0],
  depthRatio: [0.09, 0.42],
  lengthMm: [4, 24],
  orientationSpreadDeg: 35,
  lightElevationDeg: [28, 80],
  skinL: [38, 80],
  poresPerCm2: [40, 300],
  hairProb: 0.4,
  eyebrowProb: 0.2,
  vesselProb: 0.4,
  frecklesProb: 0.4,
  glareProb: 0.35,
  shadowProb: 0.35,
  blurMm: [0, 0.07],
  noiseSd: [0.003, 0.015],
  jpegQuality: [65, 90],
  unevenLight: [0.05, 0.4],
};

/** Hard negatives: no wrinkles, every confounder likely. */
export const HARD_NEGATIVE_SETTINGS: SynthSettings = {
  ...TEST_SETTINGS,
  name: 'hard-negative-v1',
  severityWeights: [1, 0, 0, 0],
  hairProb: 0.8,
  eyebrowProb: 0.4,
  vesselProb: 0.8,
  frecklesProb: 0.6,
  glareProb: 0.6,
  shadowProb: 0.6,
  poresPerCm2: [150, 350],
};

/** Seed bases: each split draws patch seeds from its own range, never overlapping. */
export const SEED_BASE = { train: 1_000_000, context: 1_500_000, validation: 2_000_000, test: 3_000_000, hardNegative: 4_000_000, smoke: 5_000_000 } as const;
