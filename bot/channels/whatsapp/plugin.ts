/**
 * POST /twilio/whatsapp: Twilio's form → one turn → TwiML reply. The route is
 * thin: signature check, payload reading, flood gate, turn, renderer.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { cleanText, type InboundPayload, type UnsupportedKind } from '../../../flows/index.ts';
import { createFloodGate } from '../../flood.ts';
import { TurnUnavailable, type ChannelContext } from '../../types.ts';
import { readTwilioForm } from '../twilio/form.ts';
import { twilioSignature } from '../twilio/signature.ts';
import { whatsappNumber } from './address.ts';
import { renderMessages, whatsappMessages } from './render.ts';

export interface WhatsAppOptions {
  authToken: string;
  publicUrl: string;
  /** Our sender, e.g. "whatsapp:+4935461234567"; messages addressed elsewhere are not ours to answer. */
  from: string;
  /** Called with the customer's number on every signed inbound message; opens the 24-hour reply window. */
  onInbound?: (e164: string, at: Date) => void | Promise<void>;
  now?: () => Date;
}

const MESSAGE_SID = /^[A-Z]{2}[0-9a-f]{32}$/i;
/** WhatsApp itself caps a message at 4,096 characters; nobody orders Gurken in more than this. */
const MAX_INBOUND_TEXT = 1600;
/** Before a turn we do not know the customer's language; German first. */
const DEFAULT_LANGUAGE = 'de';

function twiml(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(body);
}

function coordinate(value: string | undefined, bound: number): number | null {
  if (value === undefined || !/^-?\d{1,3}(\.\d+)?$/.test(value.trim())) return null;
  const number = Number(value);
  return Math.abs(number) <= bound ? number : null;
}

/** What an attachment is, by the content type Twilio gives it: WhatsApp sends voice notes as Ogg and stickers as WebP. */
function mediaKind(contentType: string): UnsupportedKind {
  const type = contentType.trim().toLowerCase();
  if (type.startsWith('audio/ogg')) return 'voice';
  if (type.startsWith('audio/')) return 'audio';
  if (type === 'image/webp') return 'sticker';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('video/')) return 'video';
  return 'document';
}

/** A location, the words (a caption counts as words), or an attachment without any we cannot read. */
function readPayload(form: Map<string, string>): InboundPayload {
  const lat = coordinate(form.get('Latitude'), 90);
  const lon = coordinate(form.get('Longitude'), 180);
  if (lat !== null && lon !== null) return { type: 'location', lat, lon };
  const text = cleanText(form.get('Body') ?? '', MAX_INBOUND_TEXT);
  const media = /^\d{1,2}$/.test(form.get('NumMedia') ?? '') ? Number(form.get('NumMedia')) : 0;
  if (media > 0 && text.trim() === '') return { type: 'unsupported', kind: mediaKind(form.get('MediaContentType0') ?? '') };
  return { type: 'text', text };
}

/** The WhatsApp webhook as a fastify plugin; register it on the app from `buildServer`. */
export function whatsappPlugin(ctx: ChannelContext, options: WhatsAppOptions): FastifyPluginAsync {
  const now = options.now ?? (() => new Date());
  const floodGate = createFloodGate(ctx.limiter);

  return async function whatsappRoutes(app) {
    app.addHook('preHandler', twilioSignature(options));

    app.post('/twilio/whatsapp', async (request, reply) => {
      const form = readTwilioForm(request.body);
      const e164 = whatsappNumber(form?.get('From') ?? '');
      const messageSid = form?.get('MessageSid') ?? '';
      if (!form || !e164 || !MESSAGE_SID.test(messageSid)) {
        return reply.code(400).type('text/plain').send('Bad Request');
      }
      const to = form.get('To');
      if (to !== undefined && to !== options.from) {
        ctx.log.warn({ to }, 'whatsapp message for another sender ignored');
        return twiml(reply, renderMessages([]));
      }

      const conversationKey = `whatsapp:${e164}`;
      const receivedAt = now();
      if (options.onInbound) {
        await Promise.resolve(options.onInbound(e164, receivedAt)).catch((error: unknown) =>
          ctx.log.error({ err: error }, 'recording the inbound time failed'),
        );
      }

      const verdict = floodGate(conversationKey, receivedAt);
      if (verdict !== 'allow') {
        const notice = verdict === 'notify' ? [ctx.text(DEFAULT_LANGUAGE, 'channels:whatsapp.flood')] : [];
        return twiml(reply, renderMessages(notice));
      }

      const profileName = cleanText(form.get('ProfileName') ?? '', 100);
      try {
        const turn = await ctx.turn(
          {
            channel: 'whatsapp',
            conversationKey,
            identity: { kind: 'whatsapp', value: e164 },
            profileName: profileName === '' ? null : profileName,
            payload: readPayload(form),
            receivedAt,
          },
          { deliveryKey: `whatsapp:${messageSid}`, medium: 'written' },
        );
        // null: Twilio re-delivered a message we already answered.
        const messages = turn === null ? [] : whatsappMessages(turn, ctx.text);
        if (messages.length > 0) ctx.metrics.outbound('whatsapp', 'reply', 'sent', messages.length);
        return twiml(reply, renderMessages(messages));
      } catch (error) {
        // Twilio does not re-deliver a message the webhook refused, so the person is told now; the turn
        // left no trace, and a message sent again is answered for real.
        if (error instanceof TurnUnavailable) {
          ctx.limiter.refund(conversationKey);
          return twiml(reply, renderMessages([ctx.text(DEFAULT_LANGUAGE, 'channels:unavailable')]));
        }
        ctx.metrics.error('whatsapp', 'turn');
        ctx.log.error({ err: error, conversationKey }, 'whatsapp turn failed');
        return twiml(reply, renderMessages([ctx.text(DEFAULT_LANGUAGE, 'channels:whatsapp.failure')]));
      }
    });
  };
}
