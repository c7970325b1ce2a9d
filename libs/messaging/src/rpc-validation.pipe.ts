import { ValidationPipe } from '@nestjs/common';
import { ErrorCodes, HangarError } from '@hangar/contracts';
import type { ValidationError } from 'class-validator';

/** One invalid field: `path` is dotted (`config.services.0.internalPort`). */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * The ValidationPipe for command DTOs: strips nothing silently (`forbidNonWhitelisted`), transforms
 * to the DTO class, and throws `HangarError('REQUEST.INVALID')` naming every bad field. A plain
 * ValidationPipe throws a BadRequestException, which the RPC layer turns into an opaque internal
 * error (nestjs/nest#10972).
 */
export function rpcValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationError(errors),
  });
}

/** `REQUEST.INVALID` with message `<path>: <constraint>; …` and details `[{ path, message }]`. */
export function validationError(errors: ValidationError[]): HangarError {
  const issues = flatten(errors, '');
  const message = issues.length > 0 ? issues.map((i) => `${i.path}: ${i.message}`).join('; ') : 'request is invalid';
  return new HangarError(ErrorCodes.VALIDATION, message, issues);
}

function flatten(errors: ValidationError[], prefix: string): ValidationIssue[] {
  return errors.flatMap((error) => {
    const path = prefix && error.property ? `${prefix}.${error.property}` : prefix || error.property || '(body)';
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
