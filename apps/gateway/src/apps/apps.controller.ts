import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandClient } from '@hangar/messaging';
import { canReadApp, type AppSummary, type DestroyedApp } from '@hangar/contracts';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { RequiresScope } from '../auth/requires-scope.decorator';
import { objectBody } from '../http/request-body';

@Controller('v1/apps')
export class AppsController {
  constructor(private readonly commands: CommandClient) {}

  @Post()
  @RequiresScope('admin')
  @HttpCode(201)
  create(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<{ app: AppSummary }> {
    const { name, app, ...rest } = objectBody(body);
    return this.commands.request('releaser', 'create-app', { ...rest, ...(name ?? app ? { app: name ?? app } : {}), actor: req.actor }, { timeoutMs: 45000 });
  }

  /** `apps import <name>`: adopt the machines provider's existing app; body `{ name, org? }`. */
  @Post('import')
  @RequiresScope('admin')
  @HttpCode(201)
  import(@Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    const { name, ...rest } = objectBody(body);
    return this.commands.request('releaser', 'import-app', { ...rest, ...(name === undefined ? {} : { app: name }), actor: req.actor }, { timeoutMs: 45000 });
  }

  @Get()
  @RequiresScope('authenticated')
  async list(@Req() req: AuthenticatedRequest): Promise<{ apps: AppSummary[] }> {
    const { apps } = await this.commands.request<{ apps: AppSummary[] }>('releaser', 'list-apps', {});
    // Any token may list; it sees the apps it can read.
    return { apps: apps.filter((a) => canReadApp(req.principal?.scopes ?? [], a.name)) };
  }

  @Get(':app')
  @RequiresScope('app:read')
  get(@Param('app') app: string): Promise<{ app: AppSummary }> {
    return this.commands.request('releaser', 'get-app', { app });
  }

  /**
   * `apps destroy`: refused (409 `RELEASE.APP_BUSY`) while a release is running or queued; otherwise
   * the app is destroyed, its machines and volumes with it, and its history is kept. The strongest
   * app scope, `app:<name>:deploy`, is needed: the same a token needs to destroy its machines one by one.
   */
  @Delete(':app')
  @RequiresScope('app:deploy')
  destroy(@Param('app') app: string, @Req() req: AuthenticatedRequest): Promise<{ destroyed: DestroyedApp }> {
    return this.commands.request('releaser', 'destroy-app', { app, actor: req.actor }, { timeoutMs: 90000 });
  }

  /** The config of the app's current release, as `config validate --json` prints one (secrets are never in it). */
  @Get(':app/config')
  @RequiresScope('app:read')
  config(@Param('app') app: string): Promise<unknown> {
    return this.commands.request('releaser', 'get-config', { app });
  }

  @Post(':app/deploys')
  @RequiresScope('app:deploy')
  @HttpCode(202)
  deploy(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    const trigger = req.headers['x-hangar-client'] === 'cli' ? 'cli' : 'api';
    return this.commands.request('releaser', 'create-release', { ...objectBody(body), app, trigger, actor: req.actor }, { timeoutMs: 30000 });
  }

  @Post(':app/scale')
  @RequiresScope('app:deploy')
  scale(@Param('app') app: string, @Body() body: unknown, @Req() req: AuthenticatedRequest): Promise<unknown> {
    return this.commands.request('releaser', 'scale', { ...objectBody(body), app, actor: req.actor }, { timeoutMs: 30000 });
  }
}
