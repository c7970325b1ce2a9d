import { EnvConfigError } from '@hangar/contracts';
import { releaserConfig } from './releaser.config';

describe(releaserConfig.name, () => {
  it('defaults the IP pools to the documentation ranges', () => {
    const sut = releaserConfig({});
    expect(sut.ipPools.v4.cidr).toBe('192.0.2.0/24');
    expect(sut.ipPools.v6.cidr).toBe('2001:db8::/64');
  });

  it('reads HANGAR_IPV4_POOL and HANGAR_IPV6_POOL', () => {
    const sut = releaserConfig({ HANGAR_IPV4_POOL: '198.51.100.0/26', HANGAR_IPV6_POOL: '2001:DB8:1::/112' });
    expect(sut.ipPools.v4).toMatchObject({ cidr: '198.51.100.0/26', size: 64n });
    expect(sut.ipPools.v6).toMatchObject({ cidr: '2001:db8:1::/112', size: 65536n });
  });

  it.each([
    ['HANGAR_IPV4_POOL', '10.0.0.1/8'],
    ['HANGAR_IPV4_POOL', '2001:db8::/64'],
    ['HANGAR_IPV6_POOL', '192.0.2.0/24'],
    ['HANGAR_IPV6_POOL', 'lots'],
  ])('stops on a bad %s (%s), naming the variable', (variable, value) => {
    let caught: unknown;
    try {
      releaserConfig({ [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvConfigError);
    expect((caught as EnvConfigError).message).toMatch(new RegExp(`^${variable}: `));
  });
});
