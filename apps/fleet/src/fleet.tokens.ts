import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/** Injection token of fleet's `pg.Pool`. */
export const FLEET_POOL = Symbol('FLEET_POOL');
export const FLEET_CLOCK = Symbol('FLEET_CLOCK');
export const FLEET_IDS = Symbol('FLEET_IDS');

/** Time, behind a port so the simulator's timing can be driven in tests. */
export interface FleetClock {
  /** ms since the epoch. */
  now(): number;
}

/** Every identifier fleet mints, shaped like Fly's. */
export interface FleetIds {
  /** 14 lowercase hex characters. */
  machineId(): string;
  /** A ULID, new on every launch and update. */
  instanceId(): string;
  leaseNonce(): string;
  leaseVersion(): string;
  /** `vol_` + 16 characters. */
  volumeId(): string;
  faultId(): string;
}

export const systemClock: FleetClock = { now: () => Date.now() };

const VOLUME_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export const randomIds: FleetIds = {
  machineId: () => randomBytes(7).toString('hex'),
  instanceId: () => ulid(),
  leaseNonce: () => randomBytes(16).toString('hex'),
  leaseVersion: () => ulid(),
  volumeId: () => `vol_${Array.from(randomBytes(16), (b) => VOLUME_ALPHABET[b % VOLUME_ALPHABET.length]).join('')}`,
  faultId: () => `flt_${ulid().toLowerCase()}`,
};
