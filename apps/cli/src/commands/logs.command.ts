import type { Command } from 'commander';
import type { AppLogLine } from '@hangar/contracts';
import { resolveApp, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';
import { formatLogLine } from '../log-output';
import { parseSse } from '../sse';

interface Opts {
  app?: string;
  config?: string;
  machine?: string;
  follow?: boolean;
  since?: string;
  json?: boolean;
}

/** `hangar logs` (DESIGN §7.1): what the app's machines printed, as `fly logs` shows it. */
export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command('logs')
    .description("Show the app's machines' log lines (stdout and stderr), merged by time")
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--machine <id>', 'only this machine')
    .option('-f, --follow', 'keep printing new lines, from machines that start later too (Ctrl-C ends)')
    .option('--since <time>', 'no line before this RFC 3339 time')
    .option('--json', 'print one JSON line per log line')
    .action(async (opts: Opts) => {
      const app = resolveApp(opts);
      const params = new URLSearchParams();
      if (opts.machine) params.set('machine', opts.machine);
      if (opts.since) params.set('since', opts.since);
      const print = (line: AppLogLine) => (opts.json ? ctx.json(line) : ctx.out(formatLogLine(line)));
      if (!opts.follow) {
        const { lines } = await ctx.api().request<{ lines: AppLogLine[] }>('GET', `/v1/apps/${encodeURIComponent(app)}/logs${params.size ? `?${params}` : ''}`);
        lines.forEach(print);
        return;
      }
      params.set('follow', 'true');
      const api = ctx.api();
      const res = await api.stream(`/v1/apps/${encodeURIComponent(app)}/logs?${params}`);
      try {
        for await (const message of parseSse(res.body!)) {
          if (message.event === 'end') return;
          if (message.event === 'log') print(JSON.parse(message.data) as AppLogLine);
        }
      } catch {
        // The connection broke: told below like a stream that ended without its end event.
      }
      throw new CliError(`lost the log stream from the Hangar API at ${api.url}`, ExitCode.UNREACHABLE);
    });
}
