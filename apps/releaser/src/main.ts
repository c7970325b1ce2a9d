import { prepareHangarDatabase, startService } from '@hangar/messaging';
import { releaserConfig } from './releaser.config';
import { ReleaserModule } from './releaser.module';

const config = releaserConfig();
void prepareHangarDatabase(config.databaseUrl).then(() =>
  startService(ReleaserModule.forRoot(config), { nats: config.nats, ns: config.namespace, service: 'releaser', ...(config.ops ? { ops: config.ops } : {}) }),
);
