import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { nextSegmentColor, segmentPalette } from '../../src-renderer/stores/segmentColors';
import { maxSegmentLabel, useSegmentsStore } from '../../src-renderer/stores/segments';
import type { SeriesId } from '../../src-main/shared/contract/series';
import { useSeriesStore } from '../../src-renderer/stores/series';
import { makeSeries } from './support/fakeApp';
import { searchSegmentCodes } from '../../src-renderer/labels/segmentCodes';

beforeEach(() => setActivePinia(createPinia()));

function addOrThrow(store: ReturnType<typeof useSegmentsStore>, name?: string) {
  const result = store.add(name);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('segments store', () => {
  it('adds segments with the next free label, a default name, and makes the new one active', () => {
    const store = useSegmentsStore();
    const first = addOrThrow(store);
    const second = addOrThrow(store, '  Liver ');
    expect(first).toMatchObject({ label: 1, name: 'Segment 1', visible: true, locked: false });
    expect(second).toMatchObject({ label: 2, name: 'Liver' });
    expect(store.activeId).toBe(second.id);
    expect(first.id).not.toBe(second.id);
  });

  it('reuses the smallest label freed by a removal', () => {
    const store = useSegmentsStore();
    const [, two] = [addOrThrow(store), addOrThrow(store), addOrThrow(store)];
    expect(store.remove(two.id).ok).toBe(true);
    expect(addOrThrow(store).label).toBe(2);
    expect(addOrThrow(store).label).toBe(4);
  });

  it('gives every segment a distinct colour, from the palette first', () => {
    const store = useSegmentsStore();
    const added = Array.from({ length: 40 }, () => addOrThrow(store));
    const colors = added.map((segment) => segment.color);
    expect(new Set(colors).size).toBe(colors.length);
    expect(colors.slice(0, segmentPalette.length)).toEqual(segmentPalette);
    for (const color of colors) expect(color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('hands out a palette colour freed by a recolour', () => {
    const store = useSegmentsStore();
    const first = addOrThrow(store);
    addOrThrow(store);
    expect(store.recolor(first.id, '#00FF00').ok).toBe(true);
    expect(addOrThrow(store).color).toBe(segmentPalette[0]);
    expect(nextSegmentColor(segmentPalette)).not.toBeOneOf([...segmentPalette]);
  });

  it('renames with trimming and refuses an empty or overlong name', () => {
    const store = useSegmentsStore();
    const segment = addOrThrow(store);
    expect(store.rename(segment.id, '  Left kidney ')).toMatchObject({ ok: true, value: { name: 'Left kidney' } });
    const empty = store.rename(segment.id, '   ');
    expect(empty.ok).toBe(false);
    expect(store.rename(segment.id, 'x'.repeat(65)).ok).toBe(false);
    expect(store.segments[0]?.name).toBe('Left kidney');
  });

  it('recolours only with #rrggbb, stored in lower case', () => {
    const store = useSegmentsStore();
    const segment = addOrThrow(store);
    expect(store.recolor(segment.id, '#A0B1C2')).toMatchObject({ ok: true, value: { color: '#a0b1c2' } });
    const bad = store.recolor(segment.id, 'red');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('bad-request');
  });

  it('toggles visibility and lock', () => {
    const store = useSegmentsStore();
    const segment = addOrThrow(store);
    store.toggleVisible(segment.id);
    store.toggleLocked(segment.id);
    expect(store.segments[0]).toMatchObject({ visible: false, locked: true });
    store.toggleVisible(segment.id);
    expect(store.segments[0]?.visible).toBe(true);
  });

  it('moves the active segment to a neighbour when the active one is removed', () => {
    const store = useSegmentsStore();
    const a = addOrThrow(store);
    const b = addOrThrow(store);
    const c = addOrThrow(store);
    store.select(b.id);
    store.remove(b.id);
    expect(store.activeId).toBe(c.id);
    store.remove(c.id);
    expect(store.activeId).toBe(a.id);
    store.remove(a.id);
    expect(store.activeId).toBeNull();
    expect(store.remove('segment-unknown').ok).toBe(false);
  });

  it('stops at 254 labels (255 is reserved) with a clear error, and takes one again after a removal', () => {
    const store = useSegmentsStore();
    for (let i = 0; i < maxSegmentLabel; i++) addOrThrow(store);
    expect(store.isFull).toBe(true);
    const refused = store.add();
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('bad-request');
      expect(refused.error.message).toContain('All 254 labels are in use');
    }
    expect(new Set(store.segments.map((segment) => segment.color)).size).toBe(maxSegmentLabel);
    const victim = store.segments[99];
    if (victim === undefined) throw new Error('missing segment');
    store.remove(victim.id);
    expect(addOrThrow(store).label).toBe(victim.label);
  });

  it('starts empty for another series', async () => {
    const store = useSegmentsStore();
    const series = useSeriesStore();
    series.replaceAll([makeSeries({ seriesId: '1.2.3' as SeriesId, modality: 'CT', description: 'Abdomen' })]);
    addOrThrow(store);
    series.select('1.2.3');
    await nextTick();
    expect(store.segments).toEqual([]);
    expect(store.activeId).toBeNull();
  });
});

describe('segments store coding', () => {
  it('gives a new segment the Tissue/Tissue meaning, and picking a code renames a default-named segment', () => {
    const store = useSegmentsStore();
    const segment = addOrThrow(store);
    expect(segment.category).toEqual({ scheme: 'SCT', value: '85756007', meaning: 'Tissue' });
    expect(segment.type.value).toBe('85756007');
    const liver = searchSegmentCodes('liver')[0];
    if (liver === undefined) throw new Error('no liver code');
    expect(store.setCoding(segment.id, liver)).toMatchObject({ ok: true, value: { name: 'Liver', type: { value: '10200004' }, category: { value: '123037004' } } });
    store.rename(segment.id, 'Liver, segment IV');
    const mass = searchSegmentCodes('mass')[0];
    if (mass === undefined) throw new Error('no mass code');
    expect(store.setCoding(segment.id, mass)).toMatchObject({ ok: true, value: { name: 'Liver, segment IV', type: { meaning: 'Mass' } } });
  });

  it('refuses to delete a locked segment', () => {
    const store = useSegmentsStore();
    const segment = addOrThrow(store);
    store.toggleLocked(segment.id);
    const refused = store.remove(segment.id);
    expect(refused.ok).toBe(false);
    expect(store.segments).toHaveLength(1);
  });
});
