#!/usr/bin/env node
// Moves source files with `git mv` and rewrites every relative path that
// points at a moved file (imports, re-exports, dynamic imports, require,
// vi.mock, path.resolve(__dirname, '../x')), plus repository paths written
// out in comments, tests and docs ('src-main/dicom/x.ts', 'dicom/x.ts').
//
//   node scripts/move-files.mjs moves.json        (moves.json: { "old/path.ts": "new/path.ts", "old/dir": "new/dir" })
//   node scripts/move-files.mjs moves.json --dry  (prints what would change)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = process.cwd();
const [mapFile, ...flags] = process.argv.slice(2);
if (mapFile === undefined) {
  console.error('usage: node scripts/move-files.mjs <moves.json> [--dry]');
  process.exit(2);
}
const dry = flags.includes('--dry');
const requested = JSON.parse(fs.readFileSync(mapFile, 'utf8'));

const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
const trackedSet = new Set(tracked);

// Expands folder moves to file moves, so every moved file has one new path.
const fileMoves = new Map();
for (const [from, to] of Object.entries(requested)) {
  const prefix = from.replace(/\/$/, '') + '/';
  if (trackedSet.has(from)) fileMoves.set(from, to);
  else {
    const inside = tracked.filter((f) => f.startsWith(prefix));
    if (inside.length === 0) throw new Error(`nothing tracked at ${from}`);
    for (const f of inside) fileMoves.set(f, to.replace(/\/$/, '') + '/' + f.slice(prefix.length));
  }
}
for (const to of fileMoves.values()) {
  if (fs.existsSync(path.join(root, to))) throw new Error(`target exists: ${to}`);
}
const movedTo = (file) => fileMoves.get(file) ?? file;
// A folder's new place: where its files went, when all of them went to one place.
function movedDir(dir) {
  const prefix = dir + '/';
  const inside = tracked.filter((f) => f.startsWith(prefix));
  if (inside.length === 0 || !inside.every((f) => fileMoves.has(f))) return dir;
  const first = inside[0];
  const target = movedTo(first);
  const rest = first.slice(prefix.length);
  if (!target.endsWith('/' + rest)) return dir;
  const candidate = target.slice(0, target.length - rest.length - 1);
  return inside.every((f) => movedTo(f) === candidate + '/' + f.slice(prefix.length)) ? candidate : dir;
}

const codeRoots = ['src-main/', 'src-renderer/', 'tests/', 'bench/', 'scripts/'];
const codeExt = /\.(ts|tsx|mts|cts|vue|mjs|js|cjs)$/;
const isRootConfig = (f) => !f.includes('/') && codeExt.test(f);
const codeFiles = tracked.filter((f) => (codeRoots.some((r) => f.startsWith(r)) && codeExt.test(f)) || isRootConfig(f));
const textFiles = tracked.filter((f) => /\.(md|ts|tsx|vue|mjs|js|cjs|json|yml|yaml|py|sh)$/.test(f) && !f.startsWith('node_modules/'));

const resolveExts = ['', '.ts', '.tsx', '.vue', '.mjs', '.js', '.cjs', '.json', '.d.ts'];
// What a relative specifier written in `fromFile` points at: [tracked file or folder, suffix that was left implicit].
function resolveSpec(fromFile, spec) {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  for (const ext of resolveExts) if (trackedSet.has(base + ext)) return { target: base + ext, implicit: ext, dir: false };
  if (spec.endsWith('.js') && trackedSet.has(base.slice(0, -3) + '.ts')) return { target: base.slice(0, -3) + '.ts', implicit: '', jsForTs: true, dir: false };
  if (trackedSet.has(base + '/index.ts')) return { target: base + '/index.ts', implicit: '/index.ts', dir: false };
  if (tracked.some((f) => f.startsWith(base + '/'))) return { target: base, implicit: '', dir: true };
  return null;
}

function relativeSpec(fromFile, target) {
  let rel = path.posix.relative(path.posix.dirname(fromFile), target);
  if (rel === '') rel = '.';
  if (!rel.startsWith('.')) rel = './' + rel;
  return rel;
}

const literal = /(['"`])(\.{1,2}\/[^'"`\n$]*|\.{1,2})\1/g;
const changes = new Map();
for (const file of codeFiles) {
  const newFile = movedTo(file);
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const next = text.replace(literal, (whole, quote, spec) => {
    const hit = resolveSpec(file, spec);
    if (hit === null) return whole;
    const newTarget = hit.dir ? movedDir(hit.target) : movedTo(hit.target);
    if (newFile === file && newTarget === hit.target) return whole;
    let rel = relativeSpec(newFile, newTarget);
    if (hit.implicit && rel.endsWith(hit.implicit)) rel = rel.slice(0, rel.length - hit.implicit.length);
    if (hit.jsForTs) rel = rel.replace(/\.ts$/, '.js');
    if (spec.endsWith('/') && !rel.endsWith('/')) rel += '/';
    return `${quote}${rel}${quote}`;
  });
  if (next !== text) changes.set(file, next);
}

// Repository paths written out: 'src-main/dicom/x.ts', 'dicom/x.ts' (relative to src-main/), 'tests/unit/dicom/x.test.ts'.
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathRules = [];
for (const [from, to] of fileMoves) {
  const strip = (p) => p.replace(/\.(ts|tsx|vue|mjs|cjs|js)$/, '');
  const [fromBase, toBase] = [strip(from), strip(to)];
  pathRules.push({ re: new RegExp(`(?<![\\w/-])${escape(fromBase)}(?![\\w-])`, 'g'), to: toBase });
  if (from.startsWith('src-main/')) {
    pathRules.push({ re: new RegExp(`(?<![\\w/.-])${escape(fromBase.slice('src-main/'.length))}(?![\\w-])`, 'g'), to: toBase.slice('src-main/'.length) });
  }
}
// Longest first, so dicom/seg/x is not taken for dicom/seg.
pathRules.sort((a, b) => b.re.source.length - a.re.source.length);
for (const file of textFiles) {
  const text = changes.get(file) ?? fs.readFileSync(path.join(root, file), 'utf8');
  const marker = '\u0000';
  let next = text;
  const placed = [];
  for (const rule of pathRules) {
    next = next.replace(rule.re, () => {
      placed.push(rule.to);
      return `${marker}${placed.length - 1}${marker}`;
    });
  }
  next = next.replace(new RegExp(`${marker}(\\d+)${marker}`, 'g'), (_, i) => placed[Number(i)]);
  if (next !== text) changes.set(file, next);
}

if (dry) {
  for (const [from, to] of fileMoves) console.log(`move ${from} -> ${to}`);
  for (const file of changes.keys()) console.log(`edit ${file} (-> ${movedTo(file)})`);
  process.exit(0);
}
for (const [from, to] of fileMoves) {
  fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
  execFileSync('git', ['mv', from, to], { cwd: root });
}
for (const [file, text] of changes) fs.writeFileSync(path.join(root, movedTo(file)), text);
console.log(`${fileMoves.size} files moved, ${changes.size} files edited`);
