// Public names of image/ (re-exported by src/index.ts).
export {};
