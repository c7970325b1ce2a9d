import { CreateMessagingTables1764100001000 } from './migrations/1764100001000-create-messaging-tables';
import { CreateApiTokens1764300001000 } from './migrations/1764300001000-create-api-tokens';
import { CreateFeedRejections1764600001000 } from './migrations/1764600001000-create-feed-rejections';
import { AddApiTokenNatsKey1764900001000 } from './migrations/1764900001000-add-api-token-nats-key';

/** Messaging's migrations, oldest first; run them after `eventStoreMigrations` with `runMigrations`. */
export const messagingMigrations: Function[] = [CreateMessagingTables1764100001000, CreateApiTokens1764300001000, CreateFeedRejections1764600001000, AddApiTokenNatsKey1764900001000];
