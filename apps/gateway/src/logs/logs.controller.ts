import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { AppLogLine } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { StreamLimits } from '../releases/stream-limits';
import { APP_LOG_SOURCE, type AppLogSource } from './app-log-source';
import { parseLogsQuery } from './logs-query';

/** A comment line this often keeps proxies from closing a quiet follow, ms. */
const HEARTBEAT_MS = 15000;

@Controller('v1/apps/:app/logs')
export class LogsController {
  constructor(
    private readonly commands: CommandClient,
    @Inject(APP_LOG_SOURCE) private readonly source: AppLogSource,
    private readonly limits: StreamLimits,
  ) {}

  /**
   * The lines the app's machines printed: `{ app, lines }`, or `text/event-stream` (`event: log`, one
   * `AppLogLine` each, then `event: end`) when asked for or with `?follow=true`, which keeps it open
   * with new lines (and never sends `end`: a follow that ends without the client going was lost). Streams count against the same limits as release event streams.
   */
  @Get()
  @RequiresScope('app:read')
  async logs(@Param('app') app: string, @Query() raw: Record<string, unknown>, @Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    const query = parseLogsQuery(raw);
    await this.commands.request('releaser', 'get-app', { app });
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const sse = query.follow || (req.headers.accept ?? '').includes('text/event-stream');
    const leave = sse ? this.limits.enter(req.actor ?? 'anonymous') : undefined;
    try {
      const lines = await this.source.open(app, { ...query, signal: abort.signal });
      if (!sse) {
        const all: AppLogLine[] = [];
        for await (const line of lines) all.push(line);
        res.json({ app, lines: all });
        return;
      }
      await this.stream(res, lines, query.follow, abort.signal);
    } finally {
      leave?.();
    }
  }

  private async stream(res: Response, lines: AsyncIterable<AppLogLine>, following: boolean, signal: AbortSignal): Promise<void> {
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    try {
      for await (const line of lines) {
        if (!res.write(`event: log\ndata: ${JSON.stringify(line)}\n\n`)) await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
        if (signal.aborted) return;
      }
      // A follow ends only when the client goes: fleet ending it (a restart) is a lost stream, told by no `end`.
      if (!following) res.write('event: end\ndata: {}\n\n');
    } finally {
      clearInterval(heartbeat);
      res.end();
    }
  }
}
