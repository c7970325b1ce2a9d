import { SetMetadata } from '@nestjs/common';

export const REQUIRED_SCOPE = 'hangar:required-scope';

/**
 * What a route needs (DESIGN §7.2 "Access"). `app:read` / `app:deploy` apply to the app of the
 * route's `:app` parameter; `authenticated` is any valid token (the handler filters by scope).
 * A route without this decorator (and not `@Public()`) needs `admin`.
 */
export type RouteScope = 'admin' | 'audit:read' | 'app:read' | 'app:deploy' | 'authenticated';

/** Declares the scope a route needs; `BearerAuthGuard` enforces it. */
export const RequiresScope = (scope: RouteScope) => SetMetadata(REQUIRED_SCOPE, scope);
