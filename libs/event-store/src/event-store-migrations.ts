import { CreateEvents1764100000000 } from './migrations/1764100000000-create-events';
import { AddAuditIndexes1764300000000 } from './migrations/1764300000000-add-audit-indexes';

/** The event store's migrations, oldest first; pass them to `runMigrations`. */
export const eventStoreMigrations: Function[] = [CreateEvents1764100000000, AddAuditIndexes1764300000000];
