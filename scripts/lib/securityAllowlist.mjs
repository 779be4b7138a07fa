// The security gate's judgement: which electronegativity findings are
// justified by an entry of security/electronegativity-allowlist.json, which
// are not, and which entries no longer match anything. Pure functions over
// plain data, unit tested in tests/security/securityGate.test.ts.
import path from 'node:path';

/** Findings that concern the whole app rather than one place get this file name. */
export const globalFile = '(global)';

const entryKeys = new Set(['check', 'file', 'line', 'snippet', 'reason']);
/** A reason must say something; "ok" or "false positive" alone is not a justification. */
export const minReasonLength = 40;

/**
 * Reads electronegativity's SARIF output into findings.
 * @param {unknown} sarif the parsed SARIF document
 * @param {string} scannedDir the scanned folder, relative to the repository root (posix separators)
 */
export function findingsFromSarif(sarif, scannedDir) {
  const runs = Array.isArray(sarif?.runs) ? sarif.runs : null;
  if (runs === null) throw new Error('not a SARIF document (no runs)');
  const findings = [];
  for (const run of runs) {
    const rules = new Map((run.tool?.driver?.rules ?? []).map((rule) => [rule.id, rule.fullDescription?.text ?? '']));
    for (const result of run.results ?? []) {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? '';
      const isGlobal = uri === '' || uri === 'file:///' || uri === 'N/A';
      findings.push({
        check: String(result.ruleId),
        file: isGlobal ? globalFile : toRepoPath(uri, scannedDir),
        line: isGlobal ? null : (location?.region?.startLine ?? null),
        level: result.level ?? 'warning',
        description: result.message?.text ?? rules.get(result.ruleId) ?? '',
      });
    }
  }
  return findings;
}

function toRepoPath(uri, scannedDir) {
  const plain = uri.startsWith('file://') ? decodeURIComponent(new URL(uri).pathname) : decodeURIComponent(uri);
  const joined = path.posix.isAbsolute(plain) ? plain : path.posix.join(scannedDir, plain);
  return path.posix.normalize(joined);
}

/**
 * Checks the allow-list's shape. Every entry needs a check id, a file, and a
 * written reason; `line` (a number) and `snippet` (a regular expression that
 * the source line must match) narrow it down.
 * @returns {{ entries: Array<{check: string, file: string, line?: number, snippet?: string, reason: string, index: number}>, errors: string[] }}
 */
export function validateAllowlist(document) {
  const errors = [];
  const list = Array.isArray(document) ? document : document?.allow;
  if (!Array.isArray(list)) return { entries: [], errors: ['the allow-list must be an array or an object with an "allow" array'] };
  const entries = [];
  list.forEach((raw, index) => {
    const where = `entry ${index + 1}`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push(`${where}: not an object`);
      return;
    }
    const problems = [];
    for (const key of Object.keys(raw)) if (!entryKeys.has(key)) problems.push(`unknown field "${key}"`);
    if (typeof raw.check !== 'string' || !/^[A-Z0-9_]+$/.test(raw.check)) problems.push('"check" must be a check id such as AUXCLICK_JS_CHECK');
    if (typeof raw.file !== 'string' || raw.file.trim() === '') problems.push(`"file" must be a repository path or "${globalFile}"`);
    if (raw.line !== undefined && !(Number.isInteger(raw.line) && raw.line > 0)) problems.push('"line" must be a positive integer');
    if (raw.snippet !== undefined) {
      if (typeof raw.snippet !== 'string' || raw.snippet === '') problems.push('"snippet" must be a non-empty regular expression');
      else {
        try {
          new RegExp(raw.snippet);
        } catch (error) {
          problems.push(`"snippet" is not a valid regular expression: ${error.message}`);
        }
      }
    }
    if (typeof raw.reason !== 'string' || raw.reason.trim().length < minReasonLength) {
      problems.push(`"reason" is mandatory: say in at least ${minReasonLength} characters why the finding is acceptable`);
    }
    const label = typeof raw.check === 'string' ? `${where} (${raw.check})` : where;
    if (problems.length > 0) errors.push(`${label}: ${problems.join('; ')}`);
    else entries.push({ ...raw, index });
  });
  return { entries, errors };
}

/**
 * Splits findings into justified and unjustified, and finds stale entries.
 * @param {Array<{check: string, file: string, line: number | null}>} findings
 * @param {ReturnType<typeof validateAllowlist>['entries']} entries
 * @param {(file: string, line: number) => string | null} sourceLine reads one line of a repository file
 */
export function judgeFindings(findings, entries, sourceLine) {
  const used = new Set();
  const justified = [];
  const unjustified = [];
  for (const finding of findings) {
    const entry = entries.find((candidate) => entryMatches(candidate, finding, sourceLine));
    if (entry === undefined) unjustified.push(finding);
    else {
      used.add(entry.index);
      justified.push({ finding, entry });
    }
  }
  const stale = entries.filter((entry) => !used.has(entry.index));
  return { justified, unjustified, stale };
}

function entryMatches(entry, finding, sourceLine) {
  if (entry.check !== finding.check || entry.file !== finding.file) return false;
  if (entry.line !== undefined && entry.line !== finding.line) return false;
  if (entry.snippet !== undefined) {
    if (finding.line === null) return false;
    const text = sourceLine(finding.file, finding.line);
    if (text === null || !new RegExp(entry.snippet).test(text)) return false;
  }
  return true;
}

/** One line per finding: check, place, description. */
export function formatFinding(finding) {
  const place = finding.line === null ? finding.file : `${finding.file}:${finding.line}`;
  return `${finding.check} ${place}: ${finding.description}`;
}

/** One line per entry, for stale-entry reports. */
export function formatEntry(entry) {
  const place = [entry.file, entry.line].filter((part) => part !== undefined).join(':');
  return `${entry.check} ${place}${entry.snippet === undefined ? '' : ` /${entry.snippet}/`}`;
}

// ANSI colour codes, built from a string so the pattern holds no literal control character.
const ansiColour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The lines electronegativity prints for files it could not parse (they were not scanned). */
export function parseFailures(consoleOutput) {
  return consoleOutput
    .split('\n')
    .map((line) => line.replace(ansiColour, '').trim())
    .filter((line) => line.startsWith('Error parsing '));
}
