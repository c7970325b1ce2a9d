import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A reader of `<dir>/sql/<name>.sql` (the build copies `.sql` files into dist at the same path):
 * `const loadSql = sqlFilesIn(__dirname)` next to the code that runs them.
 */
export function sqlFilesIn(dir: string): (name: string) => string {
  return (name) => readFileSync(join(dir, 'sql', `${name}.sql`), 'utf8');
}

/** Reads this library's `sql/<name>.sql`. */
export const loadSql = sqlFilesIn(__dirname);
