import { appFromHost } from './edge-host';

describe(appFromHost.name, () => {
  it.each([
    ['demo.localhost', 'demo'],
    ['demo.localhost:4290', 'demo'],
    ['Demo.LocalHost', 'demo'],
    ['my-app-2.localhost.', 'my-app-2'],
  ])('reads %s as app %s', (host, app) => {
    expect(appFromHost(host)).toBe(app);
  });

  it.each([undefined, '', 'localhost', '.localhost', 'demo.localhost.example.com', 'a.b.localhost', '2demo.localhost', 'de_mo.localhost', 'demo.localhost:http', '127.0.0.1:4290'])(
    'finds no app in %p',
    (host) => {
      expect(appFromHost(host)).toBeUndefined();
    },
  );
});
