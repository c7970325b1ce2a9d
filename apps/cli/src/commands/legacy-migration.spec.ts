import { CliError, ExitCode } from '../cli-error';
import type { CliContext } from '../cli-context';
import { deployConfirmingMigration, type Prompter } from './legacy-migration';

const QUESTION = 'Migrate old to Apps V2? This marks its 2 machines as managed by deploy.';
const refusal = new CliError(QUESTION, ExitCode.USAGE, { error: { code: 'RELEASE.MIGRATION_REQUIRED', message: QUESTION, details: { app: 'old', machines: 2 } } });

function harness(answer: string | undefined) {
  const errors: string[] = [];
  const asked: string[] = [];
  const sent: boolean[] = [];
  const ctx = { err: (l: string) => errors.push(l) } as unknown as CliContext;
  const prompter: Prompter = {
    interactive: answer !== undefined,
    ask: async (q) => {
      asked.push(q);
      return answer ?? '';
    },
  };
  const send = async (migrate: boolean) => {
    sent.push(migrate);
    if (!migrate) throw refusal;
    return 'released';
  };
  return { ctx, prompter, send, errors, asked, sent };
}

async function exitOf(p: Promise<unknown>): Promise<CliError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe(deployConfirmingMigration.name, () => {
  it('asks on a terminal and resends with migrateToV2 on y', async () => {
    const h = harness('y');
    await expect(deployConfirmingMigration(h.ctx, h.send, { prompter: h.prompter })).resolves.toBe('released');
    expect(h.asked).toEqual([`${QUESTION} [y/N] `]);
    expect(h.sent).toEqual([false, true]);
  });

  it.each(['n', '', 'nope'])('does not migrate on %j: exit 2, nothing resent', async (answer) => {
    const h = harness(answer);
    const error = await exitOf(deployConfirmingMigration(h.ctx, h.send, { prompter: h.prompter }));
    expect(error.exitCode).toBe(ExitCode.USAGE);
    expect(h.errors).toEqual(['Not migrating; nothing changed.']);
    expect(h.sent).toEqual([false]);
  });

  it('without a terminal, fails with exit 2 naming --yes and does not ask', async () => {
    const h = harness(undefined);
    const error = await exitOf(deployConfirmingMigration(h.ctx, h.send, { prompter: h.prompter }));
    expect(error.exitCode).toBe(ExitCode.USAGE);
    expect(error.message).toContain(QUESTION);
    expect(error.message).toContain('--yes');
    expect(h.asked).toEqual([]);
  });

  it('sends migrateToV2 straight away with --yes', async () => {
    const h = harness(undefined);
    await expect(deployConfirmingMigration(h.ctx, h.send, { yes: true, prompter: h.prompter })).resolves.toBe('released');
    expect(h.sent).toEqual([true]);
  });

  it('passes any other error through untouched', async () => {
    const other = new CliError('boom', ExitCode.FAILED);
    const h = harness('y');
    await expect(deployConfirmingMigration(h.ctx, async () => Promise.reject(other), { prompter: h.prompter })).rejects.toBe(other);
    expect(h.asked).toEqual([]);
  });
});
