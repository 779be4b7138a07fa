import { describe, expect, it } from 'vitest';
import { codedConceptSchema } from '../../../src-main/shared/contract/labels';
import { defaultSegmentCoding, findSegmentCode, searchSegmentCodes, segmentCategories, segmentCodes } from '../../../src-renderer/labels/segmentCodes';

const typeOf = (query: string): string | undefined => searchSegmentCodes(query)[0]?.type.meaning;

describe('segment codes', () => {
  it('lists many structures and findings, each a valid SCT concept with a known category, no duplicates', () => {
    expect(segmentCodes.length).toBeGreaterThanOrEqual(60);
    const categories = new Set(Object.values(segmentCategories).map((category) => category.value));
    const keys = new Set<string>();
    for (const entry of segmentCodes) {
      expect(codedConceptSchema.safeParse(entry.type).success).toBe(true);
      expect(entry.type.scheme).toBe('SCT');
      expect(entry.type.value).toMatch(/^\d{6,18}$/);
      expect(categories.has(entry.category.value)).toBe(true);
      keys.add(`${entry.category.value}/${entry.type.value}`);
    }
    expect(keys.size).toBe(segmentCodes.length);
  });

  it('carries the DICOM / Slicer codes for well-known concepts', () => {
    expect(segmentCategories.anatomical).toEqual({ scheme: 'SCT', value: '123037004', meaning: 'Anatomical Structure' });
    expect(segmentCategories.morphology.value).toBe('49755003');
    expect(findSegmentCode('123037004', '10200004')?.type.meaning).toBe('Liver');
    expect(findSegmentCode('49755003', '4147007')?.type.meaning).toBe('Mass');
    expect(findSegmentCode('49755003', '50960005')?.type.meaning).toBe('Hemorrhage');
    expect(defaultSegmentCoding.category).toEqual({ scheme: 'SCT', value: '85756007', meaning: 'Tissue' });
    expect(defaultSegmentCoding.type.value).toBe('85756007');
  });

  it('finds by name, British or American spelling, synonym and code, best match first', () => {
    expect(typeOf('liver')).toBe('Liver');
    expect(typeOf('haemorrhage')).toBe('Hemorrhage');
    expect(typeOf('oedema')).toBe('Edema');
    expect(typeOf('kidney stone')).toBe('Calculus');
    expect(typeOf('metastasis')).toBe('Neoplasm, Secondary');
    expect(typeOf('IVC')).toBe('Inferior vena cava');
    expect(typeOf('10200004')).toBe('Liver');
    expect(typeOf('infarction')).toBe('Infarct');
    expect(searchSegmentCodes('nod').map((entry) => entry.type.meaning)).toContain('Nodule');
    expect(searchSegmentCodes('zzzz-no-such-thing')).toEqual([]);
    expect(searchSegmentCodes('').length).toBeGreaterThan(0);
  });
});
