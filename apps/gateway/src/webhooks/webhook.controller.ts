import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../auth/bearer-auth.guard';
import { readRawBody } from './raw-body';
import { firstQueryValues, WebhookIngress, type DeliveryAnswer } from './webhook-ingress.service';

/**
 * `POST /v1/webhooks/registry/:receiver` (DESIGN §7.2): registry push notifications. No bearer token:
 * each receiver has its own secret, checked the way its registry sends it. The JSON body parsers skip
 * this path (`http/body-parsers.ts`) so the raw bytes are what gets authenticated.
 */
@Controller('v1/webhooks')
export class WebhookController {
  constructor(private readonly ingress: WebhookIngress) {}

  @Post('registry/:receiver')
  @Public()
  @HttpCode(202)
  receive(@Param('receiver') receiverId: string, @Req() req: Request): Promise<DeliveryAnswer> {
    return this.ingress.receive(receiverId, {
      headers: req.headers,
      query: firstQueryValues(req.originalUrl),
      readBody: () => readRawBody(req, req.headers),
      receivedAt: new Date(),
      clientAddress: req.socket.remoteAddress ?? 'unknown',
    });
  }
}
