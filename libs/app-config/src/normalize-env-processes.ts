import { HangarError } from '@hangar/contracts';
import { describeValue, isTable, Section, type IssueCollector } from './config-reader';
import { splitCommand } from './split-command';
import type { KeySegment } from './toml-locator';

/** How many `[processes]` groups an app may have: each costs at least one machine on a first deploy. */
export const MAX_PROCESS_GROUPS = 100;

/** A process group's name, as `scale --process-group` takes it. */
export const PROCESS_GROUP_NAME = /^[a-z0-9_-]{1,63}$/;

/** Reports a command that `splitCommand` would reject at deploy time, now, with its line. */
export function checkCommand(section: Section, key: string, cmd: string): void {
  try {
    splitCommand(cmd);
  } catch (error) {
    if (!(error instanceof HangarError)) throw error;
    section.error(key, error.message);
  }
}

/** Calls `visit` for every table in `value`, a table or a list of them (lists nested in it too). */
function eachTable(root: Section, value: unknown, path: KeySegment[], visit: (table: Section) => void): void {
  if (isTable(value)) visit(new Section(root.issues, path, value));
  else if (Array.isArray(value)) value.forEach((item, i) => eachTable(root, item, [...path, i], visit));
  else root.issues.error(path, `must be a table or a list of tables; got ${describeValue(value)}`);
}

/**
 * `[env]`, or `[[env]]` (a list of tables) merged in order with later keys winning, as flyctl's
 * `patchEnv` does; every value becomes a string as flyctl's `%v` makes it (`PORT = 8080` → `"8080"`).
 */
export function readEnv(root: Section): Record<string, string> {
  const raw = root.value('env');
  const env: Record<string, string> = {};
  if (raw === undefined) return env;
  eachTable(root, raw, ['env'], (table) => {
    for (const name of Object.keys(table.raw)) {
      const text = table.scalarString(name);
      if (name.startsWith('FLY_')) table.error(name, 'must not start with FLY_ (reserved for the platform)');
      if (text !== undefined) env[name] = text;
    }
  });
  return env;
}

function checkGroupCount(issues: IssueCollector, count: number): void {
  if (count > MAX_PROCESS_GROUPS) issues.error(['processes'], `defines ${count} process groups; at most ${MAX_PROCESS_GROUPS} are allowed`);
}

/**
 * `[[processes]]`, the list of `{ name, command }` tables old API exports wrote, read as the
 * `[processes]` table (flyctl `patchProcesses`): a missing `command` is `""`, an entry without a
 * `name` (or not a table) is skipped, a later name wins.
 */
function readProcessList(root: Section, list: unknown[]): Record<string, string> | undefined {
  const processes: Record<string, string> = {};
  list.forEach((item, i) => {
    if (!isTable(item)) {
      root.issues.warn(['processes', i], `is not a table (got ${describeValue(item)}); ignored, as flyctl does`);
      return;
    }
    const entry = new Section(root.issues, ['processes', i], item);
    const name = entry.scalarString('name');
    const command = entry.has('command') ? entry.scalarString('command') : '';
    entry.finish();
    if (!entry.has('name')) {
      if (Object.keys(item).length > 0) root.issues.warn(entry.path, 'has no name; ignored, as flyctl does');
      return;
    }
    if (name === undefined || command === undefined) return;
    if (!PROCESS_GROUP_NAME.test(name)) entry.error('name', 'is not a process group name: use 1 to 63 lower-case letters, digits, _ and -');
    if (name in processes) root.issues.warn(entry.at('name'), `defines process group '${name}' again; the later one wins`);
    checkCommand(entry, 'command', command);
    processes[name] = command;
  });
  checkGroupCount(root.issues, Object.keys(processes).length);
  return Object.keys(processes).length > 0 ? processes : undefined;
}

/** `[processes]` (group → command), or the list form; `undefined` when the file defines no group. */
export function readProcesses(root: Section): Record<string, string> | undefined {
  const raw = root.raw['processes'];
  if (Array.isArray(raw)) {
    root.value('processes');
    return readProcessList(root, raw);
  }
  const section = root.table('processes');
  if (!section) return undefined;
  const processes: Record<string, string> = {};
  const names = Object.keys(section.raw);
  checkGroupCount(section.issues, names.length);
  for (const name of names) {
    if (!PROCESS_GROUP_NAME.test(name)) section.error(name, 'is not a process group name: use 1 to 63 lower-case letters, digits, _ and -');
    const cmd = section.string(name);
    if (cmd === undefined) continue;
    checkCommand(section, name, cmd);
    processes[name] = cmd;
  }
  return names.length > 0 ? processes : undefined;
}
