import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findingsFromSarif,
  formatFinding,
  globalFile,
  judgeFindings,
  parseFailures,
  validateAllowlist,
  type Finding,
} from '../../scripts/lib/securityAllowlist.mjs';

const reason = 'Reviewed: this is why the finding cannot be exploited in this app, with a pointer to the test.';
const source: Record<string, string[]> = {
  'src-main/app/window.ts': ['import x;', '  const window = new BrowserWindow({', '      preload: options.preloadPath,'],
};
const sourceLine = (file: string, line: number): string | null => source[file]?.[line - 1] ?? null;

function finding(check: string, file: string, line: number | null): Finding {
  return { check, file, line, level: 'warning', description: `${check} description` };
}

describe('validateAllowlist', () => {
  it('accepts complete entries, as an array or under "allow"', () => {
    const entry = { check: 'AUXCLICK_JS_CHECK', file: 'src-main/app/window.ts', snippet: 'new BrowserWindow\\(', reason };
    expect(validateAllowlist([entry]).errors).toEqual([]);
    expect(validateAllowlist({ $comment: 'x', allow: [entry] }).entries).toHaveLength(1);
  });

  it('rejects an entry without a reason, or with a token one', () => {
    const missing = validateAllowlist([{ check: 'AUXCLICK_JS_CHECK', file: 'src-main/app/window.ts' }]);
    expect(missing.entries).toEqual([]);
    expect(missing.errors[0]).toMatch(/entry 1 \(AUXCLICK_JS_CHECK\).*"reason" is mandatory/);
    expect(validateAllowlist([{ check: 'AUXCLICK_JS_CHECK', file: 'a.ts', reason: 'false positive' }]).errors).toHaveLength(1);
  });

  it('rejects malformed entries', () => {
    const { errors } = validateAllowlist([
      'AUXCLICK_JS_CHECK',
      { check: 'auxclick', file: 'a.ts', reason },
      { check: 'A_CHECK', file: '', reason },
      { check: 'A_CHECK', file: 'a.ts', line: 0, reason },
      { check: 'A_CHECK', file: 'a.ts', snippet: '(', reason },
      { check: 'A_CHECK', file: 'a.ts', reason, because: 'typo' },
    ]);
    expect(errors).toHaveLength(6);
    expect(errors.join('\n')).toMatch(/unknown field "because"/);
    expect(validateAllowlist({ nope: [] }).errors).toHaveLength(1);
  });
});

describe('judgeFindings', () => {
  const { entries } = validateAllowlist([
    { check: 'AUXCLICK_JS_CHECK', file: 'src-main/app/window.ts', snippet: 'new BrowserWindow\\(', reason },
    { check: 'CSP_GLOBAL_CHECK', file: globalFile, reason },
  ]);

  it('justifies findings that an entry matches', () => {
    const result = judgeFindings([finding('AUXCLICK_JS_CHECK', 'src-main/app/window.ts', 2), finding('CSP_GLOBAL_CHECK', globalFile, null)], entries, sourceLine);
    expect(result.justified).toHaveLength(2);
    expect(result.unjustified).toEqual([]);
    expect(result.stale).toEqual([]);
  });

  it('fails a finding that is not in the list', () => {
    const sandbox = finding('SANDBOX_JS_CHECK', 'src-main/app/window.ts', 2);
    const result = judgeFindings([sandbox, finding('AUXCLICK_JS_CHECK', 'src-main/app/window.ts', 2), finding('CSP_GLOBAL_CHECK', globalFile, null)], entries, sourceLine);
    expect(result.unjustified).toEqual([sandbox]);
  });

  it('does not let an entry cover the same check elsewhere', () => {
    const otherLine = finding('AUXCLICK_JS_CHECK', 'src-main/app/window.ts', 3);
    const otherFile = finding('AUXCLICK_JS_CHECK', 'src-main/app/other.ts', 2);
    const result = judgeFindings([otherLine, otherFile], entries, sourceLine);
    expect(result.unjustified).toEqual([otherLine, otherFile]);
  });

  it('honours a pinned line number', () => {
    const pinned = validateAllowlist([{ check: 'PRELOAD_JS_CHECK', file: 'src-main/app/window.ts', line: 3, reason }]).entries;
    expect(judgeFindings([finding('PRELOAD_JS_CHECK', 'src-main/app/window.ts', 3)], pinned, sourceLine).unjustified).toEqual([]);
    expect(judgeFindings([finding('PRELOAD_JS_CHECK', 'src-main/app/window.ts', 4)], pinned, sourceLine).unjustified).toHaveLength(1);
  });

  it('reports entries that match nothing as stale', () => {
    const result = judgeFindings([finding('CSP_GLOBAL_CHECK', globalFile, null)], entries, sourceLine);
    expect(result.stale.map((entry) => entry.check)).toEqual(['AUXCLICK_JS_CHECK']);
  });
});

describe('reading electronegativity output', () => {
  const sarif = {
    runs: [
      {
        tool: { driver: { rules: [{ id: 'CSP_GLOBAL_CHECK', fullDescription: { text: 'No CSP' } }] } },
        results: [
          { ruleId: 'CSP_GLOBAL_CHECK', level: 'warning', message: { text: 'No CSP has been detected' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///' }, region: { startLine: 1 } } }] },
          { ruleId: 'AUXCLICK_JS_CHECK', level: 'warning', message: { text: 'Middle-click' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'window.ts' }, region: { startLine: 21 } } }] },
        ],
      },
    ],
  };

  it('turns SARIF results into findings with repository paths', () => {
    expect(findingsFromSarif(sarif, 'src-main/app')).toEqual([
      { check: 'CSP_GLOBAL_CHECK', file: globalFile, line: null, level: 'warning', description: 'No CSP has been detected' },
      { check: 'AUXCLICK_JS_CHECK', file: 'src-main/app/window.ts', line: 21, level: 'warning', description: 'Middle-click' },
    ]);
    expect(formatFinding(findingsFromSarif(sarif, 'src-main/app')[1]!)).toBe('AUXCLICK_JS_CHECK src-main/app/window.ts:21: Middle-click');
    expect(() => findingsFromSarif({}, 'x')).toThrow(/SARIF/);
  });

  it('spots files the analyser could not parse', () => {
    const output = 'Could not retrieve updated translations\n\u001b[31mError parsing /x/a.ts - Unexpected token (3:4)\u001b[39m\nTolerable error parsing /x/b.ts - y\n';
    expect(parseFailures(output)).toEqual(['Error parsing /x/a.ts - Unexpected token (3:4)']);
  });
});

describe('the committed allow-list', () => {
  it('is valid: every entry names a check and file and gives a reason', () => {
    const document: unknown = JSON.parse(readFileSync('security/electronegativity-allowlist.json', 'utf8'));
    expect(validateAllowlist(document).errors).toEqual([]);
  });
});
