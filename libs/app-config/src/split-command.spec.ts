import { HangarError } from '@hangar/contracts';
import { INVALID_COMMAND, joinCommand, splitCommand } from './split-command';

describe(splitCommand.name, () => {
  it('splits on whitespace and honours quotes and escapes', () => {
    expect(splitCommand('bin/rails db:migrate')).toEqual(['bin/rails', 'db:migrate']);
    expect(splitCommand(`sh -c 'echo "a b" && exit 1'`)).toEqual(['sh', '-c', 'echo "a b" && exit 1']);
    expect(splitCommand('node "dist/main.js" --name=a\\ b')).toEqual(['node', 'dist/main.js', '--name=a b']);
    expect(splitCommand('')).toEqual([]);
  });

  it('keeps environment references literally', () => {
    expect(splitCommand('bundle exec puma -p $PORT ${WORKERS}')).toEqual(['bundle', 'exec', 'puma', '-p', '$PORT', '$WORKERS']);
  });

  it.each([
    ['migrate && seed', '&&'],
    ['app | tee log', '|'],
    ['app > out.log', '>'],
    ['rm -rf tmp/*', 'tmp/*'],
    ['serve # comment', '# comment'],
  ])('rejects %p naming %p', (cmd, token) => {
    let thrown: unknown;
    try {
      splitCommand(cmd);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HangarError);
    expect((thrown as HangarError).code).toBe(INVALID_COMMAND);
    expect((thrown as HangarError).message).toContain(JSON.stringify(token));
  });

  it('joins an argv so that it splits back to itself', () => {
    const argv = ['sh', '-c', 'echo "$HOME" && ls', 'a b'];
    expect(splitCommand(joinCommand(argv))).toEqual(argv);
  });
});
