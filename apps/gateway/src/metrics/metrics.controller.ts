import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Registry } from 'prom-client';
import { Public } from '../auth/bearer-auth.guard';
import { METRICS_REGISTRY } from './metrics-registry';
import { StoreMetrics } from './store-metrics';

/** `GET /metrics` (DESIGN §7.2): Prometheus text format, public like `/healthz`. */
@Controller()
export class MetricsController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly store: StoreMetrics,
  ) {}

  @Public()
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    const { contentType, body } = await this.scrape();
    // Exactly `register.contentType`: Express's type() and send() would reorder its parameters.
    res.status(200).setHeader('Content-Type', contentType);
    res.end(body);
  }

  /** The text of a scrape, also answered on the ops port (`HANGAR_OPS_PORT`). */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const scrape = Registry.merge([this.registry, await this.store.collect()]);
    return { contentType: scrape.contentType, body: await scrape.metrics() };
  }
}
