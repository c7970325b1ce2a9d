import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { prepareHangarDatabase, startService } from '@hangar/messaging';
import { startFleet } from '../../../fleet/src/fleet.bootstrap';
import { fleetConfig } from '../../../fleet/src/fleet.config';
import { builderConfig } from '../../../builder/src/builder.config';
import { startBuilderService } from '../../../builder/src/builder.bootstrap';
import { gatewayConfig } from '../../../gateway/src/gateway.config';
import { startGateway } from '../../../gateway/src/gateway.bootstrap';
import { machineUpdaterConfig } from '../../../machine-updater/src/machine-updater.config';
import { MachineUpdaterModule } from '../../../machine-updater/src/machine-updater.module';
import { releaserConfig } from '../../../releaser/src/releaser.config';
import { ReleaserModule } from '../../../releaser/src/releaser.module';
import { secretsConfig } from '../../../secrets/src/secrets.config';
import { startSecretsService } from '../../../secrets/src/secrets.bootstrap';

export interface RunningServer {
  url: string;
  fleetUrl: string;
  /** The edge proxy (`http://<app>.localhost:<port>/`), when machines are real containers. */
  edgeUrl?: string;
  /** Where the services reach NATS, and as whom. */
  nats: string;
  tokenFile?: string;
  close(): Promise<void>;
}

/**
 * `hangar server`: migrations, then fleet and every service in this one process, talking over
 * NATS exactly as they do when run apart (DESIGN §2).
 */
export async function startServer(): Promise<RunningServer> {
  const gateway = gatewayConfig();
  await prepareHangarDatabase(gateway.databaseUrl);
  const fleet = await startFleet(fleetConfig());
  // One process: the gateway's /healthz, /readyz and /metrics cover it, so no service opens HANGAR_OPS_PORT.
  const releaser = releaserConfig();
  const { ops: _builderOps, ...builder } = builderConfig();
  const updater = machineUpdaterConfig();
  const { ops: _secretsOps, ...secrets } = secretsConfig();
  const services: INestMicroservice[] = [
    await startService(ReleaserModule.forRoot(releaser), { nats: releaser.nats, ns: releaser.namespace, service: 'releaser' }),
    await startBuilderService(builder, { prepareDatabase: false }),
    await startService(MachineUpdaterModule.forRoot(updater), { nats: updater.nats, ns: updater.namespace, service: 'machine-updater' }),
    await startSecretsService(secrets, { prepareDatabase: false }),
  ];
  const http = await startGateway(gateway);
  const apps: (INestApplication | INestMicroservice)[] = [http.app, ...services.reverse(), fleet.app];
  return {
    url: http.url,
    fleetUrl: fleet.url,
    ...(fleet.edgeUrl ? { edgeUrl: fleet.edgeUrl } : {}),
    nats: gateway.nats.credentialsDir
      ? `${gateway.nats.url}, each service with its own nkey from ${gateway.nats.credentialsDir}`
      : `${gateway.nats.url} without authentication (HANGAR_NATS_INSECURE=1): whoever reaches it can send commands`,
    ...(http.tokenFile ? { tokenFile: http.tokenFile } : {}),
    async close() {
      for (const app of apps) await app.close();
    },
  };
}
