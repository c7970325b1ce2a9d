import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { HangarError, commandPattern, type MachineView } from '@hangar/contracts';
import { MachinesApiError, type MachinesApi } from '@hangar/machines-api';
import { MACHINES_API } from '../machine-updater.tokens';
import { isLive, toMachineView } from '../machines/domain/machine-view';
import { CreateProviderAppDto, ProviderAppDto } from './dto/provider.dto';

export const ProviderErrorCodes = {
  /** `apps import` of an app the machines provider does not have (or this token cannot read). */
  APP_NOT_FOUND: 'PROVIDER.APP_NOT_FOUND',
  /** The provider refused to create the app (a deploy token, an unknown org, a name held elsewhere). */
  REFUSED: 'PROVIDER.REFUSED',
} as const;

/**
 * The machines provider's app, once per Hangar app (issue 14 point 1): created at `apps create`,
 * read at `apps import`, never on the machine path. Releaser asks and records the outcome in
 * `app-<name>`; nothing here appends.
 */
@Controller()
export class ProviderAppsHandler {
  constructor(@Inject(MACHINES_API) private readonly api: MachinesApi) {}

  /** An app of that name the token can read already counts as created (`created: false`), in the org it is in. */
  @MessagePattern(commandPattern('machine-updater', 'create-provider-app'))
  async create(@Payload() dto: CreateProviderAppDto): Promise<{ org: string; created: boolean }> {
    try {
      const { app, created } = await this.api.createApp(dto.app, dto.org);
      return { org: app.organization?.slug ?? dto.org, created };
    } catch (error) {
      if (!(error instanceof MachinesApiError)) throw error;
      const why = error.status === 404 || error.status === 403 ? 'the name is taken by an app this token cannot read' : (error.details as { apiMessage?: string }).apiMessage ?? `HTTP ${error.status || 'transport failure'}`;
      throw new HangarError(
        ProviderErrorCodes.REFUSED,
        `the machines API did not create app ${dto.app} in org ${dto.org}: ${why}. An org token (\`fly tokens create org\`) can create apps; a deploy token only deploys an app that exists (create it with \`fly apps create\`, then \`hangar apps import ${dto.app}\`)`,
        { app: dto.app, org: dto.org, status: error.status },
      );
    }
  }

  /** The provider app's org and its live machines, for `apps import`. */
  @MessagePattern(commandPattern('machine-updater', 'inspect-provider-app'))
  async inspect(@Payload() dto: ProviderAppDto): Promise<{ org?: string; machines: MachineView[] }> {
    const app = await this.api.getApp(dto.app).catch((error: unknown) => {
      if (error instanceof MachinesApiError && (error.status === 404 || error.status === 403)) {
        throw new HangarError(ProviderErrorCodes.APP_NOT_FOUND, `the machines API has no app ${dto.app} that this token can read: check the name (\`fly apps list\`) and HANGAR_MACHINES_API_TOKEN`, { app: dto.app });
      }
      throw error;
    });
    const machines = (await this.api.list(dto.app)).filter(isLive).map(toMachineView).sort((a, b) => a.id.localeCompare(b.id));
    return { ...(app.organization?.slug ? { org: app.organization.slug } : {}), machines };
  }
}
