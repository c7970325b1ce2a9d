import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { AUDIT_KEY, createPool, verifyEventStore } from '@hangar/event-store';
import { checkApiTokens } from '@hangar/messaging';
import type { Pool } from 'pg';
import { VerificationGate } from './verification-gate';

/** Injection token of the one-connection pool `audit verify` runs on, apart from the request pool. */
export const VERIFICATION_POOL = Symbol('VERIFICATION_POOL');

/** `application_name` of the verification pool's connection (visible in `pg_stat_activity`). */
export const VERIFICATION_APPLICATION_NAME = 'hangar-audit-verify';

@Injectable()
class VerificationPoolLifecycle implements OnApplicationShutdown {
  constructor(@Inject(VERIFICATION_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * `audit verify` holds a REPEATABLE READ snapshot while it hashes the whole store: it runs on a pool
 * of its own with one connection, so it never takes a connection API-token checks and queries need,
 * and through the `VerificationGate`, one at a time (review M6).
 */
export function auditProviders(databaseUrl: string): Provider[] {
  return [
    { provide: VERIFICATION_POOL, useFactory: () => createPool({ databaseUrl, poolSize: 1, applicationName: VERIFICATION_APPLICATION_NAME }) },
    VerificationPoolLifecycle,
    {
      provide: VerificationGate,
      inject: [VERIFICATION_POOL, AUDIT_KEY],
      useFactory: (pool: Pool, auditKey: Buffer) => new VerificationGate((against) => verifyEventStore(pool, { auditKey, crossChecks: [checkApiTokens], ...(against ? { against } : {}) })),
    },
  ];
}
