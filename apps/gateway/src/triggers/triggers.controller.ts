import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { PushLogEntry, TriggerLogEntry, TriggerView } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';
import { optionalLimit, optionalString } from './log-query';

/**
 * `hangar triggers add|list|remove|log` (issue 6): which registry pushes deploy which app, and what
 * came of every push (a push that did not deploy says why).
 */
@Controller('v1')
export class TriggersController {
  constructor(private readonly commands: CommandClient) {}

  /** `{ image: 'HOST/REPO', tagPolicy: 'exact:TAG' | 'semver:RANGE' | 'glob:PATTERN' }`. */
  @Post('apps/:app/triggers')
  @HttpCode(201)
  @RequiresScope('app:deploy')
  add(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ trigger: TriggerView }> {
    return this.commands.request('builder', 'add-trigger', { ...objectBody(body), app, actor: req.actor });
  }

  @Get('apps/:app/triggers')
  @RequiresScope('app:read')
  list(@Param('app') app: string): Promise<{ triggers: TriggerView[] }> {
    return this.commands.request('builder', 'list-triggers', { app });
  }

  /** Newest first: each push one of the app's triggers followed, deployed (release) or skipped (why). */
  @Get('apps/:app/triggers/log')
  @RequiresScope('app:read')
  log(@Param('app') app: string, @Query() query: Record<string, unknown>): Promise<{ entries: TriggerLogEntry[] }> {
    const limit = optionalLimit(query);
    return this.commands.request('builder', 'list-trigger-log', { app, ...(limit !== undefined ? { limit } : {}) });
  }

  @Delete('apps/:app/triggers/:id')
  @RequiresScope('app:deploy')
  remove(@Param('app') app: string, @Param('id') triggerId: string, @Req() req: AuthenticatedRequest): Promise<{ trigger: { id: string } }> {
    return this.commands.request('builder', 'remove-trigger', { app, triggerId, actor: req.actor });
  }

  /** Every push recorded (any app, or none), newest first, with what came of it. Admin only. */
  @Get('pushes')
  @RequiresScope('admin')
  pushes(@Query() query: Record<string, unknown>): Promise<{ pushes: PushLogEntry[] }> {
    const limit = optionalLimit(query);
    const image = optionalString(query, 'image');
    return this.commands.request('builder', 'list-pushes', { ...(limit !== undefined ? { limit } : {}), ...(image !== undefined ? { image } : {}) });
  }
}
