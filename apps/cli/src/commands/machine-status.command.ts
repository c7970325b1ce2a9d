import type { Command } from 'commander';
import type { MachineDetail } from '@hangar/contracts';
import { exitEventOf } from '@hangar/machines-api';
import { resolveApp, table, type CliContext } from '../cli-context';

/**
 * `hangar machine status <id>` (flyctl's `fly machine status`): the machine, its checks and its
 * event log; `-d` prints its config (env values of secrets redacted by the server), `--json` all of it.
 */
export function registerMachineStatus(machine: Command, ctx: CliContext): void {
  machine
    .command('status <id>')
    .description("Show a machine's state, config, checks and events")
    .option('-d, --display-config', 'print the machine config as JSON')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { app?: string; config?: string; json?: boolean; displayConfig?: boolean }) => {
      const app = resolveApp(opts);
      const { machine: m } = await ctx.api().request<{ machine: MachineDetail }>('GET', `/v1/apps/${app}/machines/${encodeURIComponent(id)}`);
      if (opts.json) return ctx.json({ machine: m });
      if (opts.displayConfig) return ctx.out(JSON.stringify(m.config, null, 2));
      printStatus(ctx, m);
    });
}

function printStatus(ctx: CliContext, m: MachineDetail): void {
  ctx.out(`Machine ID: ${m.id}`);
  ctx.out(`Instance ID: ${m.instanceId}`);
  ctx.out(`State: ${m.state}`);
  ctx.out(`HostStatus: ${m.hostStatus ?? 'unknown'}`);
  ctx.out();
  const guest = m.config.guest;
  const vm: [string, string][] = [
    ['ID', m.id],
    ['Instance ID', m.instanceId],
    ['State', m.state],
    ['Image', m.image],
    ['Name', m.name],
    ['Private IP', m.privateIp ?? ''],
    ['Region', m.region],
    ['Process Group', m.processGroup],
    ['Managed', m.managed ? `yes${m.releaseVersion ? ` (release v${m.releaseVersion})` : ''}` : 'no (machine run)'],
    ['CPU Kind', guest?.cpu_kind ?? ''],
    ['vCPUs', guest?.cpus === undefined ? '' : String(guest.cpus)],
    ['Memory', guest?.memory_mb === undefined ? '' : String(guest.memory_mb)],
    ['Created', m.createdAt],
    ['Updated', m.updatedAt],
    ['Entrypoint', m.config.init?.entrypoint?.length ? JSON.stringify(m.config.init.entrypoint) : ''],
    ['Command', m.config.init?.cmd?.length ? JSON.stringify(m.config.init.cmd) : ''],
    ...(m.volume ? [['Volume', `${m.volume}${m.mountPath ? ` at ${m.mountPath}` : ''}`] as [string, string]] : []),
  ];
  ctx.out('VM');
  table(vm.map(([k, v]) => [`  ${k}`, `= ${v}`])).forEach((l) => ctx.out(l));
  ctx.out();
  if (m.checks.length > 0) {
    const passing = m.checks.filter((c) => c.status === 'passing').length;
    ctx.out(`Checks [${passing}/${m.checks.length}]`);
    table([['NAME', 'STATUS', 'LAST UPDATED', 'OUTPUT'], ...m.checks.map((c) => [c.name, c.status, c.updated_at, c.output])]).forEach((l) => ctx.out(l));
    ctx.out();
  }
  ctx.out('Event Logs');
  const rows = m.events.map((e) => {
    const exit = exitEventOf(e.request);
    const info = exit ? `exit_code=${exit.exit_code ?? 0},requested_stop=${exit.requested_stop === true}` : requestInfo(e.request);
    return [e.status, e.type, e.source, new Date(e.timestamp).toISOString(), info];
  });
  table([['STATE', 'EVENT', 'SOURCE', 'TIMESTAMP', 'INFO'], ...rows]).forEach((l) => ctx.out(l));
}

/** A stop's signal and timeout, when it asked for any. */
function requestInfo(request: MachineDetail['events'][number]['request']): string {
  if (!request) return '';
  return ['signal', 'timeout']
    .filter((k) => request[k] !== undefined)
    .map((k) => `${k}=${String(request[k])}`)
    .join(',');
}
