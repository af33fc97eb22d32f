// Public names of score/ (re-exported by src/index.ts).
export {};
