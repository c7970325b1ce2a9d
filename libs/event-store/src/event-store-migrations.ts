import { CreateEvents1764100000000 } from './migrations/1764100000000-create-events';

/** The event store's migrations, oldest first; pass them to `runMigrations`. */
export const eventStoreMigrations: Function[] = [CreateEvents1764100000000];
