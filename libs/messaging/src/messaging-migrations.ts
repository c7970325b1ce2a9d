import { CreateMessagingTables1764100001000 } from './migrations/1764100001000-create-messaging-tables';

/** Messaging's migrations, oldest first; run them after `eventStoreMigrations` with `runMigrations`. */
export const messagingMigrations: Function[] = [CreateMessagingTables1764100001000];
