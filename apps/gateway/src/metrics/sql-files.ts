import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads `sql/<name>.sql` next to this file; the build copies `.sql` files into dist at the same path. */
export function loadSql(name: string): string {
  return readFileSync(join(__dirname, 'sql', `${name}.sql`), 'utf8');
}
