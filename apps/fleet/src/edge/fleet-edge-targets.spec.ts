import type { MachineCheckStatus, MachineConfig } from '@hangar/machines-api';
import type { Observation } from '../runtime/machine-observations';
import { edgeAddress, httpPortOf } from './fleet-edge-targets';

const config: MachineConfig = {
  image: 'x',
  services: [{ protocol: 'tcp', internal_port: 8080, ports: [{ port: 80, handlers: ['http'] }], checks: [{ type: 'http', port: 8080, path: '/health' }] }],
  checks: { alive: { type: 'tcp', port: 8080 } },
};
const status = (name: string, s: MachineCheckStatus['status']): [string, MachineCheckStatus] => [name, { name, status: s, output: '', updated_at: '' }];
const seen = (...checks: [string, MachineCheckStatus][]): Observation => ({ instanceId: 'i1', ports: { 8080: 41234 }, checks: new Map(checks) });
const machine = { state: 'started' as const, cordoned: false, config };

describe(edgeAddress.name, () => {
  it('sends requests to a started, uncordoned machine once every check it has passed', () => {
    expect(edgeAddress(machine, seen(status('alive', 'passing'), status('servicecheck-00-http-8080', 'passing')))).toBe('127.0.0.1:41234');
  });

  it('sends none to a machine whose checks have not all passed yet, even with no result at all', () => {
    expect(edgeAddress(machine, seen())).toBeUndefined();
    expect(edgeAddress(machine, seen(status('alive', 'passing')))).toBeUndefined();
    expect(edgeAddress(machine, seen(status('alive', 'passing'), status('servicecheck-00-http-8080', 'critical')))).toBeUndefined();
  });

  it('sends none to a cordoned, stopping or unobserved machine, or one without a published HTTP port', () => {
    const ok = seen(status('alive', 'passing'), status('servicecheck-00-http-8080', 'passing'));
    expect(edgeAddress({ ...machine, cordoned: true }, ok)).toBeUndefined();
    expect(edgeAddress({ ...machine, state: 'stopping' }, ok)).toBeUndefined();
    expect(edgeAddress(machine, undefined)).toBeUndefined();
    expect(edgeAddress(machine, { ...ok, ports: {} })).toBeUndefined();
  });

  it('serves a machine without checks as soon as it runs, on the http service port', () => {
    expect(edgeAddress({ ...machine, config: { image: 'x', services: [{ protocol: 'tcp', internal_port: 8080 }] } }, seen())).toBe('127.0.0.1:41234');
    expect(httpPortOf({ image: 'x', services: [{ protocol: 'tcp', internal_port: 5432 }, { protocol: 'tcp', internal_port: 8080, ports: [{ handlers: ['http'] }] }] })).toBe(8080);
  });
});
