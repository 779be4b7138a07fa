/**
 * How the workstation is laid out: one row of three planes or one large
 * viewport, which plane is active, and which side panels are collapsed.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

/** Three viewports side by side, or the active plane alone. */
export type ViewportLayout = '1x3' | '1x1';

/** The three orthogonal planes, in the order radiologists read them. */
export const planes = ['axial', 'sagittal', 'coronal'] as const;
export type Plane = (typeof planes)[number];

/** Display names of the planes. */
export const planeLabels: Readonly<Record<Plane, string>> = { axial: 'Axial', sagittal: 'Sagittal', coronal: 'Coronal' };

/** Stable ids of the three viewports: the DOM mount points carry them, and the viewer will register its viewports under them. */
export const viewportIds: Readonly<Record<Plane, string>> = {
  axial: 'viewport-axial',
  sagittal: 'viewport-sagittal',
  coronal: 'viewport-coronal',
};

export const useLayoutStore = defineStore('layout', () => {
  const layout = ref<ViewportLayout>('1x3');
  const activePlane = ref<Plane>('axial');
  const seriesPanelCollapsed = ref(false);
  const toolsPanelCollapsed = ref(false);

  function setLayout(next: ViewportLayout): void {
    layout.value = next;
  }

  function toggleLayout(): void {
    layout.value = layout.value === '1x3' ? '1x1' : '1x3';
  }

  function setActivePlane(next: Plane): void {
    activePlane.value = next;
  }

  function toggleSeriesPanel(): void {
    seriesPanelCollapsed.value = !seriesPanelCollapsed.value;
  }

  function toggleToolsPanel(): void {
    toolsPanelCollapsed.value = !toolsPanelCollapsed.value;
  }

  return {
    layout, activePlane, seriesPanelCollapsed, toolsPanelCollapsed,
    setLayout, toggleLayout, setActivePlane, toggleSeriesPanel, toggleToolsPanel,
  };
});
