import type { Command } from 'commander';
import { resolveApp, table, type CliContext } from '../cli-context';
import { CliError, ExitCode } from '../cli-error';

interface MachineImage {
  machineId: string;
  processGroup: string;
  managed: boolean;
  image: string;
  registry?: string;
  repository?: string;
  tag?: string;
  digest?: string;
  imageId?: string;
  release?: { id: string; version: number };
}

/** `hangar image show [machine-id]` (flyctl's `fly image show`): the image each machine runs, its digest and the release that put it there. */
export function registerImage(program: Command, ctx: CliContext): void {
  const image = program.command('image').description("Show the app's images");
  image
    .command('show [id]')
    .description('Show the image, digest and release of every machine (or of one)')
    .option('-a, --app <app>', 'app name (default: app in fly.toml)')
    .option('-c, --config <path>', 'path to fly.toml')
    .option('--json', 'print JSON')
    .action(async (id: string | undefined, opts: { app?: string; config?: string; json?: boolean }) => {
      const app = resolveApp(opts);
      const { images } = await ctx.api().request<{ app: string; images: MachineImage[] }>('GET', `/v1/apps/${app}/images`);
      if (id === undefined) {
        if (opts.json) return ctx.json({ app, images });
        ctx.out('Image Details');
        const rows = images.map((i) => [i.machineId, i.processGroup, i.release ? `v${i.release.version}` : '-', i.registry ?? '', i.repository ?? i.image, i.tag ?? '', i.digest ?? '', i.imageId ?? '']);
        table([['MACHINE ID', 'PROCESS', 'RELEASE', 'REGISTRY', 'REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID'], ...rows]).forEach((l) => ctx.out(l));
        return;
      }
      const one = images.find((i) => i.machineId === id);
      if (!one) throw new CliError(`machine ${id} not found in app ${app} (hangar machine list shows its machines)`, ExitCode.USAGE);
      if (opts.json) return ctx.json({ app, image: one });
      ctx.out('Image Details');
      const fields: [string, string][] = [
        ['Machine ID', one.machineId],
        ['Registry', one.registry ?? ''],
        ['Repository', one.repository ?? one.image],
        ['Tag', one.tag ?? ''],
        ['Digest', one.digest ?? ''],
        ['Image ID', one.imageId ?? ''],
        ['Release', one.release ? `v${one.release.version} (${one.release.id})` : `none (${one.managed ? 'managed' : 'machine run'})`],
        ['Image', one.image],
      ];
      table(fields.map(([k, v]) => [`  ${k}`, `= ${v}`])).forEach((l) => ctx.out(l));
    });
}
