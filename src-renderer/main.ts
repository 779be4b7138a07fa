/**
 * Renderer entry: connects to the app (Electron preload or browser host),
 * installs Pinia, hands the connection to the connection store, and mounts.
 */
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { connectToApp } from './bridge/connectToApp';
import { useConnectionStore } from './stores/connection';

const pinia = createPinia();
const app = createApp(App);
app.use(pinia);
// Attached before mounting so the first render already knows the shell and state.
useConnectionStore(pinia).attach(connectToApp());
app.mount('#app');
