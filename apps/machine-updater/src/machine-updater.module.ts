import { Module, type DynamicModule } from '@nestjs/common';
import { EventStoreModule } from '@hangar/event-store';
import { HttpMachinesApi, type MachinesApi } from '@hangar/machines-api';
import { MessagingModule } from '@hangar/messaging';
import type { MachineUpdaterConfig } from './machine-updater.config';
import { MACHINES_API } from './machine-updater.tokens';
import { MachinesHandler } from './machines/machines.handler';
import { MachineOperationExecutor } from './operations/machine-operation.executor';
import { MachineOperationsConsumer } from './operations/machine-operations.consumer';

/** Composition root of machine-updater: the machines API port, its commands and its consumer. */
@Module({})
export class MachineUpdaterModule {
  static forRoot(config: MachineUpdaterConfig): DynamicModule {
    return {
      module: MachineUpdaterModule,
      imports: [
        EventStoreModule.forRootAsync({ useFactory: () => ({ databaseUrl: config.databaseUrl }) }),
        MessagingModule.forRootAsync({ useFactory: () => ({ natsUrl: config.natsUrl, ns: config.namespace, service: 'machine-updater' }) }),
      ],
      controllers: [MachinesHandler],
      providers: [
        { provide: MACHINES_API, useFactory: () => new HttpMachinesApi({ baseUrl: config.machinesApiUrl, token: config.machinesApiToken }) },
        { provide: MachineOperationExecutor, useFactory: (api: MachinesApi) => new MachineOperationExecutor(api), inject: [MACHINES_API] },
        MachineOperationsConsumer,
      ],
    };
  }
}
