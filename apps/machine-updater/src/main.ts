import { prepareHangarDatabase, startService } from '@hangar/messaging';
import { machineUpdaterConfig } from './machine-updater.config';
import { MachineUpdaterModule } from './machine-updater.module';

const config = machineUpdaterConfig();
void prepareHangarDatabase(config.databaseUrl).then(() =>
  startService(MachineUpdaterModule.forRoot(config), { nats: config.nats, ns: config.namespace, service: 'machine-updater', ...(config.ops ? { ops: config.ops } : {}) }),
);
