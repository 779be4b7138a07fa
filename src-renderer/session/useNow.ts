/**
 * A clock for "time since the last update": a ref of Date.now() that ticks
 * every `intervalMs` while the calling component is mounted.
 */
import { onScopeDispose, ref, type Ref } from 'vue';

export function useNow(intervalMs = 1000): Ref<number> {
  const now = ref(Date.now());
  const timer = setInterval(() => {
    now.value = Date.now();
  }, intervalMs);
  onScopeDispose(() => clearInterval(timer));
  return now;
}
