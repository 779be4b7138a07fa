/**
 * Which model version made the prediction each k slice shows, and what that
 * means for the radiologist: fresh (the newest version), stale (an older
 * one, a newer is on its way), pending (nothing shown yet, the model is
 * working on it) or none (no model has predicted it and none is working).
 * Kept beside the prediction layer so the viewer never shows a mix of
 * versions without the panel saying so.
 */

/** A slice's prediction status. */
export type SliceStatus = 'fresh' | 'stale' | 'pending' | 'none';

/** How many slices show each model version (0: none yet), newest first. */
export interface VersionCount {
  readonly version: number;
  readonly slices: number;
}

/** The per-slice picture at one moment, for the panel and the strip. */
export interface SliceVersionSummary {
  /** The newest model version known (0: none yet). */
  readonly newest: number;
  readonly statuses: readonly SliceStatus[];
  /** The version each slice shows (0: none). */
  readonly versions: readonly number[];
  readonly counts: Readonly<Record<SliceStatus, number>>;
  /** Versions shown, newest first, without the unpredicted slices. */
  readonly shown: readonly VersionCount[];
}

export class SliceVersions {
  private readonly versions: Uint32Array;
  private newestKnown = 0;

  constructor(readonly sliceCount: number) {
    this.versions = new Uint32Array(sliceCount);
  }

  /** The newest model version heard of, from a status or a slice. */
  get newest(): number {
    return this.newestKnown;
  }

  /** The version slice k shows (0: none). */
  versionOf(k: number): number {
    return this.versions[k] ?? 0;
  }

  /** Notes that `version` exists (a status said so); older slices become stale. */
  noteVersion(version: number): void {
    if (version > this.newestKnown) this.newestKnown = version;
  }

  /** Records that slice k now shows `version`. */
  record(k: number, version: number): void {
    if (k < 0 || k >= this.sliceCount) throw new RangeError(`Slice ${k} is outside the ${this.sliceCount}-slice volume.`);
    this.versions[k] = version;
    this.noteVersion(version);
  }

  /** Forgets every slice's version (the prediction was cleared); the newest version stays known. */
  clear(): void {
    this.versions.fill(0);
  }

  /** The status of slice k; `working` says whether the model is training or inferring now. */
  statusOf(k: number, working: boolean): SliceStatus {
    const shown = this.versionOf(k);
    if (shown === 0) return working ? 'pending' : 'none';
    return shown >= this.newestKnown ? 'fresh' : 'stale';
  }

  summarize(working: boolean): SliceVersionSummary {
    const statuses: SliceStatus[] = [];
    const counts: Record<SliceStatus, number> = { fresh: 0, stale: 0, pending: 0, none: 0 };
    const perVersion = new Map<number, number>();
    for (let k = 0; k < this.sliceCount; k++) {
      const status = this.statusOf(k, working);
      statuses.push(status);
      counts[status]++;
      const version = this.versions[k] as number;
      if (version > 0) perVersion.set(version, (perVersion.get(version) ?? 0) + 1);
    }
    const shown = [...perVersion].map(([version, slices]) => ({ version, slices })).sort((a, b) => b.version - a.version);
    return { newest: this.newestKnown, statuses, versions: [...this.versions], counts, shown };
  }
}
