#!/usr/bin/env node
// The project's test command (`npm test`): the Debian packages the tests need
// (installed when run as root, else it stops at once with the install line),
// static checks (typecheck, lint, the
// Electron security gate), a build, then every vitest project (unit, contract,
// packaging, security, renderer, end-to-end in headless Chromium). Ends with
// one summary line `N passed, N failed[, N skipped]` that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianPackages } from './debian-packages.mjs';

const missingPackages = ensureDebianPackages();
if (missingPackages !== null) {
  console.error(missingPackages);
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'test-output');
mkdirSync(outDir, { recursive: true });
const bin = (name) => path.join(root, 'node_modules/.bin', name);

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(name, command, args) {
  const started = Date.now();
  console.log(`\n=== ${name}: ${[path.basename(command), ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s`);
  return ok;
}

function check(name, command, args) {
  if (step(name, command, args)) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
}

check('typecheck', bin('vue-tsc'), ['-b']);
check('lint', bin('eslint'), ['.', '--max-warnings', '0']);
const built = step('build', process.execPath, ['scripts/build.mjs']);
if (!built) {
  failed += 1;
  failures.push('build');
}
check('security gate', process.execPath, ['scripts/security-gate.mjs']);

const report = path.join(outDir, 'vitest.json');
const extra = process.argv.slice(2);
step('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...(built ? [] : ['--project', 'unit', '--project', 'renderer']), ...extra]);
if (existsSync(report)) {
  const results = JSON.parse(readFileSync(report, 'utf8'));
  passed += results.numPassedTests ?? 0;
  failed += results.numFailedTests ?? 0;
  skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  for (const file of results.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') failures.push(`${path.relative(root, file.name)} > ${test.fullName}`);
    }
    // A file that failed to load has no assertions but still failed.
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      failed += 1;
      failures.push(`${path.relative(root, file.name)} (failed to run: ${String(file.message ?? '').split('\n')[0]})`);
    }
  }
} else {
  failed += 1;
  failures.push('vitest (no report written)');
}

if (failures.length > 0) {
  console.log('\nFailed:');
  for (const name of failures) console.log(`  - ${name}`);
}
console.log(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
