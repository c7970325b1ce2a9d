import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';

/** Every route but `/healthz` needs `Authorization: Bearer <token>` (the machines API token), always. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(FLEET_CONFIG) config: FleetConfig) {
    if (!config.token) throw new Error('fleet needs a token: createFleetApp resolves HANGAR_MACHINES_API_TOKEN or the development one');
    this.expected = Buffer.from(`Bearer ${config.token}`);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (request.path === '/healthz') return true;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length === this.expected.length && timingSafeEqual(given, this.expected)) return true;
    throw fleetError(FleetErrorCodes.UNAUTHORIZED, 'unauthorized: a valid Authorization: Bearer <token> header is required');
  }
}
