import { ErrorCodes, HangarError, streams } from '@hangar/contracts';
import type { EventStore } from '@hangar/event-store';
import { currentSecretNames } from '../secrets/domain/secrets-release';
import type { CreateReleaseInput } from './release-queue';

/**
 * Refuses `deploy --env NAME=…` for a NAME the app has a secret under: the secret overrides `[env]`
 * on every machine, so the flag would do nothing, and whatever value was typed would stay in the
 * release's events in clear. The fix is `hangar secrets set`. (flyctl accepts it and the secret wins.)
 */
export async function refuseEnvShadowingSecrets(store: EventStore, input: CreateReleaseInput): Promise<void> {
  if (!input.envOverrides) return;
  const secrets = currentSecretNames(await store.readStream(streams.secrets(input.app)));
  const clashes = Object.keys(input.envOverrides).filter((name) => secrets.has(name)).sort();
  if (clashes.length === 0) return;
  throw new HangarError(
    ErrorCodes.VALIDATION,
    `env (--env) ${clashes.join(', ')}: ${input.app} has a secret of that name, which overrides [env] on every machine; change it with \`hangar secrets set\` instead`,
    clashes.map((name) => ({ path: `env.${name}`, message: 'is the name of a secret of the app' })),
  );
}
