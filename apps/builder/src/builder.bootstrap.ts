import type { INestMicroservice } from '@nestjs/common';
import { runMigrations } from '@hangar/event-store';
import { prepareHangarDatabase, startService } from '@hangar/messaging';
import { builderMigrations } from './builder-migrations';
import type { BuilderConfig } from './builder.config';
import { BuilderModule } from './builder.module';

/** Starts builder: Hangar's migrations and its own, then the NATS command server. `hangar server` calls it too. */
export async function startBuilderService(config: BuilderConfig, opts: { prepareDatabase?: boolean } = {}): Promise<INestMicroservice> {
  if (opts.prepareDatabase ?? true) await prepareHangarDatabase(config.databaseUrl);
  await runMigrations(config.databaseUrl, builderMigrations);
  return startService(BuilderModule.forRoot(config), { nats: config.nats, ns: config.namespace, service: 'builder', ...(config.ops ? { ops: config.ops } : {}) });
}
