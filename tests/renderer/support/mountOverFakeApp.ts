/**
 * A panel mounted over a fresh fake app (fakeApp.ts): a new Pinia, the
 * connection store attached to the fake app and open, then the component
 * mounted with that Pinia.
 */
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { expect, vi } from 'vitest';
import type { Component } from 'vue';
import { useConnectionStore } from '../../../src-renderer/stores/connection';
import { startFakeApp, type FakeApp } from './fakeApp';

export async function mountOverFakeApp(component: Component): Promise<{ app: FakeApp; wrapper: VueWrapper }> {
  const pinia = createPinia();
  setActivePinia(pinia);
  const app = startFakeApp();
  const connection = useConnectionStore();
  connection.attach(app.connection);
  await vi.waitFor(() => expect(connection.state).toBe('open'));
  return { app, wrapper: mount(component, { global: { plugins: [pinia] } }) };
}
