// Public names of color/ (re-exported by src/index.ts).
export {};
