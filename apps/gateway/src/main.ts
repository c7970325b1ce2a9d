import { prepareHangarDatabase } from '@hangar/messaging';
import { gatewayConfig } from './gateway.config';
import { startGateway } from './gateway.bootstrap';

const config = gatewayConfig();
void prepareHangarDatabase(config.databaseUrl)
  .then(() => startGateway(config))
  .then(({ url, tokenFile }) => {
    process.stdout.write(`gateway listening on ${url}\n`);
    if (tokenFile) process.stdout.write(`development admin token in ${tokenFile}\n`);
  });
