import { CreateReceiverSecrets1764500000000 } from './migrations/1764500000000-create-receiver-secrets.migration';

/** Builder's migrations, oldest first; run after `prepareHangarDatabase`. */
export const builderMigrations: Function[] = [CreateReceiverSecrets1764500000000];
