import { unreachableFromFly, unreachableImageReason } from './image-reachability';

describe(unreachableFromFly.name, () => {
  it.each([
    ['127.0.0.1:5000/demo:v1', '127.0.0.1:5000', /loopback/],
    ['127.1.2.3/demo@sha256:abc', '127.1.2.3', /loopback/],
    ['[::1]:5000/demo:v1', '[::1]:5000', /loopback/],
    ['[::ffff:127.0.0.1]:5000/demo', '[::ffff:127.0.0.1]:5000', /loopback/],
    ['localhost:5000/demo:v1', 'localhost:5000', /localhost name/],
    ['localhost/demo', 'localhost', /localhost name/],
    ['registry.localhost:5000/demo', 'registry.localhost:5000', /localhost name/],
    ['nas.local:5000/demo', 'nas.local:5000', /mDNS/],
    ['10.0.0.7:5000/demo', '10.0.0.7:5000', /private/],
    ['172.20.1.1/demo', '172.20.1.1', /private/],
    ['192.168.1.10:5000/team/demo:v2', '192.168.1.10:5000', /private/],
    ['169.254.169.254/demo', '169.254.169.254', /link-local/],
    ['100.64.0.1/demo', '100.64.0.1', /carrier-grade/],
    ['[fd00::1]:5000/demo', '[fd00::1]:5000', /unique local/],
    ['0.0.0.0:5000/demo', '0.0.0.0:5000', /unspecified/],
    ['registry:5000/demo', 'registry:5000', /single-label/],
  ])('refuses %s', (ref, registry, why) => {
    const sut = unreachableFromFly(ref);
    expect(sut?.registry).toBe(registry);
    expect(sut?.why).toMatch(why);
  });

  it.each([
    'nginx',
    'nginx:1.27',
    'library/nginx@sha256:0123',
    'docker.io/library/nginx:latest',
    'registry.fly.io/my-app:deployment-01',
    'ghcr.io/acme/api:v3',
    '203.0.113.9:5000/demo',
    '172.32.0.1/demo',
    '[2001:db8::1]:5000/demo',
    'registry.example.com:5000/a/b/c:tag',
  ])('lets %s through', (ref) => {
    expect(unreachableFromFly(ref)).toBeUndefined();
  });

  it('words the failure with the image, its registry, why and what to do', () => {
    const problem = unreachableFromFly('127.0.0.1:5000/demo:v1')!;
    expect(unreachableImageReason('127.0.0.1:5000/demo:v1', problem)).toBe(
      'image 127.0.0.1:5000/demo:v1 cannot be pulled by Fly.io: its registry 127.0.0.1:5000 is a loopback address, reachable only from the host it runs on. ' +
        'Push the image to a registry Fly.io can reach (registry.fly.io/<app>, Docker Hub, ghcr.io, …) and deploy that reference',
    );
  });
});
