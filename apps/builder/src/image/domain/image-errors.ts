/** Stable codes of the builder's image resolution failures (`AREA.RULE`). */
export const ImageErrorCodes = {
  INVALID_REFERENCE: 'IMAGE.INVALID_REFERENCE',
  INVALID_DIGEST: 'IMAGE.INVALID_DIGEST',
  NOT_FOUND: 'IMAGE.NOT_FOUND',
  UNAUTHORIZED: 'IMAGE.UNAUTHORIZED',
  REGISTRY_UNREACHABLE: 'IMAGE.REGISTRY_UNREACHABLE',
  REGISTRY_ERROR: 'IMAGE.REGISTRY_ERROR',
  /** A registry, mirror, realm or redirect host resolves to an address the builder must not contact (H3). */
  ADDRESS_REFUSED: 'IMAGE.ADDRESS_REFUSED',
  /** A bearer realm over plain http to a host that is neither loopback nor listed as insecure (H3). */
  REALM_REFUSED: 'IMAGE.REALM_REFUSED',
  /** A redirect to another origin, or more than 3 same-origin redirects (H3). */
  REDIRECT_REFUSED: 'IMAGE.REDIRECT_REFUSED',
  /** A manifest over 4 MiB or a token answer over 64 KiB (M5). */
  RESPONSE_TOO_LARGE: 'IMAGE.RESPONSE_TOO_LARGE',
} as const;

export type ImageErrorCode = (typeof ImageErrorCodes)[keyof typeof ImageErrorCodes];
