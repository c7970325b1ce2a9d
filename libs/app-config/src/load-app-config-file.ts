import { readFile } from 'node:fs/promises';
import { HangarError } from '@hangar/contracts';
import { parseAppConfig, type ParseAppConfigResult } from './parse-app-config';

/** Error code when the config file cannot be read at all. */
export const CONFIG_UNREADABLE = 'CONFIG.UNREADABLE';

/**
 * Reads and parses a fly.toml file; `path` is also the file name issues are reported against.
 *
 * @throws HangarError `CONFIG.UNREADABLE` when the file cannot be read (missing, a directory…).
 */
export async function loadAppConfigFile(path: string): Promise<ParseAppConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HangarError(CONFIG_UNREADABLE, `cannot read ${path}: ${reason}`, { path }, { cause: error });
  }
  return parseAppConfig(text, { file: path });
}
