// How a saved secret (the proxy password) is protected at rest. The desktop app seals it with Electron's safeStorage
// (the OS keychain: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux); where there is no such thing —
// browser mode, or a Linux desktop without a keyring — it is never written to disk, only kept for the session.
export interface SecretBox {
  readonly kind: 'os' | 'session';
  /** Base64 text safe to write to the settings file; undefined when this box cannot seal (session only). */
  seal(secret: string): string | undefined;
  /** The secret, or undefined when the sealed text cannot be opened (another machine, a reset keychain). */
  open(sealed: string): string | undefined;
}

export const sessionOnlySecretBox: SecretBox = {
  kind: 'session',
  seal: () => undefined,
  open: () => undefined,
};

/** The shape of Electron's safeStorage that we use, so this file needs no electron import. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  /** Linux only: 'basic_text' means no keyring, and "encryption" with a hard-coded key. */
  getSelectedStorageBackend?(): string;
}

export function safeStorageSecretBox(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretBox {
  const weak = platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  if (!safeStorage.isEncryptionAvailable() || weak) return sessionOnlySecretBox;
  return {
    kind: 'os',
    seal: (secret) => safeStorage.encryptString(secret).toString('base64'),
    open(sealed) {
      try {
        return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        return undefined;
      }
    },
  };
}
