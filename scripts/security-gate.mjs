#!/usr/bin/env node
// `npm run security`: static Electron security analysis of the app code with
// @doyensec/electronegativity, offline. Every finding must be justified by an
// entry of security/electronegativity-allowlist.json (with a written reason);
// the gate fails on unjustified findings, on invalid or stale allow-list
// entries, and on files the analyser could not parse (they went unscanned).
// electronegativity itself exits 0 whatever it finds, hence this wrapper.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findingsFromSarif,
  formatEntry,
  formatFinding,
  judgeFindings,
  parseFailures,
  validateAllowlist,
} from './lib/securityAllowlist.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Everything that touches Electron lives here (docs/architecture.md, the process boundaries); the bundles are derived from it. */
const scannedDirs = ['src-main/app'];
const allowlistFile = 'security/electronegativity-allowlist.json';
const outDir = path.join(root, 'test-output/security');
const cli = path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
// The one check that needs the network (it downloads Electron's release list to
// look for newer security fixes); the gate runs offline (offlineGot.cjs).
const excludedChecks = ['AvailableSecurityFixesGlobalCheck'];

const electronVersion = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
mkdirSync(outDir, { recursive: true });

const problems = [];
const findings = [];
for (const dir of scannedDirs) {
  const output = path.join(outDir, `electronegativity-${dir.replace(/[^a-z0-9]+/gi, '-')}.sarif`);
  const result = spawnSync(
    process.execPath,
    ['-r', path.join(root, 'scripts/lib/offlineGot.cjs'), cli, '-i', path.join(root, dir), '-o', output, '-r', '-e', electronVersion, '-x', excludedChecks.join(',')],
    // LANG: messages in English whatever the machine's locale.
    { cwd: root, encoding: 'utf8', env: { ...process.env, LANG: 'en-US' }, timeout: 120_000 },
  );
  const console_ = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
  if (result.status !== 0 || !existsSync(output)) {
    problems.push(`electronegativity failed on ${dir} (exit ${result.status ?? result.signal}): ${console_.trim().split('\n').slice(-3).join(' | ')}`);
    continue;
  }
  for (const failure of parseFailures(console_)) problems.push(`${dir}: not scanned: ${failure}`);
  findings.push(...findingsFromSarif(JSON.parse(readFileSync(output, 'utf8')), dir));
}

const allowlistPath = path.join(root, allowlistFile);
const { entries, errors } = existsSync(allowlistPath)
  ? validateAllowlist(JSON.parse(readFileSync(allowlistPath, 'utf8')))
  : { entries: [], errors: [] };
for (const error of errors) problems.push(`${allowlistFile}: rejected ${error}`);

const lines = new Map();
const sourceLine = (file, line) => {
  if (!lines.has(file)) {
    const full = path.join(root, file);
    lines.set(file, existsSync(full) ? readFileSync(full, 'utf8').split('\n') : null);
  }
  return lines.get(file)?.[line - 1] ?? null;
};
const { justified, unjustified, stale } = judgeFindings(findings, entries, sourceLine);

console.log(`security gate: electronegativity ${scannedDirs.join(', ')} (Electron ${electronVersion}): ${findings.length} finding(s)`);
for (const { finding, entry } of justified) console.log(`  allowed   ${formatFinding(finding)}\n            reason: ${entry.reason}`);
for (const finding of unjustified) console.log(`  UNJUSTIFIED ${formatFinding(finding)}`);
for (const entry of stale) console.log(`  STALE allow-list entry (matches no finding; remove it): ${formatEntry(entry)}`);
for (const problem of problems) console.log(`  ERROR ${problem}`);

const failed = unjustified.length + stale.length + problems.length;
console.log(
  `security gate: ${justified.length} justified, ${unjustified.length} unjustified, ${stale.length} stale allow-list entr${stale.length === 1 ? 'y' : 'ies'}, ${problems.length} error(s): ${failed === 0 ? 'PASS' : 'FAIL'}`,
);
process.exit(failed === 0 ? 0 : 1);
