import type { INestMicroservice } from '@nestjs/common';
import { prepareHangarDatabase, startService } from '@hangar/messaging';
import type { BuilderConfig } from './builder.config';
import { BuilderModule } from './builder.module';

/** Starts builder: Hangar's migrations, then the NATS command server. `hangar server` calls it too. */
export async function startBuilderService(config: BuilderConfig, opts: { prepareDatabase?: boolean } = {}): Promise<INestMicroservice> {
  if (opts.prepareDatabase ?? true) await prepareHangarDatabase(config.databaseUrl);
  return startService(BuilderModule.forRoot(config), { nats: config.nats, ns: config.namespace, service: 'builder' });
}
