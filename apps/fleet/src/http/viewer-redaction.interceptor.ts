import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { FleetRequest } from './bearer-auth.guard';
import { redactForViewer } from './viewer-redaction';

/** Answers to the viewer token go out redacted (`redactForViewer`); the full token's answers are untouched. */
@Injectable()
export class ViewerRedactionInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const viewer = context.switchToHttp().getRequest<FleetRequest>().fleetAccess === 'viewer';
    return viewer ? next.handle().pipe(map(redactForViewer)) : next.handle();
  }
}
