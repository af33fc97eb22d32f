// Public names of erythema/ (re-exported by src/index.ts).
export {};
