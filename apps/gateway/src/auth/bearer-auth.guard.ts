import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request } from 'express';
import { ErrorCodes, HangarError } from '@hangar/contracts';

export const PUBLIC_ROUTE = 'hangar:public';
/** Marks a route that needs no token (health, readiness). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');

/** The caller, as recorded in events' `actor`. */
export interface AuthenticatedRequest extends Request {
  actor?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>` on every route but the public ones; constant-time comparison. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(ADMIN_TOKEN) private readonly adminToken: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HangarError(ErrorCodes.UNAUTHORIZED, 'missing bearer token: send Authorization: Bearer <token>');
    if (!timingSafeEqual(digest(match[1]!), digest(this.adminToken))) throw new HangarError(ErrorCodes.UNAUTHORIZED, 'invalid token');
    req.actor = 'admin';
    return true;
  }
}
