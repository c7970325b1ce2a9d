import { CliError } from '../cli-error';
import { parsePairs } from './secrets.command';

describe(parsePairs.name, () => {
  const noStdin = async () => {
    throw new Error('stdin not expected');
  };

  it('splits NAME=VALUE at the first =', async () => {
    expect(await parsePairs(['A=1', 'URL=postgres://u:p@h/db?x=y', 'EMPTY='], noStdin)).toEqual({ A: '1', URL: 'postgres://u:p@h/db?x=y', EMPTY: '' });
  });

  it('reads a value of - from stdin, without its final newline', async () => {
    expect(await parsePairs(['KEY=-'], async () => '-----BEGIN KEY-----\nabc\n')).toEqual({ KEY: '-----BEGIN KEY-----\nabc' });
  });

  it('refuses a pair without =, two stdin values and a name given twice, never echoing a value', async () => {
    await expect(parsePairs(['NOVALUE'], noStdin)).rejects.toThrow(CliError);
    await expect(parsePairs(['A=-', 'B=-'], async () => 'x')).rejects.toThrow('only one secret can read its value from stdin (-)');
    const twice = parsePairs(['A=hidden-1', 'A=hidden-2'], noStdin);
    await expect(twice).rejects.toThrow('secret A is given twice');
  });
});
