// Preloaded (node -r) into electronegativity by scripts/security-gate.mjs: its
// `got` HTTP client is replaced by one that fails at once, so the gate never
// touches the network (electronegativity fetches translations at start and
// falls back to its bundled English ones) and does not wait on retries.
'use strict';
// The Module class, reached without a require() (this file is a plain preload).
const Module = module.constructor;

function offline() {
  return Promise.reject(new Error('network access is disabled in the security gate'));
}
const stub = Object.assign(offline, { head: offline, get: offline, extend: () => stub });

const load = Module._load;
Module._load = function loadWithoutNetwork(request, parent, isMain) {
  if (request === 'got') return stub;
  return load.call(this, request, parent, isMain);
};
