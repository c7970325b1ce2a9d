import { natsServerOptions } from './nats-url';

describe(natsServerOptions.name, () => {
  it('moves credentials out of the URL and leaves a plain URL alone', () => {
    expect(natsServerOptions('nats://hangar:p%40ss@nats:4222')).toEqual({ servers: 'nats://nats:4222', user: 'hangar', pass: 'p@ss' });
    expect(natsServerOptions('nats://127.0.0.1:4222')).toEqual({ servers: 'nats://127.0.0.1:4222' });
  });
});
