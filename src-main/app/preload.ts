/**
 * The preload of the app window (sandboxed, context-isolated). It exposes the
 * RPC message pipe as `window.maclBridge` and nothing else; see preloadBridge.ts.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { bridgeGlobalName } from '../shared/bridgeApi';
import { createBridgeApi } from './preloadBridge';

contextBridge.exposeInMainWorld(bridgeGlobalName, createBridgeApi(ipcRenderer, (file) => webUtils.getPathForFile(file)));
