import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule, resolveAuditKey } from '@hangar/event-store';
import { MessagingModule } from '@hangar/messaging';
import type { ReleaserConfig } from './releaser.config';
import { AppsHandler } from './app/apps.handler';
import { ImportAppHandler } from './app/import-app.handler';
import { ScaleHandler } from './app/scale.handler';
import { DestroyAppHandler } from './app/destroy-app.handler';
import { CurrentConfigHandler } from './app/current-config.handler';
import { LegacyAppMigration } from './app/migrate-to-v2';
import { IpsHandler } from './ips/ips.handler';
import { ProviderIps } from './ips/provider-ips';
import { IP_POOLS } from './ips/ip-pools.token';
import { MACHINES_PROVIDER } from './machines-provider.token';
import { ReleasesHandler } from './release/releases.handler';
import { ReleaseProcess } from './release/release.process';
import { DryRun } from './release/dry-run';
import { VolumeCheck } from './release/volume-check';
import { RolloutConsumer } from './release/rollout.consumer';
import { RECONCILE_OPTIONS, ReleaseReconciler } from './release/release.reconciler';
import { SecretsReleaseConsumer } from './secrets/secrets-release.consumer';
import { SecretsReleaseReconciler } from './secrets/secrets-release.reconciler';
import { RegistryReleaseHandler } from './registry/registry-release.handler';

/** Composition root of releaser: the deploy queue, the rollout process manager and their commands. */
@Module({})
export class ReleaserModule {
  static forRoot(config: ReleaserConfig): DynamicModule {
    return {
      module: ReleaserModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, auditKey: resolveAuditKey(config.audit).key }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: config.nats, ns: config.namespace, service: 'releaser', eventsStream: config.eventsStream }) }),
      ],
      controllers: [AppsHandler, ImportAppHandler, DestroyAppHandler, CurrentConfigHandler, ReleasesHandler, ScaleHandler, IpsHandler, RegistryReleaseHandler],
      providers: [DryRun, ProviderIps, VolumeCheck, ReleaseProcess, RolloutConsumer, ReleaseReconciler, { provide: RECONCILE_OPTIONS, useValue: { intervalMs: config.reconcileIntervalMs } }, LegacyAppMigration, { provide: IP_POOLS, useValue: config.ipPools }, { provide: MACHINES_PROVIDER, useValue: config.machinesProvider }, SecretsReleaseConsumer, SecretsReleaseReconciler],
    };
  }
}
