/**
 * resultOf runs a handler body once for every service (labels, DICOM-SEG,
 * sessions): its value as ok, a throw as the service's own error reply.
 */
import { describe, expect, it } from 'vitest';
import { err, resultOf } from '../../../src-main/shared/result';

const describeThrow = (thrown: unknown) => err('io', thrown instanceof Error ? thrown.message : String(thrown));

describe('resultOf', () => {
  it('returns the value, sync or async, as ok', async () => {
    expect(await resultOf(() => 3, describeThrow)).toEqual({ ok: true, value: 3 });
    expect(await resultOf(async () => 'x', describeThrow)).toEqual({ ok: true, value: 'x' });
  });

  it('turns a throw, sync or async, into the error the service describes', async () => {
    expect(await resultOf(() => { throw new Error('disk gone'); }, describeThrow)).toEqual({ ok: false, error: { code: 'io', message: 'disk gone' } });
    expect(await resultOf(() => Promise.reject(new Error('late')), describeThrow)).toEqual({ ok: false, error: { code: 'io', message: 'late' } });
  });
});
