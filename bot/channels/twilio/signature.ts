/**
 * Twilio signs every webhook with the account's auth token over the URL it
 * called (our public URL plus path and query) and the form parameters. A request
 * without a valid signature is refused before any effect.
 */
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import twilio from 'twilio';

export interface TwilioSignatureOptions {
  authToken: string;
  /** The URL Twilio was configured with, without a trailing slash, e.g. https://marktbote.example.de */
  publicUrl: string;
}

/** A preHandler that answers 403 unless `X-Twilio-Signature` matches the request. */
export function twilioSignature(options: TwilioSignatureOptions): preHandlerAsyncHookHandler {
  return async function checkTwilioSignature(request: FastifyRequest, reply: FastifyReply) {
    const signature = request.headers['x-twilio-signature'];
    const params = request.body !== null && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
    const valid =
      typeof signature === 'string' &&
      twilio.validateRequest(options.authToken, signature, options.publicUrl + request.url, params);
    if (!valid) {
      request.log.warn({ url: request.url }, 'twilio signature missing or wrong');
      return reply.code(403).type('text/plain').send('Forbidden');
    }
  };
}
