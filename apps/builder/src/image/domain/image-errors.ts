/** Stable codes of the builder's image resolution failures (`AREA.RULE`). */
export const ImageErrorCodes = {
  INVALID_REFERENCE: 'IMAGE.INVALID_REFERENCE',
  INVALID_DIGEST: 'IMAGE.INVALID_DIGEST',
  NOT_FOUND: 'IMAGE.NOT_FOUND',
  UNAUTHORIZED: 'IMAGE.UNAUTHORIZED',
  REGISTRY_UNREACHABLE: 'IMAGE.REGISTRY_UNREACHABLE',
  REGISTRY_ERROR: 'IMAGE.REGISTRY_ERROR',
} as const;

export type ImageErrorCode = (typeof ImageErrorCodes)[keyof typeof ImageErrorCodes];
