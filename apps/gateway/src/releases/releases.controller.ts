import { Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import type { Response } from 'express';
import { CommandClient } from '@hangar/messaging';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import type { ReleaseSummary } from '@hangar/contracts';
import { parseVersion } from '../http/request-body';
import { releaseEvents, toFeedJson } from './release-feed';
import { StreamLimits } from './stream-limits';

@Controller('v1/apps/:app/releases')
export class ReleasesController {
  constructor(
    private readonly commands: CommandClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly limits: StreamLimits,
  ) {}

  @Get()
  @RequiresScope('app:read')
  list(@Param('app') app: string): Promise<{ releases: ReleaseSummary[] }> {
    return this.commands.request('releaser', 'list-releases', { app });
  }

  @Get(':version')
  @RequiresScope('app:read')
  get(@Param('app') app: string, @Param('version') version: string): Promise<{ release: ReleaseSummary }> {
    return this.commands.request('releaser', 'get-release', { app, version: parseVersion(version) });
  }

  /** `releases rollback [vN]`: `:version` is `vN`, or `previous` for the last complete release before the current one. */
  @Post(':version/rollback')
  @RequiresScope('app:deploy')
  @HttpCode(202)
  rollback(@Param('app') app: string, @Param('version') version: string, @Req() req: AuthenticatedRequest): Promise<unknown> {
    const restoreSecrets = req.query.restoreSecrets === 'true' || (req.body as { restoreSecrets?: unknown } | undefined)?.restoreSecrets === true;
    return this.commands.request('releaser', 'rollback-release', {
      app,
      ...(version === 'previous' ? {} : { version: parseVersion(version) }),
      ...(restoreSecrets ? { restoreSecrets: true } : {}),
      actor: req.actor,
    });
  }

  @Post(':version/cancel')
  @RequiresScope('app:deploy')
  @HttpCode(202)
  cancel(@Param('app') app: string, @Param('version') version: string, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.commands.request('releaser', 'cancel-release', { app, version: parseVersion(version), actor: req.actor });
  }

  /** The release's events: JSON array, or `text/event-stream` that follows to the end with `?follow=true`. */
  @Get(':version/events')
  @RequiresScope('app:read')
  async events(
    @Param('app') app: string,
    @Param('version') version: string,
    @Query('follow') follow: string | undefined,
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const { release } = await this.commands.request<{ release: ReleaseSummary }>('releaser', 'get-release', { app, version: parseVersion(version) });
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const following = follow === 'true' || follow === '1';
    if (!following && !(res.req.headers.accept ?? '').includes('text/event-stream')) {
      const all = [];
      for await (const e of releaseEvents(this.store, release.id, { follow: false, signal: abort.signal })) all.push(toFeedJson(e));
      res.json({ release, events: all });
      return;
    }
    const leave = this.limits.enter(req.actor ?? 'anonymous');
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    res.flushHeaders();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15000);
    try {
      for await (const e of releaseEvents(this.store, release.id, { follow: following, signal: abort.signal })) {
        res.write(`id: ${e.streamPosition}\nevent: ${e.type}\ndata: ${JSON.stringify(toFeedJson(e))}\n\n`);
      }
      res.write('event: end\ndata: {}\n\n');
    } finally {
      clearInterval(heartbeat);
      leave();
      res.end();
    }
  }
}
