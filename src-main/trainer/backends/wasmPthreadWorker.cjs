'use strict';
/*
 * The pthread worker of tfjs-backend-wasm's threaded build, as a file that
 * Node's worker_threads can start. tfjs ships this script only as a string
 * (wasm-out/tfjs-backend-wasm-threaded-simd.worker.js exports it) and hands it
 * to emscripten as a blob: URL, which Node's Worker refuses (ERR_WORKER_PATH);
 * wasmThreadedModule.ts points emscripten at this file instead. The script is
 * emscripten's ordinary Node worker: it needs `require` and `__filename` as a
 * CommonJS module has them, so it runs inside a function that receives ours.
 * Copied beside the bundles by scripts/build.mjs; unpacked from the asar by
 * electron-builder.yml so that a worker thread reads it from disk.
 */
const vm = require('node:vm');
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');

// The string holds "\n" escapes that became real line breaks inside string
// literals; tfjs escapes them again the same way before making its blob.
const source = String(wasmWorkerContents).replace(/\n/g, '\\n');
const run = vm.runInThisContext(`(function (require, __filename) {${source}\n})`, { filename: 'tfjs-backend-wasm-threaded-simd.worker.js' });
run(require, __filename);
