/**
 * The process boundaries (docs/architecture.md) are lint rules; these
 * tests make sure the rules really fire, so a config change cannot silently
 * turn them off.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function errorsOf(rule: string, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

function boundaryErrors(file: string, code: string): Promise<string[]> {
  return errorsOf('@typescript-eslint/no-restricted-imports', file, code);
}

/** Lints `code` as if it stood in `file` (an existing file, so that the files it imports can import it back). */
function cycleErrors(file: string, code: string): Promise<string[]> {
  return errorsOf('import-x/no-cycle', file, code);
}

describe('import boundaries', () => {
  it('the renderer imports only the shared contract', async () => {
    expect(await boundaryErrors('src-renderer/stores/probe.ts', "import { appContract } from '../../src-main/shared/contract/appContract';\nexport const a = appContract;\n")).toEqual([]);
    const errors = await boundaryErrors(
      'src-renderer/stores/probe.ts',
      "import { createHostServer } from '../../src-main/host/hostServer';\nimport fs from 'node:fs';\nimport * as tf from '@tensorflow/tfjs';\nexport const a = [createHostServer, fs, tf];\n",
    );
    expect(errors).toHaveLength(3);
  });

  it('model code imports only tfjs', async () => {
    expect(await boundaryErrors('src-main/ml/probe.ts', "import * as tf from '@tensorflow/tfjs';\nexport const a = tf;\n")).toEqual([]);
    const errors = await boundaryErrors(
      'src-main/ml/probe.ts',
      "import { readFileSync } from 'node:fs';\nimport { ok } from '../shared/result';\nimport { z } from 'zod';\nexport const a = [readFileSync, ok, z];\n",
    );
    expect(errors).toHaveLength(3);
  });

  it('the shared contract stays pure', async () => {
    const errors = await boundaryErrors(
      'src-main/shared/probe.ts',
      "import { createTrainerSupervisor } from '../services/trainerSupervisor';\nimport { randomBytes } from 'node:crypto';\nexport const a = [createTrainerSupervisor, randomBytes];\n",
    );
    expect(errors).toHaveLength(2);
  });

  it('main-process folders import only the layers below them', async () => {
    expect(await boundaryErrors('src-main/importing/probe.ts', "import { readDicomHeader } from '../dicom/header/readDicomHeader';\nexport const a = readDicomHeader;\n")).toEqual([]);
    expect(await boundaryErrors('src-main/importing/probe.ts', "import { createLabelService } from '../labels/labelService';\nexport const a = createLabelService;\n")).toHaveLength(1);
    expect(await boundaryErrors('src-main/dicom/seg/probe.ts', "import { LabelError } from '../../labels/labelError';\nexport const a = LabelError;\n")).toHaveLength(1);
    expect(await boundaryErrors('src-main/dicom/header/probe.ts', "import { decodeFile } from '../pixels/pixelDecode';\nexport const a = decodeFile;\n")).toHaveLength(1);
    expect(await boundaryErrors('src-main/session/probe.ts', "import { trainerContract } from '../trainer/protocol';\nexport const a = trainerContract;\n")).toHaveLength(1);
    // The trainer loads pacs/ in one file only: the PACS archive of a pre-training.
    const pacsClient = "import { PacsClient } from '../../pacs/pacsClient';\nexport const a = PacsClient;\n";
    expect(await boundaryErrors('src-main/trainer/jobs/probe.ts', pacsClient)).toHaveLength(1);
    expect(await boundaryErrors('src-main/trainer/jobs/pacsArchiveSource.ts', pacsClient)).toEqual([]);
    expect(await boundaryErrors('src-main/trainer/jobs/pacsArchiveSource.ts', "import { createJobService } from '../../session/jobService';\nexport const a = createJobService;\n")).toHaveLength(1);
  });

  it('only app code imports electron at run time', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await boundaryErrors('src-main/app/probe.ts', code)).toEqual([]);
    expect(await boundaryErrors('src-main/services/probe.ts', code)).toHaveLength(1);
    expect(await boundaryErrors('tests/unit/probe.test.ts', code)).toHaveLength(1);
    // Type-only imports are erased, so they are allowed.
    expect(await boundaryErrors('tests/unit/probe.test.ts', "import type { App } from 'electron';\nexport type A = App;\n")).toEqual([]);
  });
});

describe('import cycles', () => {
  it('a cycle among main-process files fails lint', async () => {
    // labels/labelService.ts imports labels/labelError.ts.
    expect(await cycleErrors('src-main/labels/labelError.ts', "import { createLabelService } from './labelService';\nexport const a = createLabelService;\n")).toHaveLength(1);
  });

  it('a cycle through a component fails lint', async () => {
    // StatusBar.vue imports components/format.ts.
    expect(await cycleErrors('src-renderer/components/format.ts', "import StatusBar from './StatusBar.vue';\nexport const a = StatusBar;\n")).toHaveLength(1);
    expect(await cycleErrors('src-renderer/components/format.ts', "export const a = 1;\n")).toEqual([]);
  });
});
