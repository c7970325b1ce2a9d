import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { defaultContext } from './cli-context';
import { CliError, ExitCode } from './cli-error';
import { registerApps } from './commands/apps.command';
import { registerAudit } from './commands/audit.command';
import { registerTokens } from './commands/tokens.command';
import { registerConfig } from './commands/config.command';
import { registerDeploy } from './commands/deploy.command';
import { registerLogs } from './commands/logs.command';
import { registerImage } from './commands/image.command';
import { registerMachine } from './commands/machine.command';
import { registerReleases } from './commands/releases.command';
import { registerScale } from './commands/scale.command';
import { registerSecrets } from './commands/secrets.command';
import { registerServer } from './commands/server.command';
import { registerStatus } from './commands/status.command';
import { registerIps } from './commands/ips.command';
import { registerVolumes } from './commands/volumes.command';
import { registerReceivers } from './commands/receivers.command';
import { registerTriggers } from './commands/triggers.command';
import { registerNats } from './commands/nats.command';

async function main(argv: string[]): Promise<number> {
  const ctx = defaultContext();
  const program = new Command('hangar')
    .description('Hangar: event-sourced releases for apps on machines')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of [registerApps, registerDeploy, registerReleases, registerStatus, registerLogs, registerMachine, registerImage, registerVolumes, registerIps, registerSecrets, registerScale, registerConfig, registerAudit, registerTokens, registerReceivers, registerTriggers, registerNats, registerServer]) {
    register(program, ctx);
  }
  try {
    await program.parseAsync(argv);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    if (error instanceof CliError) {
      if (error.message) ctx.err(error.exitCode === ExitCode.OK ? error.message : `Error: ${error.message}`);
      return error.exitCode;
    }
    ctx.err(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.FAILED;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
