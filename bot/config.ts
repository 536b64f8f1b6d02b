/**
 * The environment, checked once at start. A channel is on exactly when its
 * variables are set; its secrets are required only then. Every problem is
 * reported at once, one line each, so an operator fixes the file in one go.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseOfficeHours, type OfficeHours } from '../catalog/office.ts';
import { isE164 } from '../catalog/phone.ts';
import type { Language } from '../catalog/types.ts';
import { whatsappNumber } from './channels/whatsapp/address.ts';

const TWILIO_SID = /^AC[0-9a-f]{32}$/i;
/** An approved WhatsApp template in Twilio's Content API. */
const CONTENT_SID = /^HX[0-9a-f]{32}$/i;
/** Telegram accepts only these characters in a webhook secret_token. */
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{1,256}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const SWITCH_VALUES = ['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'];
/** What DEMO_PUBLIC must say to run the test page next to a real channel: no value an operator types by accident. */
const DEMO_PUBLIC_CONSENT = 'yes-i-know';
/** The variables that make a channel real: with any of them set, the test page would serve real customers' data. */
const CHANNEL_SECRETS = ['TELEGRAM_BOT_TOKEN', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN'] as const;

/** An operator's `FOO=` in a .env file means "not set", not "set to nothing". */
const optionalText = () =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().optional());

const textSatisfying = (check: (value: string) => boolean, problem: string) =>
  optionalText().refine((value) => value === undefined || check(value), problem);

const textMatching = (pattern: RegExp, problem: string) => textSatisfying((value) => pattern.test(value), problem);

const httpUrl = (problem: string) =>
  optionalText().refine((value) => value === undefined || /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(value), problem);

const integerBetween = (min: number, max: number) =>
  optionalText().refine(
    (value) => value === undefined || (/^\d+$/.test(value) && Number(value) >= min && Number(value) <= max),
    `must be a whole number between ${min} and ${max}`,
  );

/** Reads a Google service-account key file; the problem is worded for the operator and never quotes the file. */
function readServiceAccount(path: string): { client_email: string; private_key: string } | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return `names a file that cannot be read: ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
  let key: unknown;
  try {
    key = JSON.parse(text);
  } catch {
    return `names ${path}, which is not JSON; download a service-account key from the Google Cloud console`;
  }
  const { type, client_email: clientEmail, private_key: privateKey } = (key ?? {}) as Record<string, unknown>;
  if (type !== 'service_account' || typeof clientEmail !== 'string' || typeof privateKey !== 'string') {
    return `names ${path}, which is not a service-account key (needs "type": "service_account", client_email and private_key)`;
  }
  return { client_email: clientEmail, private_key: privateKey };
}

const serviceAccountFile = () =>
  optionalText().transform((path, ctx) => {
    if (path === undefined) return undefined;
    const credentials = readServiceAccount(path);
    if (typeof credentials === 'string') {
      ctx.addIssue({ code: 'custom', message: credentials });
      return z.NEVER;
    }
    return credentials;
  });

const onOff = () =>
  optionalText().refine(
    (value) => value === undefined || SWITCH_VALUES.includes(value.toLowerCase()),
    'must be on or off',
  );

const environmentSchema = z.object({
  PORT: integerBetween(1, 65535),
  HOST: optionalText(),
  DATABASE_URL: optionalText(),
  PUBLIC_URL: httpUrl('must be an http or https URL such as https://marktbote.example.de'),
  LOG_LEVEL: optionalText().refine(
    (value) => value === undefined || (LOG_LEVELS as readonly string[]).includes(value),
    `must be one of ${LOG_LEVELS.join(', ')}`,
  ),
  TELEGRAM_BOT_TOKEN: textMatching(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF… (from @BotFather)'),
  TELEGRAM_WEBHOOK_SECRET: textMatching(TELEGRAM_SECRET, 'must be 1–256 characters of A-Z, a-z, 0-9, _ and -'),
  TELEGRAM_API_ROOT: httpUrl('must be an http or https URL'),
  TWILIO_ACCOUNT_SID: textMatching(TWILIO_SID, 'must be AC followed by 32 hexadecimal characters'),
  TWILIO_AUTH_TOKEN: optionalText(),
  TWILIO_WHATSAPP_FROM: textSatisfying((value) => whatsappNumber(value) !== null, 'must look like whatsapp:+4915123456789'),
  TWILIO_VOICE_FROM: textSatisfying(isE164, 'must be an E.164 number such as +4935461234567'),
  TWILIO_API_ROOT: httpUrl('must be an http or https URL'),
  TWILIO_VOICE: optionalText(),
  TWILIO_VOICE_EN: optionalText(),
  TWILIO_TEMPLATE_PICKUP_REMINDER: textMatching(CONTENT_SID, 'must be a Content SID: HX followed by 32 hexadecimal characters'),
  TWILIO_TEMPLATE_WEEKLY_OFFER: textMatching(CONTENT_SID, 'must be a Content SID: HX followed by 32 hexadecimal characters'),
  TWILIO_TEMPLATE_ORDER_NUDGE: textMatching(CONTENT_SID, 'must be a Content SID: HX followed by 32 hexadecimal characters'),
  TWILIO_SENDS_PER_SECOND: integerBetween(1, 1000),
  OFFICE_PHONE: textSatisfying(isE164, 'must be an E.164 number such as +4935461234567'),
  OFFICE_HOURS: optionalText().refine(
    (value) => value === undefined || parseOfficeHours(value) !== null,
    'must look like "Mo-Fr 08:00-16:00" or "Mo-Fr 08:00-16:00; Sa 09:00-12:00"',
  ),
  DEMO: onOff(),
  DEMO_PUBLIC: textSatisfying((value) => value === DEMO_PUBLIC_CONSENT, `must be ${DEMO_PUBLIC_CONSENT} or unset`),
  JOBS: onOff(),
  ORDER_NUDGE_AT: optionalText().refine(
    (value) => value === undefined || /^([01]?\d|2[0-3]):[0-5]\d$/.test(value),
    'must be a clock time such as 18:00',
  ),
  FLOOD_PER_MINUTE: integerBetween(1, 10_000),
  CYCLE_RHYTHM: optionalText(),
  DIALOGFLOW_PROJECT_ID: textMatching(
    /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    'must be a Google Cloud project ID: 6–30 lower-case letters, digits and hyphens, such as marktbote-spreewald',
  ),
  GOOGLE_APPLICATION_CREDENTIALS: serviceAccountFile(),
});

type Environment = z.output<typeof environmentSchema>;

/** Cross-variable rules: what each enabled channel needs. A missing variable is named once, with its first reason. */
function checkChannelRequirements(env: Environment, ctx: z.RefinementCtx): void {
  const reported = new Set<string>();
  const require = (name: keyof Environment, when: string) => {
    if (env[name] !== undefined || reported.has(name)) return;
    reported.add(name);
    ctx.addIssue({ code: 'custom', path: [name], message: `is required when ${when}` });
  };
  if (env.TELEGRAM_BOT_TOKEN !== undefined && env.PUBLIC_URL !== undefined) {
    require('TELEGRAM_WEBHOOK_SECRET', 'TELEGRAM_BOT_TOKEN and PUBLIC_URL are set');
  }
  if (env.TWILIO_ACCOUNT_SID !== undefined) require('TWILIO_AUTH_TOKEN', 'TWILIO_ACCOUNT_SID is set');
  if (env.TWILIO_AUTH_TOKEN !== undefined) require('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN is set');
  for (const from of ['TWILIO_WHATSAPP_FROM', 'TWILIO_VOICE_FROM'] as const) {
    if (env[from] === undefined) continue;
    require('TWILIO_ACCOUNT_SID', `${from} is set`);
    require('TWILIO_AUTH_TOKEN', `${from} is set`);
    require('PUBLIC_URL', `${from} is set (Twilio signs its webhooks over it)`);
  }
  // The test page lets whoever reaches it act as any customer, producer or staff member; next to a real channel
  // that is the real customers' data. Only an explicit DEMO=on can meet a channel (the default is off then).
  const channelSecrets = CHANNEL_SECRETS.filter((name) => env[name] !== undefined);
  if (isOn(env.DEMO, false) && channelSecrets.length > 0 && env.DEMO_PUBLIC === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['DEMO'],
      message: `is on next to a configured channel (${channelSecrets.join(', ')}): the test page would let anyone who reaches `
        + `this server act as any customer, producer or staff member; set DEMO_PUBLIC=${DEMO_PUBLIC_CONSENT} to run it anyway`,
    });
  }
  if (env.DIALOGFLOW_PROJECT_ID !== undefined) require('GOOGLE_APPLICATION_CREDENTIALS', 'DIALOGFLOW_PROJECT_ID is set');
  if (env.GOOGLE_APPLICATION_CREDENTIALS !== undefined) require('DIALOGFLOW_PROJECT_ID', 'GOOGLE_APPLICATION_CREDENTIALS is set');
}

function isOn(value: string | undefined, otherwise: boolean): boolean {
  return value === undefined ? otherwise : ['on', 'true', '1', 'yes'].includes(value.toLowerCase());
}

function toConfig(env: Environment) {
  const twilioCredentials = env.TWILIO_ACCOUNT_SID !== undefined && env.TWILIO_AUTH_TOKEN !== undefined;
  const channels = {
    telegram: env.TELEGRAM_BOT_TOKEN !== undefined,
    whatsapp: twilioCredentials && env.TWILIO_WHATSAPP_FROM !== undefined,
    voice: twilioCredentials && env.TWILIO_VOICE_FROM !== undefined,
  };
  const demo = isOn(env.DEMO, !channels.telegram && !channels.whatsapp && !channels.voice);
  return {
    port: Number(env.PORT ?? 3000),
    /** The test page stays on this machine unless HOST says otherwise; a real channel must be reachable by its provider. */
    host: env.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: env.DATABASE_URL ?? './data/marktbote.sqlite',
    /** Without a trailing slash, so `publicUrl + request.url` is the URL Twilio signed. */
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    logLevel: (env.LOG_LEVEL ?? 'info') as (typeof LOG_LEVELS)[number],
    telegram: channels.telegram
      ? {
          token: env.TELEGRAM_BOT_TOKEN as string,
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET ?? null,
          apiRoot: (env.TELEGRAM_API_ROOT ?? 'https://api.telegram.org').replace(/\/+$/, ''),
        }
      : null,
    twilio: twilioCredentials
      ? {
          accountSid: env.TWILIO_ACCOUNT_SID as string,
          authToken: env.TWILIO_AUTH_TOKEN as string,
          whatsappFrom: env.TWILIO_WHATSAPP_FROM ?? null,
          voiceFrom: env.TWILIO_VOICE_FROM ?? null,
          apiRoot: env.TWILIO_API_ROOT?.replace(/\/+$/, '') ?? null,
          /** Amazon Polly voices per caller language: a German voice mangles English and vice versa. */
          voice: {
            de: env.TWILIO_VOICE ?? 'Polly.Vicki-Neural',
            en: env.TWILIO_VOICE_EN ?? 'Polly.Amy-Neural',
          } satisfies Record<Language, string>,
          /** Approved WhatsApp templates (Content SIDs) for messages outside the 24-hour window. */
          templates: {
            pickup_reminder: env.TWILIO_TEMPLATE_PICKUP_REMINDER,
            weekly_offer: env.TWILIO_TEMPLATE_WEEKLY_OFFER,
            order_nudge: env.TWILIO_TEMPLATE_ORDER_NUDGE,
          },
        }
      : null,
    office: {
      // A fictional number from the range the Bundesnetzagentur keeps free for drama and examples.
      phone: env.OFFICE_PHONE ?? '+4935461999999',
      hours: parseOfficeHours(env.OFFICE_HOURS ?? 'Mo-Fr 08:00-16:00') as OfficeHours,
    },
    demo,
    jobs: isOn(env.JOBS, true),
    /** Twilio messages and calls the outbox sends per second, all channels together. */
    twilioSendsPerSecond: Number(env.TWILIO_SENDS_PER_SECOND ?? 10),
    /** The order nudge goes out at this local time on the day before the cutoff. */
    weekly: { nudgeAt: env.ORDER_NUDGE_AT ?? '18:00' },
    floodPerMinute: Number(env.FLOOD_PER_MINUTE ?? 20),
    /** Parsed by catalog/rhythm.ts; passed through unchanged. */
    cycleRhythm: env.CYCLE_RHYTHM ?? null,
    /** Dialogflow ES proposes intents when both its variables are set; the embedded recogniser runs alone otherwise. */
    dialogflow:
      env.DIALOGFLOW_PROJECT_ID !== undefined && env.GOOGLE_APPLICATION_CREDENTIALS !== undefined
        ? { projectId: env.DIALOGFLOW_PROJECT_ID, credentials: env.GOOGLE_APPLICATION_CREDENTIALS }
        : null,
    channels,
  };
}

export const configSchema = environmentSchema.superRefine(checkChannelRequirements).transform(toConfig);

export type Config = z.output<typeof configSchema>;

/** Every problem with the environment, one line each. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    // One problem is one line; several are listed under a header, one line each.
    super(problems.length === 1
      ? `Invalid configuration: ${problems[0]}`
      : `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and checks the environment; throws a `ConfigError` naming every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
}
