import { prepareHangarDatabase, startService } from '@hangar/messaging';
import { builderConfig } from './builder.config';
import { BuilderModule } from './builder.module';

const config = builderConfig();
void prepareHangarDatabase(config.databaseUrl).then(() =>
  startService(BuilderModule.forRoot(config), { natsUrl: config.natsUrl, ns: config.namespace, service: 'builder' }),
);
