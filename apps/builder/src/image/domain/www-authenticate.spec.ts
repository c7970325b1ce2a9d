import { parseWwwAuthenticate } from './www-authenticate';

describe(parseWwwAuthenticate.name, () => {
  it("reads Docker Hub's bearer challenge", () => {
    expect(
      parseWwwAuthenticate('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"'),
    ).toEqual([
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/nginx:pull' },
      },
    ]);
  });

  it('keeps commas inside quoted values and unescapes quotes', () => {
    expect(parseWwwAuthenticate('Bearer realm="r", scope="repository:a/b:pull,push", error="say \\"hi\\""')).toEqual([
      { scheme: 'bearer', params: { realm: 'r', scope: 'repository:a/b:pull,push', error: 'say "hi"' } },
    ]);
  });

  it('reads basic challenges and several challenges joined by Headers.get', () => {
    expect(parseWwwAuthenticate('Basic realm="Registry Realm", Bearer realm="https://t/token" , charset=UTF-8')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://t/token', charset: 'UTF-8' } },
    ]);
  });

  it('yields nothing for an empty header', () => {
    expect(parseWwwAuthenticate('')).toEqual([]);
  });
});
