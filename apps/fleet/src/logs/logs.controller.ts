import { Controller, Get, Logger, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AppLogsService } from './app-logs.service';

/**
 * Fleet's own admin API (not Fly's): the app's log lines as NDJSON (`application/x-ndjson`), one
 * `AppLogLine` a line. `?machine_id=` narrows to one machine, `?since=` (RFC 3339) drops older lines,
 * `?follow=true` keeps the response open with new lines until the client goes.
 */
@Controller('fleet/v1/apps/:app/logs')
export class LogsController {
  private readonly logger = new Logger('Logs');

  constructor(private readonly logs: AppLogsService) {}

  @Get()
  async stream(
    @Param('app') app: string,
    @Query('machine_id') machineId: string | undefined,
    @Query('follow') follow: string | undefined,
    @Query('since') since: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const closed = new AbortController();
    res.on('close', () => closed.abort());
    const lines = await this.logs.open(app, { ...(machineId ? { machineId } : {}), follow: follow === 'true' || follow === '1', ...(since ? { since } : {}) }, closed.signal);
    res.status(200).set({ 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    try {
      for await (const line of lines) {
        if (!res.write(`${JSON.stringify(line)}\n`)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
        if (closed.signal.aborted) break;
      }
    } catch (err) {
      // The status is sent: ending the body early is all that is left (the client sees a cut stream).
      this.logger.warn(`logs of ${app} ended early: ${(err as Error).message}`);
    } finally {
      res.end();
    }
  }
}
