import { EnvConfigError } from '@hangar/contracts';
import { gatewayConfig } from './gateway.config';

describe(gatewayConfig.name, () => {
  it('has no public URL unless HANGAR_PUBLIC_URL is set (the listening address is used then)', () => {
    expect(gatewayConfig({}).publicUrl).toBeUndefined();
    expect(gatewayConfig({ HANGAR_PUBLIC_URL: '' }).publicUrl).toBeUndefined();
  });

  it('takes an http(s) HANGAR_PUBLIC_URL, with a path behind a proxy, without its trailing slash', () => {
    expect(gatewayConfig({ HANGAR_PUBLIC_URL: 'https://hangar.example.com/' }).publicUrl).toBe('https://hangar.example.com');
    expect(gatewayConfig({ HANGAR_PUBLIC_URL: 'http://10.0.0.5:4280/hangar/' }).publicUrl).toBe('http://10.0.0.5:4280/hangar');
  });

  it.each([
    ['hangar.example.com', 'must be an http or https URL'],
    ['ftp://hangar.example.com', 'must use http or https'],
    ['https://hangar.example.com/?x=1', 'must not have a query or fragment'],
    ['https://hangar.example.com/#top', 'must not have a query or fragment'],
    ['https://user:pw@hangar.example.com', 'must not carry credentials'],
  ])('refuses HANGAR_PUBLIC_URL=%s, naming the variable', (value, why) => {
    expect(() => gatewayConfig({ HANGAR_PUBLIC_URL: value })).toThrow(EnvConfigError);
    expect(() => gatewayConfig({ HANGAR_PUBLIC_URL: value })).toThrow(`HANGAR_PUBLIC_URL: ${why}`);
  });
});
