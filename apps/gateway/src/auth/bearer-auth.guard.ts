import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { describeScope, ErrorCodes, grants, HangarError, type RequiredScope } from '@hangar/contracts';
import { bearerSecret, CredentialVerifier, type Principal } from '@hangar/messaging';
import { REQUIRED_SCOPE, type RouteScope } from './requires-scope.decorator';

export const PUBLIC_ROUTE = 'hangar:public';
/** Marks a route that needs no token (health, readiness, webhook receivers with their own secrets). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Injection token of the admin token (also the gateway's NATS credential). */
export const ADMIN_TOKEN = Symbol('ADMIN_TOKEN');

/** The caller, as recorded in events' `actor`, and what it may do. */
export interface AuthenticatedRequest extends Request {
  actor?: string;
  principal?: Principal;
}

/**
 * `Authorization: Bearer <token>` on every route but the public ones: the admin token or a live API
 * token (401 otherwise), holding the scope the route declares with `@RequiresScope` (403
 * otherwise; `admin` when undeclared). The token's name becomes the request's actor.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(CredentialVerifier) private readonly verifier: CredentialVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = bearerSecret(req.headers.authorization);
    if (!secret) throw new HangarError(ErrorCodes.UNAUTHORIZED, 'missing bearer token: send Authorization: Bearer <token>');
    const principal = await this.verifier.verify(secret);
    if (!principal) throw new HangarError(ErrorCodes.UNAUTHORIZED, 'invalid token');
    req.actor = principal.name;
    req.principal = principal;
    const required = requiredFor(this.reflector.getAllAndOverride<RouteScope>(REQUIRED_SCOPE, targets) ?? 'admin', req.params ?? {});
    if (!grants(principal.scopes, required)) {
      throw new HangarError(ErrorCodes.FORBIDDEN, `token '${principal.name}' lacks the scope ${describeScope(required)}`, { required: describeScope(required) });
    }
    return true;
  }
}

function requiredFor(scope: RouteScope, params: Record<string, string | string[] | undefined>): RequiredScope {
  switch (scope) {
    case 'app:read':
    case 'app:deploy':
      // A route declaring an app scope without an `:app` parameter is a mistake: fail closed.
      return typeof params.app === 'string' && params.app ? { kind: 'app', app: params.app, access: scope === 'app:read' ? 'read' : 'deploy' } : { kind: 'admin' };
    case 'admin':
    case 'audit:read':
    case 'authenticated':
      return { kind: scope };
    default: {
      const never: never = scope;
      return never;
    }
  }
}
