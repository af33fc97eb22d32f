// Public names of batch/ (re-exported by src/index.ts).
export {};
