import type { KeySegment } from './toml-locator';

/** A section that may name process groups, recorded even when it is invalid so its references are still checked. */
export interface ScopedSection {
  kind: 'service' | 'mount' | 'check' | 'vm';
  path: readonly KeySegment[];
  processes?: string[];
}

/** Where things came from, so cross-section validation can point at their lines. */
export interface Provenance {
  /** Normalised object → the key path it was read from. */
  origins: WeakMap<object, readonly KeySegment[]>;
  scoped: ScopedSection[];
}
