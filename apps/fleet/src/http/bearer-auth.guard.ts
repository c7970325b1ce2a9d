import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';

/** What the caller's token lets it do: everything, or read with secrets redacted (`HANGAR_FLEET_VIEWER_TOKEN`). */
export type FleetAccess = 'full' | 'viewer';

/** A request the guard let through, marked with its access for `ViewerRedactionInterceptor`. */
export interface FleetRequest extends Request {
  fleetAccess?: FleetAccess;
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * Every route but `/healthz` needs `Authorization: Bearer <token>` (or `FlyV1 <token>`, the scheme
 * fly-go uses for macaroon tokens), always: the machines API token
 * (everything), or the viewer token, which may only read (403 otherwise, review H1).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly full: Buffer;
  private readonly viewer: Buffer | undefined;

  constructor(@Inject(FLEET_CONFIG) config: FleetConfig) {
    if (!config.token) throw new Error('fleet needs a token: createFleetApp resolves HANGAR_MACHINES_API_TOKEN or the development one');
    // fleetConfig refuses equal tokens; the development token is only known here.
    if (config.viewerToken === config.token) throw new Error('HANGAR_FLEET_VIEWER_TOKEN must differ from the machines API token: a viewer would get full access');
    this.full = Buffer.from(config.token);
    this.viewer = config.viewerToken ? Buffer.from(config.viewerToken) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FleetRequest>();
    if (request.path === '/healthz') return true;
    const given = Buffer.from(credentialOf(request.headers.authorization));
    if (same(given, this.full)) {
      request.fleetAccess = 'full';
      return true;
    }
    if (this.viewer && same(given, this.viewer)) {
      if (!READ_METHODS.has(request.method)) {
        throw fleetError(FleetErrorCodes.FORBIDDEN, `forbidden: the fleet viewer token may only read (GET); ${request.method} needs the machines API token`);
      }
      request.fleetAccess = 'viewer';
      return true;
    }
    throw fleetError(FleetErrorCodes.UNAUTHORIZED, 'unauthorized: a valid Authorization: Bearer <token> header is required');
  }
}

/** The token of an `Authorization: Bearer <t>` or `FlyV1 <t>` header; '' for any other. */
function credentialOf(header: string | undefined): string {
  const m = /^(bearer|flyv1) (.+)$/i.exec(header ?? '');
  return m ? m[2] : '';
}

function same(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length && timingSafeEqual(given, expected);
}
