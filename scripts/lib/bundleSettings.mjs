// What every Node-side bundle of the app shares, for scripts/build.mjs and the
// tests that bundle the trainer or CLI themselves (tests/support/bundleTrainer.ts).

// Loaded at run time from node_modules (native code, or packages that find
// their own files on disk), never bundled.
export const externalPackages = [
  'electron',
  // tfjs is loaded from node_modules so that native tfjs-node, when installed,
  // registers its backend with the same tfjs-core instance the trainer uses.
  '@tensorflow/*',
  'webgpu',
  // Emscripten codecs locate their .wasm beside their own files.
  '@cornerstonejs/codec-charls',
  '@cornerstonejs/codec-openjpeg',
  '@cornerstonejs/codec-libjpeg-turbo-8bit',
  'bufferutil',
  'utf-8-validate',
];

// Plain files the bundles start as worker threads, copied beside them: the
// WASM backend's pthread worker (src-main/trainer/backends/wasmThreadedModule.ts
// finds it in the bundles' folder).
export const workerFiles = ['src-main/trainer/backends/wasmPthreadWorker.cjs'];
