import { gunzipSync } from 'node:zlib';
import { buildDemoImage } from './demo-image';
import type { OciImage } from './oci-image';

/** Name → type flag (and link target) of each entry of a layer. */
function entries(layer: Buffer): Record<string, string> {
  const tar = gunzipSync(layer);
  const found: Record<string, string> = {};
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number): string => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12), 8);
    found[field(0, 100)] = `${field(156, 1)}${field(157, 100) ? ` -> ${field(157, 100)}` : ''} ${field(100, 8).slice(-4)}`;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return found;
}

const containerConfig = (image: OciImage): Record<string, unknown> => JSON.parse(image.config.bytes.toString('utf8')).config;

describe(buildDemoImage.name, () => {
  it('is reproducible for a variant and label, and differs by label and by variant', () => {
    const v1 = buildDemoImage('ok', { label: 'v1' });
    expect(buildDemoImage('ok', { label: 'v1' }).manifest.digest).toBe(v1.manifest.digest);
    expect(buildDemoImage('ok', { label: 'v2' }).manifest.digest).not.toBe(v1.manifest.digest);
    expect(buildDemoImage('unhealthy', { label: 'v1' }).manifest.digest).not.toBe(v1.manifest.digest);
  });

  it('shares one busybox layer holding the static binary, its applet links and /www', () => {
    const [base, script] = buildDemoImage('exits').layers;
    expect(buildDemoImage('never-listens', { label: 'x' }).layers[0]!.digest).toBe(base!.digest);
    expect(entries(base!.bytes)).toMatchObject({ 'bin/busybox': '0 0755', 'bin/sh': '2 -> busybox 0777', 'bin/httpd': '2 -> busybox 0777', 'www/': '5 0755' });
    expect(entries(script!.bytes)).toEqual({ 'demo/': '5 0755', 'demo/run.sh': '0 0755' });
  });

  it('serves from Cmd with no Entrypoint, so a command given to `run` replaces it', () => {
    const config = containerConfig(buildDemoImage('ok', { label: 'v1' }));
    expect(config).toMatchObject({ Cmd: ['/bin/busybox', 'sh', '/demo/run.sh'], Env: ['PATH=/bin'], ExposedPorts: { '8080/tcp': {} } });
    expect(config).not.toHaveProperty('Entrypoint');
    expect(config['Labels']).toEqual({ 'dev.hangar.demo.variant': 'ok', 'dev.hangar.demo.label': 'v1' });
  });
});
