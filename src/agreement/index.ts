// Public names of agreement/ (re-exported by src/index.ts).
export {};
