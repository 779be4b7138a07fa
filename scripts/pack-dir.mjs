#!/usr/bin/env node
// `npm run pack:dir` (after the build): electron-builder --dir, offline.
//
// electron-builder normally downloads the Electron zip for the target. Here
// it is given an Electron folder instead (electronDist): the real one in
// node_modules/electron/dist when that is installed, otherwise a stub folder
// (build/electron-stub) with the files electron-builder copies and renames.
// The stub gives a complete app.asar and app.asar.unpacked, for inspection
// and tests, but an app that cannot run; the output says so.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import builder from 'electron-builder';
import { locateElectron } from './lib/electronBinary.mjs';

const { build, Platform, Arch } = builder;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules/electron');
const stubDir = path.join(root, 'build/electron-stub');
const stubMarker = 'MACL-ELECTRON-STUB.txt';

for (const required of ['dist/main/main.cjs', 'dist/main/preload.cjs']) {
  if (!existsSync(path.join(root, required))) {
    console.error(`pack-dir: ${required} is missing; run \`node scripts/build.mjs\` first (or \`npm run pack:dir\`, which does).`);
    process.exit(1);
  }
}
if (!existsSync(path.join(root, 'dist/renderer/index.html'))) {
  console.warn('pack-dir: warning: dist/renderer/index.html is missing; the package will have no user interface.');
}

const electronVersion = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version;
const located = locateElectron({ electronDir });

/** A folder shaped like an unpacked Electron for Linux, holding placeholders only. */
function createLinuxStub(version) {
  rmSync(stubDir, { recursive: true, force: true });
  mkdirSync(path.join(stubDir, 'locales'), { recursive: true });
  mkdirSync(path.join(stubDir, 'resources'), { recursive: true });
  const executable = path.join(stubDir, 'electron');
  writeFileSync(
    executable,
    '#!/bin/sh\necho "This MACL Workstation folder was packed with a stub instead of Electron (no Electron binary was installed): it cannot run. Repack with the real Electron installed, or use npm run serve." >&2\nexit 1\n',
  );
  chmodSync(executable, 0o755);
  copyFileSync(path.join(electronDir, 'LICENSE'), path.join(stubDir, 'LICENSE'));
  writeFileSync(path.join(stubDir, 'LICENSES.chromium.html'), '<!-- placeholder: the real file comes with Electron -->\n');
  writeFileSync(path.join(stubDir, 'version'), version);
  // electronLanguages prunes locales/*.pak; an empty locales folder would make it stop.
  writeFileSync(path.join(stubDir, 'locales/en-US.pak'), '');
  writeFileSync(
    path.join(stubDir, stubMarker),
    `Placeholder for Electron ${version}, made by scripts/pack-dir.mjs because node_modules/electron/dist was missing.\n` +
      'A package built from it has the real app.asar, but its executable is a stub that cannot run the app.\n',
  );
}

let electronDist;
let usedStub = false;
if (located.status === 'present') {
  electronDist = path.dirname(located.binary);
  if (process.platform === 'darwin') electronDist = path.join(electronDir, 'dist');
} else if (process.platform === 'linux') {
  createLinuxStub(electronVersion);
  electronDist = stubDir;
  usedStub = true;
} else {
  console.error(`pack-dir: the Electron binary is missing (${located.reason}); a stub is only available for Linux. Install Electron first.`);
  process.exit(1);
}

const arch = Arch[process.arch];
if (arch === undefined) {
  console.error(`pack-dir: unsupported architecture ${process.arch}`);
  process.exit(1);
}

console.log(`pack-dir: Electron ${electronVersion} from ${path.relative(root, electronDist)}${usedStub ? ' (STUB: no Electron binary is installed)' : ''}`);
const started = Date.now();
const outputs = await build({
  projectDir: root,
  targets: Platform.current().createTarget(['dir'], arch),
  publish: 'never',
  config: {
    electronVersion,
    electronDist,
    // Fuses are flipped inside the Electron binary: a stub has none to flip.
    ...(usedStub ? { electronFuses: null } : {}),
  },
});

const releaseDir = path.join(root, 'release');
const unpacked = readdirSync(releaseDir).filter((name) => name.endsWith('-unpacked')).map((name) => path.join('release', name));
console.log(`pack-dir: done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${unpacked.join(', ') || outputs.join(', ')}`);
if (usedStub) {
  console.log(
    'pack-dir: NOTE: built with a STUB Electron (build/electron-stub), because the Electron binary is not installed here. ' +
      'resources/app.asar and app.asar.unpacked are complete and can be inspected, but the executable is a placeholder: this folder cannot run.',
  );
}
