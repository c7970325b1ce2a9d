import { Logger } from '@nestjs/common';
import { EnvConfigError } from '@hangar/contracts';
import { startSecretsService } from './secrets.bootstrap';
import { secretsConfig } from './secrets.config';

void (async () => {
  try {
    await startSecretsService(secretsConfig());
  } catch (error) {
    // A bad or missing key stops the service with a message naming the variable (DESIGN §7.4).
    new Logger('secrets').error(error instanceof EnvConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  }
})();
