/**
 * The model registry as the model picker shows it (`models.list`): every
 * pre-trained checkpoint and fine-tuned model, newest first, what 'default'
 * resolves to now, and registry folders that could not be read.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ModelList, ModelSummary } from '../../src-main/shared/contract/modelSummary';
import { useConnectionStore } from './connection';

export type { ModelSummary };

export const useModelsStore = defineStore('models', () => {
  const connectionStore = useConnectionStore();
  const list = shallowRef<ModelList | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let request = 0;

  const models = computed<readonly ModelSummary[]>(() => list.value?.models ?? []);
  const defaultInit = computed(() => list.value?.defaultInit ?? null);
  const problems = computed<readonly string[]>(() => list.value?.problems ?? []);

  /** Asks the app for the registry again (after a job finished, or when the picker opens). */
  async function refresh(): Promise<void> {
    const token = ++request;
    loading.value = true;
    try {
      const result = await connectionStore.requireConnection().call('models.list', {});
      if (token !== request) return;
      if (result.ok) {
        list.value = result.value;
        error.value = null;
      } else {
        error.value = `The model registry could not be read: ${result.error.message}`;
      }
    } finally {
      if (token === request) loading.value = false;
    }
  }

  return { list, models, defaultInit, problems, loading, error, refresh };
});
