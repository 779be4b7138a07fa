/** Types of scripts/lib/securityAllowlist.mjs, for the tests that import it. */
export const globalFile: '(global)';
export const minReasonLength: number;

export interface Finding {
  check: string;
  /** Repository path (posix), or '(global)' for app-wide findings. */
  file: string;
  line: number | null;
  level: string;
  description: string;
}

export interface AllowEntry {
  check: string;
  file: string;
  line?: number;
  snippet?: string;
  reason: string;
  index: number;
}

export interface Judgement {
  justified: Array<{ finding: Finding; entry: AllowEntry }>;
  unjustified: Finding[];
  stale: AllowEntry[];
}

export function findingsFromSarif(sarif: unknown, scannedDir: string): Finding[];
export function validateAllowlist(document: unknown): { entries: AllowEntry[]; errors: string[] };
export function judgeFindings(
  findings: ReadonlyArray<Pick<Finding, 'check' | 'file' | 'line'> & Partial<Finding>>,
  entries: readonly AllowEntry[],
  sourceLine: (file: string, line: number) => string | null,
): Judgement;
export function formatFinding(finding: Pick<Finding, 'check' | 'file' | 'line' | 'description'>): string;
export function formatEntry(entry: AllowEntry): string;
export function parseFailures(consoleOutput: string): string[];
