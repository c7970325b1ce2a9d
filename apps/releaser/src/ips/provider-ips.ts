import { Inject, Injectable } from '@nestjs/common';
import { ErrorCodes, HangarError, streams } from '@hangar/contracts';
import { EVENT_STORE, type EventStore } from '@hangar/event-store';
import { CommandClient } from '@hangar/messaging';
import { appDecider } from '../app/domain/app.decider';
import type { AppEvent } from '../app/domain/app.events';
import { loadAggregate, toNewEvents } from '../decider-store';
import { appNotFound } from '../release/release.process';
import { normaliseAddress } from './domain/ip-address';

/** An address as `ips` answers it; `region` only from the provider. */
export interface IpItem {
  address: string;
  type: 'v4' | 'v6';
  shared: boolean;
  allocatedAt: string;
  region?: string;
}

/**
 * `ips allocate-v4|allocate-v6|list|release` with `HANGAR_MACHINES_PROVIDER=fly` (issue 14 point 13):
 * machine-updater asks Fly.io's IP assignments API, and each change is then recorded in `app-<name>`
 * (`ProviderIpAllocated`, `ProviderIpReleased`); `list` asks the provider, which holds the addresses.
 * No local pool is involved.
 */
@Injectable()
export class ProviderIps {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandClient,
  ) {}

  async allocate(app: string, type: 'v4' | 'v6', shared: boolean, actor: string): Promise<{ ip: IpItem }> {
    await this.requireApp(app);
    if (shared && type !== 'v4') throw new HangarError(ErrorCodes.VALIDATION, 'only IPv4 addresses can be shared', [{ path: 'shared', message: 'only with type v4' }]);
    const { ip } = await this.commands.request<{ ip: IpItem }>('machine-updater', 'assign-provider-ip', { app, type, shared }, { timeoutMs: 30_000 });
    await this.record(app, actor, {
      type: 'ProviderIpAllocated',
      data: { app, provider: 'fly', address: ip.address, type: ip.type, shared: ip.shared, ...(ip.region ? { region: ip.region } : {}) },
    });
    return { ip };
  }

  async release(app: string, address: string, actor: string): Promise<{ released: { app: string; address: string } }> {
    const parsed = normaliseAddress(address);
    if (!parsed) throw new HangarError(ErrorCodes.VALIDATION, `"${address}" is not an IP address`, [{ path: 'address', message: 'must be an IPv4 or IPv6 address' }]);
    const { ips } = await this.list(app);
    // Sent as the provider wrote it: it is the provider's key.
    const held = ips.find((ip) => normaliseAddress(ip.address)?.address === parsed.address);
    if (!held) throw new HangarError('IP.NOT_FOUND', `app ${app} has no IP address ${parsed.address}: see \`hangar ips list\``, { app, address: parsed.address });
    await this.commands.request('machine-updater', 'release-provider-ip', { app, address: held.address }, { timeoutMs: 30_000 });
    await this.record(app, actor, { type: 'ProviderIpReleased', data: { app, provider: 'fly', address: parsed.address } });
    return { released: { app, address: parsed.address } };
  }

  async list(app: string): Promise<{ ips: IpItem[] }> {
    await this.requireApp(app);
    return this.commands.request<{ ips: IpItem[] }>('machine-updater', 'list-provider-ips', { app }, { timeoutMs: 30_000 });
  }

  private async requireApp(app: string): Promise<void> {
    const { state } = await loadAggregate(this.store, appDecider, streams.app(app));
    if (!state.exists) throw appNotFound(app);
  }

  /** A fact about the provider, appended after it happened: no decision of this stream depends on it. */
  private async record(app: string, actor: string, event: AppEvent): Promise<void> {
    await this.store.append(streams.app(app), toNewEvents([event], { actor }), { expectedVersion: 'STREAM_EXISTS' });
  }
}
