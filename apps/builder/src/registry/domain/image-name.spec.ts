import { HangarError } from '@hangar/contracts';
import { normalizePushImage, parseTriggerImage } from './image-name';

describe(parseTriggerImage.name, () => {
  it('normalises as docker pull would', () => {
    expect(parseTriggerImage('ghcr.io/Acme/Web')).toEqual({ host: 'ghcr.io', repository: 'acme/web' });
    expect(parseTriggerImage('nginx')).toEqual({ host: 'docker.io', repository: 'library/nginx' });
    expect(parseTriggerImage('index.docker.io/acme/web')).toEqual({ host: 'docker.io', repository: 'acme/web' });
    expect(parseTriggerImage('127.0.0.1:5000/acme/web')).toEqual({ host: '127.0.0.1:5000', repository: 'acme/web' });
  });

  it.each(['ghcr.io/acme/web:1.0', 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64), '', 'ghcr.io/acme/we b'])('refuses %j naming image', (text) => {
    expect(() => parseTriggerImage(text)).toThrow(HangarError);
    try {
      parseTriggerImage(text);
    } catch (e) {
      expect((e as HangarError).message).toMatch(/^image: /);
    }
  });
});

describe(normalizePushImage.name, () => {
  it('lower-cases, maps Docker Hub aliases to docker.io and adds library/', () => {
    expect(normalizePushImage('GHCR.io', 'Acme/Web')).toEqual({ host: 'ghcr.io', repository: 'acme/web' });
    expect(normalizePushImage('registry-1.docker.io', 'nginx')).toEqual({ host: 'docker.io', repository: 'library/nginx' });
    expect(normalizePushImage('registry', 'team/app')).toEqual({ host: 'registry', repository: 'team/app' });
  });

  it('names the bad field', () => {
    expect(() => normalizePushImage('ghcr.io/x', 'a')).toThrow(/^host: /);
    expect(() => normalizePushImage('ghcr.io', 'a//b')).toThrow(/^repository: /);
  });
});
