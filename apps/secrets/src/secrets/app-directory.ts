import { Injectable } from '@nestjs/common';
import type { AppSummary } from '@hangar/contracts';
import { CommandClient } from '@hangar/messaging';

/** What the secrets service needs to know about an app, asked of releaser (which owns apps). */
@Injectable()
export class AppDirectory {
  constructor(private readonly commands: CommandClient) {}

  /** Whether the app has a release (complete, running or queued); `RELEASE.APP_NOT_FOUND` for an unknown app. */
  async hasRelease(app: string): Promise<boolean> {
    const { app: summary } = await this.commands.request<{ app: AppSummary }>('releaser', 'get-app', { app });
    return Boolean(summary.currentRelease || summary.runningRelease || summary.queuedReleases.length > 0);
  }
}
