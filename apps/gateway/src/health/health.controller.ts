import { Controller, Get, HttpCode, Inject, Logger, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { NatsConnection } from 'nats';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { NATS_CONNECTION, probe, type ReadinessChecks } from '@hangar/messaging';
import { Public } from '../auth/bearer-auth.guard';

@Controller()
export class HealthController {
  private readonly logger = new Logger(HealthController.name);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  /** Liveness: the process answers. */
  @Public()
  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the store and NATS answer. Unauthenticated, so a failure says which, never why (that is logged; review L3). */
  @Public()
  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const checks = await this.checks();
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ok' : 'unavailable', checks });
  }

  /** The readiness checks, also answered on the ops port (`HANGAR_OPS_PORT`). */
  async checks(): Promise<ReadinessChecks> {
    const checks: ReadinessChecks = {};
    try {
      await this.store.streamVersion('readyz-probe');
      checks.database = 'ok';
    } catch (error) {
      this.logger.warn(`readiness: the database did not answer: ${(error as Error).message}`);
      checks.database = 'error';
    }
    checks.nats = this.nc.isClosed() ? 'error' : await probe(() => this.nc.flush(), (e) => this.logger.warn(`readiness: NATS did not answer: ${e.message}`));
    return checks;
  }
}
