import { ErrorCodes, HangarError, type MachinesProvider } from '@hangar/contracts';

/**
 * The org a new provider app goes in: `--org`, else `HANGAR_FLY_ORG`, else (fleet only) `personal`.
 * On Fly an app created in the wrong org is hard to move, so there is no silent default there.
 */
export function orgFor(requested: string | undefined, provider: MachinesProvider): string {
  const org = requested ?? provider.defaultOrg;
  if (org !== undefined) return org;
  throw new HangarError(ErrorCodes.VALIDATION, 'creating an app on Fly.io needs an organization: pass --org <slug> (see `fly orgs list`) or set HANGAR_FLY_ORG on the server', [
    { path: 'org', message: 'required with HANGAR_MACHINES_PROVIDER=fly when HANGAR_FLY_ORG is unset' },
  ]);
}

/** The provider's app of that name is in another org than the one asked for: nothing is recorded. */
export function orgMismatch(app: string, actual: string, requested: string): HangarError {
  return new HangarError(ErrorCodes.VALIDATION, `app ${app} already exists on the machines provider in org ${actual}, not ${requested}: choose another name, or drop --org to use that app`, [
    { path: 'org', message: `the existing app is in org ${actual}` },
  ]);
}
