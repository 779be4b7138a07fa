/**
 * The workspace's model registry: every model (pre-training checkpoint or
 * fine-tuned U-Net) in its own folder models/<id>/ holding model.json and
 * weights.bin in the tfjs weights-manifest format (other tfjs tools can read
 * them) and record.json (modelRecord.ts).
 *
 * Crash safety: a save writes all three files (each fsynced) into a hidden
 * `.partial-<id>` folder, then renames that folder to `<id>` and fsyncs
 * models/. Listing reads only non-hidden folders with a valid record, so a
 * save killed at any moment leaves the registry as it was (earlier models
 * untouched) plus at most a hidden leftover, removed at the next open.
 * Removal renames first (`.removing-<id>`), then deletes.
 *
 * Names are not unique: saving under an existing name adds a version, and
 * a name resolves to its newest version.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { artifactFromModelJson, artifactToModelJson, type ParamArtifact } from '../ml/serialize';
import { nodeAtomicWriteFs, writeFileAtomic, writeJsonAtomic, type AtomicWriteFs } from './atomicWrite';
import { isIntermediate, modelMetaSchema, modelRecordSchema, type ModelMeta, type ModelRecord } from '../shared/contract/modelRecord';

const modelFile = 'model.json';
const weightsFile = 'weights.bin';
const recordFile = 'record.json';
const partialPrefix = '.partial-';
const removingPrefix = '.removing-';
/** Leftovers older than this are from a killed save or removal (a live save takes seconds). */
const staleLeftoverMs = 60 * 60 * 1000;

/** Thrown when a name or id matches no model. */
export class ModelNotFoundError extends Error {
  override readonly name = 'ModelNotFoundError';
}

export interface ModelRegistryOptions {
  /** Replaces the file system for the file writes and the final rename (tests inject failures). */
  readonly fs?: AtomicWriteFs;
  /** Clock for ids and `created` (tests). */
  readonly now?: () => Date;
}

export interface LoadedModel {
  readonly record: ModelRecord;
  readonly artifact: ParamArtifact;
}

/** A registry over one workspace's models/ folder. */
export interface ModelRegistry {
  readonly dir: string;
  /** Every complete model, newest first. Folders with an unreadable record are skipped and reported in `problems`. */
  list(): Promise<ModelRecord[]>;
  /** Problems met by the last list() (unreadable records), for logs. */
  readonly problems: readonly string[];
  /** The model with this id, else the newest one with this name; throws ModelNotFoundError. */
  find(idOrName: string): Promise<ModelRecord>;
  /** The newest model called `name` (optionally of one kind), or null. */
  latest(name: string, kind?: ModelRecord['kind']): Promise<ModelRecord | null>;
  /** Writes a new model (see the module comment); returns its record. */
  save(artifact: ParamArtifact, meta: ModelMeta): Promise<ModelRecord>;
  /** Reads a model's record and weights; throws ModelNotFoundError or a clear error for damaged files. */
  load(idOrName: string): Promise<LoadedModel>;
  /** Removes one model (the id, or the newest of the name); returns its record. */
  remove(idOrName: string): Promise<ModelRecord>;
  /** Removes intermediate checkpoints of `name` except the newest `keep`; returns how many were removed. */
  pruneCheckpoints(name: string, keep: number): Promise<number>;
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

function isMissing(thrown: unknown): boolean {
  return (thrown as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** A sortable id: UTC time to the second plus random hex (two saves in one second differ). */
export function newModelId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Newest first: by creation time, then version, then id. */
function newestFirst(a: ModelRecord, b: ModelRecord): number {
  return b.created.localeCompare(a.created) || b.version - a.version || b.id.localeCompare(a.id);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await fsp.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not possible on every platform (Windows); the rename is then as durable as the OS makes it.
  }
}

async function removeStaleLeftovers(dir: string, nowMs: number): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (thrown) {
    if (isMissing(thrown)) return;
    throw thrown;
  }
  for (const name of names) {
    if (!name.startsWith(partialPrefix) && !name.startsWith(removingPrefix)) continue;
    const full = path.join(dir, name);
    const stat = await fsp.stat(full).catch(() => null);
    const stale = name.startsWith(removingPrefix) || (stat !== null && nowMs - stat.mtimeMs > staleLeftoverMs);
    if (stale) await fsp.rm(full, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** Opens the registry of the workspace at `workspaceDir` (models/ is created on the first save). */
export async function openModelRegistry(workspaceDir: string, options: ModelRegistryOptions = {}): Promise<ModelRegistry> {
  const dir = path.join(path.resolve(workspaceDir), 'models');
  const fs = options.fs ?? nodeAtomicWriteFs;
  const now = options.now ?? (() => new Date());
  let problems: string[] = [];
  await removeStaleLeftovers(dir, now().getTime());

  async function readRecord(folder: string): Promise<ModelRecord> {
    const file = path.join(dir, folder, recordFile);
    const parsed = modelRecordSchema.safeParse(JSON.parse(await fsp.readFile(file, 'utf8')));
    if (!parsed.success) throw new Error(`${file}: not a model record (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? 'invalid'})`);
    if (parsed.data.id !== folder) throw new Error(`${file}: the record's id ${parsed.data.id} does not match its folder`);
    return parsed.data;
  }

  async function list(): Promise<ModelRecord[]> {
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch (thrown) {
      if (isMissing(thrown)) return [];
      throw new Error(`Could not read the model registry ${dir}: ${describe(thrown)}`, { cause: thrown });
    }
    const found: ModelRecord[] = [];
    const seen: string[] = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      try {
        found.push(await readRecord(name));
      } catch (thrown) {
        seen.push(isMissing(thrown) ? `${path.join(dir, name)}: no ${recordFile}; not a model` : describe(thrown));
      }
    }
    problems = seen;
    return found.sort(newestFirst);
  }

  async function find(idOrName: string): Promise<ModelRecord> {
    const all = await list();
    const match = all.find((r) => r.id === idOrName) ?? all.find((r) => r.name === idOrName);
    if (match !== undefined) return match;
    const names = [...new Set(all.map((r) => r.name))];
    const known = names.length === 0 ? 'The registry is empty' : `Known names: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`;
    throw new ModelNotFoundError(`No model called "${idOrName}" in ${dir}. ${known} (run "macl models" to list them).`);
  }

  async function save(artifact: ParamArtifact, meta: ModelMeta): Promise<ModelRecord> {
    const checked = modelMetaSchema.parse(meta);
    const created = now();
    const id = newModelId(created);
    const sameName = (await list()).filter((r) => r.name === checked.name);
    const record: ModelRecord = {
      format: 'macl-model-record',
      formatVersion: 1,
      id,
      version: sameName.reduce((max, r) => Math.max(max, r.version), 0) + 1,
      created: created.toISOString(),
      weightBytes: artifact.data.byteLength,
      ...checked,
    };
    const partial = path.join(dir, `${partialPrefix}${id}`);
    await fsp.mkdir(partial, { recursive: true });
    try {
      await writeFileAtomic(path.join(partial, weightsFile), new Uint8Array(artifact.data), { fs });
      await writeJsonAtomic(path.join(partial, modelFile), artifactToModelJson(artifact, weightsFile), { fs });
      await writeJsonAtomic(path.join(partial, recordFile), record, { fs });
      await fs.rename(partial, path.join(dir, id));
    } catch (thrown) {
      await fsp.rm(partial, { recursive: true, force: true }).catch(() => undefined);
      throw new Error(`Could not save the model "${checked.name}" into ${dir}: ${describe(thrown)} (earlier models are intact).`, { cause: thrown });
    }
    await syncDir(dir);
    return record;
  }

  async function load(idOrName: string): Promise<LoadedModel> {
    const record = await find(idOrName);
    const folder = path.join(dir, record.id);
    try {
      const json: unknown = JSON.parse(await fsp.readFile(path.join(folder, modelFile), 'utf8'));
      const bytes = await fsp.readFile(path.join(folder, weightsFile));
      const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      return { record, artifact: artifactFromModelJson(json, data) };
    } catch (thrown) {
      throw new Error(`The model "${record.name}" (${record.id}) in ${folder} is damaged: ${describe(thrown)}`, { cause: thrown });
    }
  }

  async function removeRecord(record: ModelRecord): Promise<void> {
    const doomed = path.join(dir, `${removingPrefix}${record.id}`);
    await fsp.rename(path.join(dir, record.id), doomed);
    await syncDir(dir);
    await fsp.rm(doomed, { recursive: true, force: true });
  }

  return {
    dir,
    get problems() {
      return problems;
    },
    list,
    find,
    async latest(name, kind) {
      return (await list()).find((r) => r.name === name && (kind === undefined || r.kind === kind)) ?? null;
    },
    save,
    load,
    async remove(idOrName) {
      const record = await find(idOrName);
      await removeRecord(record);
      return record;
    },
    async pruneCheckpoints(name, keep) {
      const intermediate = (await list()).filter((r) => r.name === name && isIntermediate(r));
      const doomed = intermediate.slice(Math.max(0, keep));
      for (const record of doomed) await removeRecord(record);
      return doomed.length;
    },
  };
}
