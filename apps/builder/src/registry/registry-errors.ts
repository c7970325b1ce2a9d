/** Builder's registry error codes (HTTP: `*NOT_FOUND` → 404). */
export const RegistryErrorCodes = {
  RECEIVER_NOT_FOUND: 'REGISTRY.RECEIVER_NOT_FOUND',
  TRIGGER_NOT_FOUND: 'REGISTRY.TRIGGER_NOT_FOUND',
} as const;
