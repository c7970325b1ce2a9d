import { Module, type DynamicModule } from '@nestjs/common';
import { resolveMachinesApiToken } from '@hangar/contracts';
import { EventStoreModule, PG_POOL, resolveAuditKey } from '@hangar/event-store';
import { HttpMachinesApi, type MachinesApi } from '@hangar/machines-api';
import { CommandClient, MessagingModule } from '@hangar/messaging';
import type { MachineUpdaterConfig } from './machine-updater.config';
import { MACHINES_API } from './machine-updater.tokens';
import { MachinesHandler } from './machines/machines.handler';
import { MachineLifecycleHandler } from './machines/machine-lifecycle.handler';
import { AdoptMachinesHandler } from './machines/adopt-machines.handler';
import { MachinePowerHandler } from './machines/machine-power.handler';
import { MachineStatusHandler } from './machines/machine-status.handler';
import { VolumesHandler } from './volumes/volumes.handler';
import { ProviderAppsHandler } from './provider/provider-apps.handler';
import { ProviderIpsHandler } from './provider/provider-ips.handler';
import { AppTeardown } from './teardown/app-teardown.service';
import { AppTeardownHandler } from './teardown/app-teardown.handler';
import { AppTeardownConsumer } from './teardown/app-teardown.consumer';
import { MachineOperationExecutor } from './operations/machine-operation.executor';
import { MachineOperationsConsumer } from './operations/machine-operations.consumer';
import { OperationClaims } from './operations/operation-claims';
import { OperationReconcileHandler } from './operations/operation-reconcile.handler';
import { OperationRunner } from './operations/operation.runner';
import { NatsSecretValuesSource, SecretsDelivery } from './operations/secrets-delivery';
import type { Pool } from 'pg';

/** Composition root of machine-updater: the machines API port, its commands and its consumer. */
@Module({})
export class MachineUpdaterModule {
  static forRoot(config: MachineUpdaterConfig): DynamicModule {
    return {
      module: MachineUpdaterModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl, auditKey: resolveAuditKey(config.audit).key }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ nats: config.nats, ns: config.namespace, service: 'machine-updater', eventsStream: config.eventsStream }) }),
      ],
      controllers: [MachinesHandler, MachineLifecycleHandler, MachinePowerHandler, MachineStatusHandler, AdoptMachinesHandler, VolumesHandler, OperationReconcileHandler, AppTeardownHandler, ProviderAppsHandler, ProviderIpsHandler],
      providers: [
        { provide: MACHINES_API, useFactory: () => new HttpMachinesApi({ baseUrl: config.machinesApiUrl, provider: config.machinesProvider.kind, flyApiUrl: config.machinesProvider.flyApiUrl, token: resolveMachinesApiToken({ machinesApiToken: config.machinesApiToken, stateDir: config.state.stateDir, production: config.state.production }) }) },
        { provide: MachineOperationExecutor, useFactory: (api: MachinesApi) => new MachineOperationExecutor(api), inject: [MACHINES_API] },
        { provide: OperationClaims, useFactory: (pool: Pool) => new OperationClaims(pool.options), inject: [PG_POOL] },
        { provide: SecretsDelivery, useFactory: (commands: CommandClient) => new SecretsDelivery(new NatsSecretValuesSource(commands)), inject: [CommandClient] },
        OperationRunner,
        MachineOperationsConsumer,
        AppTeardown,
        AppTeardownConsumer,
      ],
    };
  }
}
