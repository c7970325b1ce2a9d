/** Injection token of the `SecretCrypto` port. */
export const SECRET_CRYPTO = Symbol('SECRET_CRYPTO');
/** Injection token of {@link SecretsSettings}. */
export const SECRETS_SETTINGS = Symbol('SECRETS_SETTINGS');

/** Settings the handlers need from the config. */
export interface SecretsSettings {
  /** Versions kept per app besides the released and requested ones. */
  retainVersions: number;
}
