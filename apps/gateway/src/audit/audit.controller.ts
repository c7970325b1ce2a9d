import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import type { Pool } from 'pg';
import { HangarError } from '@hangar/contracts';
import {
  AUDIT_KEY,
  EVENT_STORE,
  PG_POOL,
  exportAuditCheckpoint,
  parseCheckpointExport,
  queryEvents,
  recordAuditCheckpoint,
  type CheckpointExport,
  type EventStore,
  type VerificationReport,
} from '@hangar/event-store';
import { objectBody } from '../http/request-body';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { toFeedJson } from '../releases/release-feed';
import { parseAuditQuery } from './audit-query';
import { VerificationGate } from './verification-gate';

/** Audit queries and tamper evidence over the whole store (DESIGN §7.2, G7). Reads the store directly. */
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AUDIT_KEY) private readonly auditKey: Buffer,
    private readonly verification: VerificationGate,
  ) {}

  /** One page of matching events in the global order; follow `next` (as `after`) for the rest. */
  @Get()
  @RequiresScope('audit:read')
  async query(@Query() query: Record<string, unknown>): Promise<{ events: Record<string, unknown>[]; next: number | null }> {
    const page = await queryEvents(this.pool, parseAuditQuery(query));
    return { events: page.events.map(toFeedJson), next: page.next };
  }

  /**
   * Every event of every stream against its keyed chain, the streams table, every checkpoint, and
   * `api_tokens`; one verification at a time (429 `AUDIT.VERIFICATION_RUNNING` while another runs).
   */
  @Get('verify')
  @RequiresScope('audit:read')
  verify(): Promise<VerificationReport> {
    return this.verification.run();
  }

  /** `verify`, also against an exported checkpoint kept outside the database (body `{ against }`). */
  @Post('verify')
  @HttpCode(200)
  @RequiresScope('audit:read')
  verifyAgainst(@Body() body: unknown): Promise<VerificationReport> {
    const against = parseCheckpointExport(objectBody(body).against);
    return this.verification.run(against);
  }

  /** The latest checkpoint as a signed export document, to keep where the database writer cannot reach. */
  @Get('checkpoints/latest')
  @RequiresScope('audit:read')
  async exportLatest(): Promise<CheckpointExport> {
    const doc = await exportAuditCheckpoint(this.pool, this.auditKey);
    if (!doc) throw new HangarError('AUDIT.CHECKPOINT_NOT_FOUND', 'no audit checkpoint was recorded yet: record one with `hangar audit checkpoint`');
    return doc;
  }

  /** Records a checkpoint now (they are also recorded every few minutes by the active relay). */
  @Post('checkpoints')
  @HttpCode(201)
  @RequiresScope('admin')
  async checkpoint(@Req() req: AuthenticatedRequest): Promise<{ checkpoint: unknown; regressions: unknown[] }> {
    const { recorded, regressions } = await recordAuditCheckpoint(this.store, this.pool, { actor: req.actor });
    return {
      checkpoint: recorded ? { sequence: recorded.sequence, streamCount: recorded.streamCount, digest: recorded.digest, changed: recorded.changed.length } : null,
      regressions: regressions.map((r) => ({ streamId: r.committed.streamId, committedPosition: r.committed.position, ...(r.current ? { currentPosition: r.current.position } : {}) })),
    };
  }
}
