import type { NestExpressApplication } from '@nestjs/platform-express';
import { json, urlencoded, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ErrorCodes, HangarError, jsonBodyProblem } from '@hangar/contracts';
import { WEBHOOKS_PATH } from '../webhooks/public-url';

/** A parser that leaves webhook deliveries alone: their raw bytes are authenticated before any parsing. */
function exceptWebhooks(parser: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    // Express matches routes case-insensitively, so the skip must too.
    if (req.path.toLowerCase().startsWith(WEBHOOKS_PATH)) return next();
    return parser(req, res, next);
  };
}

/**
 * The body parsers Nest would install (JSON up to 1 MiB, extended urlencoded), for every path but
 * `/v1/webhooks/…`. The app is created with `bodyParser: false` for this.
 */
export function installBodyParsers(app: NestExpressApplication): void {
  app.use(exceptWebhooks(json({ limit: '1mb' })));
  app.use(exceptWebhooks(urlencoded({ extended: true })));
  app.use(exceptWebhooks(refuseUnstorableBodies));
}

/** 400 for a body nested deeper than `MAX_JSON_DEPTH` or with a NUL character (`jsonBodyProblem`), before any handler sees it. */
function refuseUnstorableBodies(req: Request, res: Response, next: NextFunction): void {
  const problem = jsonBodyProblem(req.body);
  if (problem === undefined) return next();
  res.status(400).json(new HangarError(ErrorCodes.VALIDATION, problem).toBody());
}
