/**
 * PACS secrets encrypted with the operating system's keychain (Electron
 * safeStorage: Keychain on macOS, DPAPI on Windows, the Secret Service or
 * KWallet on Linux), kept as ciphertext in the workspace. Where no keychain
 * is available (a Linux session without a keyring, where safeStorage would
 * fall back to a fixed key), the workspace's private 0600 file is used and
 * the UI says so.
 */
import { safeStorage } from 'electron';
import path from 'node:path';
import { jsonSecretFile, workspaceSecretFile, type SecretStore } from '../pacs/secretStore';

export function keychainSecretStore(workspaceDir: string): SecretStore {
  const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weak) return workspaceSecretFile(workspaceDir);
  return jsonSecretFile(path.join(path.resolve(workspaceDir), 'pacs-secrets.keychain.json'), 'keychain', {
    encode: (secret) => safeStorage.encryptString(secret).toString('base64'),
    decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
  });
}
