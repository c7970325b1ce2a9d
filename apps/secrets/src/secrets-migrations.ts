import { CreateSecretTables1764400000000 } from './migrations/1764400000000-create-secret-tables.migration';
import { CreateReceiverSecrets1764500000000 } from './migrations/1764500000000-create-receiver-secrets.migration';

/** The secrets service's migrations, oldest first; run after `prepareHangarDatabase`. */
export const secretsMigrations: Function[] = [CreateSecretTables1764400000000, CreateReceiverSecrets1764500000000];
