import { createInterface } from 'node:readline';
import { CliError, ExitCode } from '../cli-error';
import type { CliContext } from '../cli-context';

/** The releaser's refusal to deploy a legacy app without confirmation (DESIGN §6.7). */
export const MIGRATION_REQUIRED = 'RELEASE.MIGRATION_REQUIRED';

/** Asks the user a yes/no question; only used when there is a terminal to ask on. */
export interface Prompter {
  readonly interactive: boolean;
  /** Prints `question` and resolves with the line typed (empty at end of input). */
  ask(question: string): Promise<string>;
}

/** Standard input when it is a terminal; the question goes to stderr so `--json` stdout stays JSON. */
export function terminalPrompter(): Prompter {
  return {
    interactive: process.stdin.isTTY === true,
    ask: (question) =>
      new Promise((resolve) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
        let answered = false;
        process.stderr.write(question);
        rl.once('line', (line) => {
          answered = true;
          rl.close();
          resolve(line);
        });
        rl.once('close', () => {
          if (!answered) resolve('');
        });
      }),
  };
}

/**
 * Sends a deploy; when the app is legacy, asks `Migrate <app> to Apps V2? This marks its N machines
 * as managed by deploy. [y/N]` on a terminal and resends with `migrateToV2` on `y`. Declining, or no
 * terminal without `--yes`, ends with exit 2 and nothing changed.
 */
export async function deployConfirmingMigration<T>(
  ctx: CliContext,
  send: (migrateToV2: boolean) => Promise<T>,
  opts: { yes?: boolean; prompter?: Prompter },
): Promise<T> {
  try {
    return await send(opts.yes === true);
  } catch (error) {
    const question = migrationQuestion(error);
    if (question === undefined || opts.yes) throw error;
    const prompter = opts.prompter ?? terminalPrompter();
    if (!prompter.interactive) {
      throw new CliError(`${question} Not a terminal, so not asking: re-run with --yes to migrate. Nothing changed.`, ExitCode.USAGE);
    }
    const answer = await prompter.ask(`${question} [y/N] `);
    if (!/^\s*y(es)?\s*$/i.test(answer)) {
      ctx.err('Not migrating; nothing changed.');
      throw new CliError('', ExitCode.USAGE);
    }
    return send(true);
  }
}

function migrationQuestion(error: unknown): string | undefined {
  if (!(error instanceof CliError)) return undefined;
  const body = error.body as { error?: { code?: string; message?: string } } | undefined;
  return body?.error?.code === MIGRATION_REQUIRED ? (body.error.message ?? error.message) : undefined;
}
