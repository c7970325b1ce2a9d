import { sqlFilesIn } from '@hangar/event-store';

/** Reads `sql/<name>.sql` next to this file. */
export const loadSql = sqlFilesIn(__dirname);
