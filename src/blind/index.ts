// Public names of blind/ (re-exported by src/index.ts).
export {};
