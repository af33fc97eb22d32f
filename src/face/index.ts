// Public names of face/ (re-exported by src/index.ts).
export {};
