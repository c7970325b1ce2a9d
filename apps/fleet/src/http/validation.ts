import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = `${prefix}${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((c) => (c.startsWith(e.property) ? `${prefix}${c}` : `${path}: ${c}`));
    return [...own, ...describe(e.children ?? [], `${path}.`)];
  });
}

const exceptionFactory = (errors: ValidationError[]) => fleetError(FleetErrorCodes.INVALID, describe(errors).join('; '));

/** Bodies of Fly's API: unknown fields are dropped silently, as the real API ignores them. */
export const flyBody = new ValidationPipe({ whitelist: true, transform: true, exceptionFactory });

/** Bodies of fleet's own admin API: unknown fields are an error. */
export const adminBody = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, exceptionFactory });

/** An optional integer query parameter within bounds; 400 naming it otherwise. */
export function intQuery(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw fleetError(FleetErrorCodes.INVALID, `${name} must be an integer; got "${raw}"`);
  return Math.min(max, Math.max(min, Number(raw)));
}
