/**
 * The local test page: try the bot without any account. `GET /` serves the
 * page; `POST /demo/chat` is a chat turn as JSON; `POST /demo/voice` starts a
 * simulated call whose TwiML is rendered exactly as on the real phone line,
 * only with its Gather actions pointing back here. These routes skip Twilio's
 * signature check, so the lead registers the plugin only in demo mode; the
 * real `/twilio/*` routes keep theirs.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { DEMO_CUSTOMER_PHONE } from '../../../catalog/demo-week.ts';
import { normalizePhone } from '../../../catalog/phone.ts';
import type { Language } from '../../../catalog/types.ts';
import { cleanText, type InboundEvent, type InboundPayload } from '../../../flows/index.ts';
import { TurnUnavailable, type ChannelContext } from '../../types.ts';
import { readTwilioForm } from '../twilio/form.ts';
import { callerIdentity, gatherPayload } from '../voice/plugin.ts';
import { gatherUrl, renderFailure, renderReplay, renderUnavailable, renderVoice } from '../voice/render.ts';
import { DEMO_ROLES, demoIdentity } from './identity.ts';

export interface DemoOptions {
  /** The voices named in the TwiML; the real line's defaults (bot/config.ts) when Twilio is not configured. */
  voice?: Record<Language, string>;
  now?: () => Date;
}

/** Base of the simulated call's webhook URLs; the renderer appends the real line's gather path to it. */
export const DEMO_VOICE_BASE = '/demo';
/** Where a simulated call's Gather and Redirect post to, derived so it always matches the rendered TwiML. */
export const DEMO_GATHER_PATH = new URL(gatherUrl(DEMO_VOICE_BASE, 0), 'http://localhost').pathname;
/** The response header that tells the page which CallSid to send with each answer, as Twilio would. */
export const DEMO_CALL_SID_HEADER = 'x-demo-call-sid';

const MAX_CHAT_TEXT = 2000;
/** A chat message or a call step is a few hundred bytes. */
const DEMO_BODY_LIMIT_BYTES = 8 * 1024;
const CALL_SID = /^CA[0-9a-f]{32}$/i;
const FLOOD_PAUSE_SECONDS = 3;
const DEFAULT_LANGUAGE: Language = 'de';
const DEFAULT_VOICES: Record<Language, string> = { de: 'Polly.Vicki-Neural', en: 'Polly.Amy-Neural' };

const chatRequest = z
  .object({
    session: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    /** The page's message counter: a resent message is recognised and not acted on twice. */
    seq: z.number().int().min(0).max(1_000_000_000),
    as: z.enum(DEMO_ROLES),
    phone: z.string().max(32).optional(),
    text: z.string().max(MAX_CHAT_TEXT).optional(),
    choice: z.string().min(1).max(64).optional(),
    start: z.literal(true).optional(),
  })
  .strict()
  .refine((body) => [body.text, body.choice, body.start].filter((part) => part !== undefined).length === 1, {
    message: 'exactly one of text, choice or start',
  });

type ChatRequest = z.output<typeof chatRequest>;

const ASSETS = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/demo/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/demo/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
} as const;

// Everything the page needs comes from this server; nothing from the web.
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

function badRequest(reply: FastifyReply, problem: string): FastifyReply {
  return reply.code(400).send({ error: 'Bad Request', problem });
}

function twiml(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(body);
}

/** What the chat request asks the engine to do; null when a text is empty once cleaned. */
function chatPayload(body: ChatRequest): InboundPayload | null {
  if (body.start) return { type: 'start' };
  if (body.choice !== undefined) return { type: 'choice', id: body.choice };
  const text = cleanText(body.text ?? '', MAX_CHAT_TEXT);
  return text === '' ? null : { type: 'text', text };
}

/** A Twilio-like form from a form or JSON body; JSON numbers (e.g. Confidence) count as their text. */
function readCallForm(body: unknown): Map<string, string> | null {
  if (body === undefined || body === null) return new Map();
  if (typeof body !== 'object' || Array.isArray(body)) return null;
  const fields = Object.entries(body).map(([name, value]) => [name, typeof value === 'number' ? String(value) : value]);
  return readTwilioForm(Object.fromEntries(fields));
}

/** Words that stand for a withheld number, as Twilio reports it and as a tester types it on the page. */
const WITHHELD = /^(anonymous|anonym|restricted|unknown|unavailable|private|withheld|unterdrückt|unterdrueckt)$/i;

/**
 * The caller's number from `From` (Twilio's spelling) or `from`: the demo
 * customer when absent, "anonymous" for a withheld number (the call then goes
 * as a real withheld call does), null when it is neither.
 */
function callerNumber(form: Map<string, string>): string | null {
  const from = (form.get('From') ?? form.get('from'))?.trim();
  if (from === undefined || from === '') return DEMO_CUSTOMER_PHONE;
  return WITHHELD.test(from) ? 'anonymous' : normalizePhone(from);
}

function parseStep(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,5}$/.test(value) ? Number(value) : null;
}

/** The test page and its chat and phone simulators as a fastify plugin. */
export function demoPlugin(ctx: ChannelContext, options: DemoOptions): FastifyPluginAsync {
  const now = options.now ?? (() => new Date());
  const voice = options.voice ?? DEFAULT_VOICES;

  async function answerCall(reply: FastifyReply, step: number, event: InboundEvent, deliveryKey: string | null) {
    if (!ctx.limiter.allow(event.conversationKey, event.receivedAt)) {
      return twiml(reply, renderReplay({ baseUrl: DEMO_VOICE_BASE, step, pauseSeconds: FLOOD_PAUSE_SECONDS }));
    }
    try {
      const turn = await ctx.turn(event, { deliveryKey, medium: 'spoken' });
      if (turn === null) return twiml(reply, renderReplay({ baseUrl: DEMO_VOICE_BASE, step }));
      return twiml(
        reply,
        renderVoice(turn, {
          baseUrl: DEMO_VOICE_BASE,
          nextStep: step + 1,
          voice,
          text: ctx.text,
        }),
      );
    } catch (error) {
      if (error instanceof TurnUnavailable) {
        return twiml(reply, renderUnavailable({ baseUrl: DEMO_VOICE_BASE, step, language: DEFAULT_LANGUAGE, voice, text: ctx.text }));
      }
      ctx.log.error({ err: error, conversationKey: event.conversationKey }, 'demo voice turn failed');
      return twiml(reply, renderFailure(ctx.text(DEFAULT_LANGUAGE, 'channels:voice.failure'), DEFAULT_LANGUAGE, voice));
    }
  }

  function callEvent(callSid: string, caller: string, payload: InboundPayload): InboundEvent {
    return {
      // The engine speaks as on the phone line only for the voice channel.
      channel: 'voice',
      // Own key space: a CallSid typed into the page can never reach a real call's conversation.
      conversationKey: `demo-voice:${callSid}`,
      identity: callerIdentity(caller),
      payload,
      receivedAt: now(),
    };
  }

  return async function demoRoutes(app) {
    const assets = new Map(
      await Promise.all(
        Object.entries(ASSETS).map(async ([path, asset]) => {
          const body = await readFile(new URL(`./public/${asset.file}`, import.meta.url), 'utf8');
          return [path, { type: asset.type, body: body.replaceAll('%DEMO_CUSTOMER_PHONE%', DEMO_CUSTOMER_PHONE) }] as const;
        }),
      ),
    );
    for (const [path, asset] of assets) {
      app.get(path, async (_request, reply) => reply.headers(PAGE_HEADERS).type(asset.type).send(asset.body));
    }

    app.post('/demo/chat', { bodyLimit: DEMO_BODY_LIMIT_BYTES }, async (request, reply) => {
      const parsed = chatRequest.safeParse(request.body);
      if (!parsed.success) return badRequest(reply, parsed.error.issues.map((issue) => issue.message).join('; '));
      const body = parsed.data;
      const phone = body.phone === undefined ? DEMO_CUSTOMER_PHONE : normalizePhone(body.phone);
      if (phone === null) return badRequest(reply, 'phone must be a phone number such as +4915100000003');
      const payload = chatPayload(body);
      if (payload === null) return badRequest(reply, 'text is empty');

      const conversationKey = `demo:${body.as}:${body.session}`;
      const receivedAt = now();
      if (!ctx.limiter.allow(conversationKey, receivedAt)) return reply.code(429).send({ error: 'Too Many Requests' });
      const turn = await ctx.turn(
        { channel: 'demo', conversationKey, identity: demoIdentity(body.as, phone), payload, receivedAt },
        { deliveryKey: `demo:${body.session}:${body.seq}`, medium: 'written' },
      );
      // A message sent twice was answered the first time.
      return turn === null ? reply.code(204).send() : reply.send(turn);
    });

    app.post('/demo/voice', { bodyLimit: DEMO_BODY_LIMIT_BYTES }, async (request, reply) => {
      const form = readCallForm(request.body);
      const caller = form && callerNumber(form);
      if (!caller) return badRequest(reply, 'from must be a phone number such as +4915100000003, or "anonymous" for a withheld number');
      const callSid = `CA${randomBytes(16).toString('hex')}`;
      reply.header(DEMO_CALL_SID_HEADER, callSid);
      return answerCall(reply, 0, callEvent(callSid, caller, { type: 'start' }), `demo-voice:${callSid}:0`);
    });

    app.post(DEMO_GATHER_PATH, { bodyLimit: DEMO_BODY_LIMIT_BYTES }, async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const form = readCallForm(request.body);
      const callSid = form?.get('CallSid') ?? '';
      const caller = form && callerNumber(form);
      const step = parseStep(query.step);
      if (!form || !caller || !CALL_SID.test(callSid) || step === null) {
        return badRequest(reply, 'needs ?step=N and the fields CallSid and From as in the call');
      }
      if (query.replay === '1') {
        // As on the real line: an explicit, side-effect-free repeat.
        return answerCall(reply, step, callEvent(callSid, caller, { type: 'repeat' }), null);
      }
      const payload: InboundPayload = query.silence === '1' ? { type: 'silence' } : gatherPayload(form);
      return answerCall(reply, step, callEvent(callSid, caller, payload), `demo-voice:${callSid}:${step}`);
    });
  };
}
