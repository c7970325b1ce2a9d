import { AddPushIndexes1764700000000 } from './migrations/1764700000000-add-push-indexes.migration';

/** Builder's migrations, oldest first; run after `prepareHangarDatabase`. */
export const builderMigrations: Function[] = [AddPushIndexes1764700000000];
