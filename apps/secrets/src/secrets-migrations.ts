import { CreateSecretTables1764400000000 } from './migrations/1764400000000-create-secret-tables.migration';

/** The secrets service's migrations, oldest first; run after `prepareHangarDatabase`. */
export const secretsMigrations: Function[] = [CreateSecretTables1764400000000];
