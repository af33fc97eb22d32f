// Public names of wrinkle/ (re-exported by src/index.ts).
export {};
