/**
 * The phone line: POST /twilio/voice answers a call, POST
 * /twilio/voice/gather?step=N takes each answer (keys, speech or silence),
 * POST /twilio/voice/reminder?message=<outbox id> the key pressed during a
 * pickup reminder call (bot/channels/voice/reminder.ts). A callback we placed
 * (bot/channels/voice/callback.ts) comes in at POST /twilio/voice too.
 * Every step of a call has its own delivery key, so a step Twilio sends twice
 * is answered by replaying the last prompt, never by acting twice.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { isE164 } from '../../../catalog/phone.ts';
import type { Identity, Language } from '../../../catalog/types.ts';
import { cleanText, type InboundEvent, type InboundPayload } from '../../../flows/index.ts';
import { createFloodGate } from '../../flood.ts';
import { TurnUnavailable, type ChannelContext } from '../../types.ts';
import { readTwilioForm } from '../twilio/form.ts';
import { twilioSignature } from '../twilio/signature.ts';
import type { ReminderAnswer } from './reminder.ts';
import { renderFailure, renderReplay, renderUnavailable, renderVoice } from './render.ts';

export interface VoiceOptions {
  authToken: string;
  publicUrl: string;
  voice: Record<Language, string>;
  /** Twilio speech model, e.g. "phone_call"; Twilio's default when absent. */
  speechModel?: string;
  now?: () => Date;
  /** Answers a key pressed during a reminder call; without it the route is not mounted. */
  reminderCall?: ReminderAnswer;
}

const CALL_SID = /^CA[0-9a-f]{32}$/i;
/** What Twilio puts in From for a withheld caller ID: ANONYMOUS, RESTRICTED, UNKNOWN, UNAVAILABLE on the keypad. */
const WITHHELD_NUMBERS = new Set(['+266696687', '+7378742833', '+8656696', '+86282452253']);
const KEYPAD = /^[0-9*#]{1,32}$/;
const MAX_STEP = 10_000;
const MAX_TRANSCRIPT = 500;
/** Before a turn we do not know the caller's language; German first. */
const DEFAULT_LANGUAGE: Language = 'de';
/** Roughly the time a flooded caller needs to earn the next turn back at 20 per minute. */
const FLOOD_PAUSE_SECONDS = 3;

/** The caller as an identity; null when the number is withheld or not a phone number (SIP, client). */
export function callerIdentity(from: string | undefined): Identity | null {
  if (from === undefined || !isE164(from) || WITHHELD_NUMBERS.has(from)) return null;
  return { kind: 'phone', value: from };
}

/**
 * Who is on the line. On a call we placed (a callback, Direction outbound-api)
 * it is the number we called: only we chose it, and only its holder answers.
 * Otherwise it is the caller ID.
 */
export function lineIdentity(form: Map<string, string>): Identity | null {
  return callerIdentity(form.get('Direction') === 'outbound-api' ? form.get('To') : form.get('From'));
}

/** What the caller did at a Gather: keys win over speech; neither is silence. */
export function gatherPayload(form: Map<string, string>): InboundPayload {
  const digits = form.get('Digits')?.trim();
  if (digits && KEYPAD.test(digits)) return { type: 'digits', digits };
  const transcript = cleanText(form.get('SpeechResult') ?? '', MAX_TRANSCRIPT);
  if (transcript !== '') {
    const confidence = Number(form.get('Confidence'));
    // An absent or odd confidence counts as unsure, so the engine asks back.
    const sure = Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : 0;
    return { type: 'speech', transcript, confidence: sure };
  }
  return { type: 'silence' };
}

/** An outbox id in a URL we built ourselves. */
function parseMessageId(value: unknown): number | null {
  return typeof value === 'string' && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}

function parseStep(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,5}$/.test(value) && Number(value) <= MAX_STEP ? Number(value) : null;
}

function twiml(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(body);
}

function badRequest(reply: FastifyReply): FastifyReply {
  return reply.code(400).type('text/plain').send('Bad Request');
}

/** The phone line as a fastify plugin; register it on the app from `buildServer`. */
export function voicePlugin(ctx: ChannelContext, options: VoiceOptions): FastifyPluginAsync {
  const now = options.now ?? (() => new Date());
  const floodGate = createFloodGate(ctx.limiter);
  const baseUrl = options.publicUrl;

  /** One step of a call: flood gate, turn, TwiML; a duplicate or a flood replays the last prompt. */
  async function answer(reply: FastifyReply, step: number, event: InboundEvent, deliveryKey: string | null) {
    const verdict = floodGate(event.conversationKey, event.receivedAt);
    if (verdict !== 'allow') {
      const notice =
        verdict === 'notify'
          ? { text: ctx.text(DEFAULT_LANGUAGE, 'channels:voice.flood'), language: DEFAULT_LANGUAGE, voice: options.voice }
          : undefined;
      return twiml(reply, renderReplay({ baseUrl, step, notice, pauseSeconds: FLOOD_PAUSE_SECONDS }));
    }
    try {
      const turn = await ctx.turn(event, { deliveryKey, medium: 'spoken' });
      if (turn === null) return twiml(reply, renderReplay({ baseUrl, step }));
      return twiml(
        reply,
        renderVoice(turn, {
          baseUrl,
          nextStep: step + 1,
          voice: options.voice,
          text: ctx.text,
          speechModel: options.speechModel,
        }),
      );
    } catch (error) {
      if (error instanceof TurnUnavailable) {
        ctx.limiter.refund(event.conversationKey);
        return twiml(reply, renderUnavailable({ baseUrl, step, language: DEFAULT_LANGUAGE, voice: options.voice, text: ctx.text }));
      }
      ctx.metrics.error('voice', 'turn');
      ctx.log.error({ err: error, conversationKey: event.conversationKey }, 'voice turn failed');
      return twiml(reply, renderFailure(ctx.text(DEFAULT_LANGUAGE, 'channels:voice.failure'), DEFAULT_LANGUAGE, options.voice));
    }
  }

  function callEvent(callSid: string, form: Map<string, string>, payload: InboundPayload): InboundEvent {
    return {
      channel: 'voice',
      conversationKey: `voice:${callSid}`,
      identity: lineIdentity(form),
      payload,
      receivedAt: now(),
    };
  }

  return async function voiceRoutes(app) {
    app.addHook('preHandler', twilioSignature(options));

    app.post('/twilio/voice', async (request, reply) => {
      const form = readTwilioForm(request.body);
      const callSid = form?.get('CallSid') ?? '';
      if (!form || !CALL_SID.test(callSid)) return badRequest(reply);
      return answer(reply, 0, callEvent(callSid, form, { type: 'start' }), `voice:${callSid}:0`);
    });

    app.post('/twilio/voice/gather', async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const form = readTwilioForm(request.body);
      const callSid = form?.get('CallSid') ?? '';
      const step = parseStep(query.step);
      if (!form || !CALL_SID.test(callSid) || step === null) return badRequest(reply);

      if (query.replay === '1') {
        // An explicit, side-effect-free repeat (never a key the caller did not press); without a delivery key it is never a duplicate.
        return answer(reply, step, callEvent(callSid, form, { type: 'repeat' }), null);
      }
      const payload: InboundPayload = query.silence === '1' ? { type: 'silence' } : gatherPayload(form);
      return answer(reply, step, callEvent(callSid, form, payload), `voice:${callSid}:${step}`);
    });

    const { reminderCall } = options;
    if (reminderCall) {
      app.post('/twilio/voice/reminder', async (request, reply) => {
        const form = readTwilioForm(request.body);
        const messageId = parseMessageId((request.query as Record<string, unknown>).message);
        if (!form || !CALL_SID.test(form.get('CallSid') ?? '') || messageId === null) return badRequest(reply);
        try {
          return twiml(reply, await reminderCall(messageId, form.get('Digits')?.trim() ?? ''));
        } catch (error) {
          ctx.log.error({ err: error, outboxId: messageId }, 'reminder call answer failed');
          return twiml(reply, renderFailure(ctx.text(DEFAULT_LANGUAGE, 'channels:voice.failure'), DEFAULT_LANGUAGE, options.voice));
        }
      });
    }
  };
}
