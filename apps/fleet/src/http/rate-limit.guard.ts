import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rateKey } from '@hangar/machines-api';
import { FLEET_CONFIG, type FleetConfig } from '../fleet.config';
import { FleetErrorCodes, fleetError } from '../machines/domain/fleet-errors';
import { RateBuckets } from './rate-limit';

/**
 * Fly's per-machine rate limit (`HANGAR_FLEET_RATE_LIMIT`, off by default): beyond it a call on one
 * machine's action is answered 429 with `Retry-After` (whole seconds, at least 1) and does nothing.
 */
@Injectable()
export class FleetRateLimitGuard implements CanActivate {
  private readonly buckets: RateBuckets | undefined;

  constructor(@Inject(FLEET_CONFIG) config: FleetConfig) {
    this.buckets = config.rateLimit ? new RateBuckets(config.rateLimit) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.buckets) return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.params?.id || !request.path.startsWith('/v1/apps/')) return true;
    const waitMs = this.buckets.take(rateKey(request.method, request.path));
    if (waitMs === 0) return true;
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
    throw fleetError(FleetErrorCodes.RATE_LIMITED, `rate limit exceeded for ${request.method} ${request.path}; retry later`);
  }
}
