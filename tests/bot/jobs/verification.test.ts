/** Codes and callbacks leave through the outbox: Twilio's REST API under nock, the real app and its sweep. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lineIdentity } from '../../../bot/channels/voice/plugin.ts';
import { createOutboxKick, runDueJobs } from '../../../bot/jobs/index.ts';
import type { Sender } from '../../../bot/jobs/sweep.ts';
import { createMarketplace, type Marketplace } from '../../../catalog/marketplace.ts';
import { REDACTED_PAYLOAD } from '../../../catalog/outbox.ts';
import { startBotApiDouble, type BotApiDouble } from '../../doubles/telegram-bot-api.ts';
import { startHarness, TUESDAY_MORNING, type Harness } from '../../helpers/conversation.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../../helpers/nock.ts';
import { recordingLogger, TEST_PUBLIC_URL } from '../../helpers/twilio.ts';
import { childrenNamed, parseXml, spokenTexts } from '../../helpers/twiml.ts';
import { CALLS_PATH, jobsEnv, MESSAGES_PATH, TWILIO_ORIGIN, VOICE_FROM } from './fixtures.ts';

const MOBILE = '+4915100000444';
const LANDLINE = '+49354601234';

let api: BotApiDouble;
let harness: Harness;
let market: Marketplace;
let forms: Array<{ path: string; form: Record<string, string> }>;

/** Answers every Twilio message and call, keeping the forms. */
function acceptTwilio(): void {
  for (const [path, sid] of [[MESSAGES_PATH, 'SM'], [CALLS_PATH, 'CA']] as const) {
    nock(TWILIO_ORIGIN).post(path).reply(201, { sid: `${sid}${'1'.repeat(32)}`, status: 'queued' }).persist()
      .on('request', (_request: unknown, _interceptor: unknown, body: string) => {
        forms.push({ path, form: Object.fromEntries(new URLSearchParams(body)) });
      });
  }
}

beforeEach(async () => {
  api = await startBotApiDouble();
  forms = [];
  onlyLocalNetwork();
  acceptTwilio();
  harness = await startHarness(TUESDAY_MORNING, jobsEnv(api));
  market = createMarketplace({ repos: harness.app.database.repositories, clock: harness.clock });
});
afterEach(async () => {
  restoreNetwork();
  await harness.dispose();
  await api.close();
});

describe('codes and callbacks through the outbox', () => {
  it('texts the code once, and keeps no trace of it in the outbox after', async () => {
    await market.startVerification({ phone: MOBILE, requestKey: 'a', language: 'de' });
    await runDueJobs(harness.app, TUESDAY_MORNING);
    await runDueJobs(harness.app, new Date(TUESDAY_MORNING.getTime() + 60_000));
    expect(forms).toHaveLength(1);
    expect(forms[0]).toMatchObject({ path: MESSAGES_PATH, form: { From: VOICE_FROM, To: MOBILE } });
    expect(forms[0].form.Body).toMatch(/^Marktbote: Ihr Code ist \d{6}\. Er gilt 10 Minuten\./);
    const [message] = await harness.app.database.repositories.outbox.list();
    expect(message).toMatchObject({ kind: 'verification_code', state: 'sent', payload: REDACTED_PAYLOAD });
  });

  it('calls a landline back: who calls and why, then the phone line\'s answer route', async () => {
    await market.startVerification({ phone: LANDLINE, requestKey: 'b', language: 'de' });
    await runDueJobs(harness.app, TUESDAY_MORNING);
    expect(forms).toHaveLength(1);
    expect(forms[0]).toMatchObject({ path: CALLS_PATH, form: { From: VOICE_FROM, To: LANDLINE } });
    const twiml = parseXml(forms[0].form.Twiml);
    expect(spokenTexts(twiml)).toEqual([expect.stringMatching(/^Guten Tag, hier ist der Marktbote vom Marktplatz Spreewald mit dem Rückruf/)]);
    expect(childrenNamed(twiml, 'Redirect').map((redirect) => redirect.text)).toEqual([`${TEST_PUBLIC_URL}/twilio/voice`]);
  });

  it('does not call back once the caller has long given up', async () => {
    await market.startVerification({ phone: LANDLINE, requestKey: 'c', language: 'de' });
    await runDueJobs(harness.app, new Date(TUESDAY_MORNING.getTime() + 10 * 60_000));
    expect(forms).toEqual([]);
    expect((await harness.app.database.repositories.outbox.list())[0]).toMatchObject({ state: 'skipped' });
  });
});

describe('the kick between the minute\'s runs', () => {
  it('sends a code at once, and a kick during a sweep sweeps once more rather than twice at once', async () => {
    const sent: string[] = [];
    let release: () => void = () => undefined;
    const sms: Sender = async (message) => {
      sent.push(message.key);
      if (sent.length === 1) await new Promise<void>((resolve) => { release = resolve; });
    };
    const repos = harness.app.database.repositories;
    const kicker = createOutboxKick({ outbox: repos.outbox, senders: { sms }, clock: harness.clock, log: recordingLogger() });
    const waking = createMarketplace({ repos, clock: harness.clock, wake: () => kicker.kick() });

    await waking.startVerification({ phone: MOBILE, requestKey: 'd', language: 'de' });
    await vi.waitFor(() => expect(sent).toEqual(['verification:d']));
    await waking.startVerification({ phone: '+4915100000445', requestKey: 'e', language: 'de' });
    release();
    await kicker.idle();
    expect(sent).toEqual(['verification:d', 'verification:e']);
  });
});

describe('who is on the line', () => {
  const form = (fields: Record<string, string>) => new Map(Object.entries(fields));

  it('is the caller on a call that came in, and the number we called on one we placed', () => {
    expect(lineIdentity(form({ Direction: 'inbound', From: LANDLINE, To: VOICE_FROM }))).toEqual({ kind: 'phone', value: LANDLINE });
    expect(lineIdentity(form({ Direction: 'outbound-api', From: VOICE_FROM, To: LANDLINE }))).toEqual({ kind: 'phone', value: LANDLINE });
  });

  it('is nobody for a withheld number, whatever it claims to be calling', () => {
    expect(lineIdentity(form({ Direction: 'inbound', From: 'anonymous', To: LANDLINE }))).toBeNull();
  });
});
