import { quote, parse } from 'shell-quote';
import { HangarError } from '@hangar/contracts';

/** Error code of a command that cannot be split into an argv. */
export const INVALID_COMMAND = 'CONFIG.INVALID_COMMAND';

/**
 * Splits a fly.toml command (`[processes]` values, `[deploy].release_command`) into an argv the way
 * flyctl's shell-words splitting does: quotes and backslashes are honoured, `$VAR` is kept literally
 * (the machine's shell or program expands it, not us). Nothing runs through a shell, so shell
 * operators (`&&`, `|`, `>`…), unquoted globs and comments are rejected rather than passed on as
 * surprising literal arguments.
 *
 * @throws HangarError `CONFIG.INVALID_COMMAND` naming the offending token.
 */
export function splitCommand(cmd: string): string[] {
  // `${VAR}` comes back as `$VAR`: equivalent once the target expands it.
  const entries = parse(cmd, (name: string) => `$${name}`);
  return entries.map((entry) => {
    if (typeof entry === 'string') return entry;
    const token = 'op' in entry ? (entry.op === 'glob' ? entry.pattern : entry.op) : `#${entry.comment}`;
    const kind = 'op' in entry ? (entry.op === 'glob' ? 'glob' : 'shell operator') : 'comment';
    throw new HangarError(
      INVALID_COMMAND,
      `command ${JSON.stringify(cmd)} contains the ${kind} ${JSON.stringify(token)}; commands are not run by a shell (quote it, or wrap the command in sh -c '...')`,
      { command: cmd, token },
    );
  });
}

/** Joins an argv back into one command string that `splitCommand` splits to the same argv. */
export function joinCommand(argv: readonly string[]): string {
  return quote(argv);
}
