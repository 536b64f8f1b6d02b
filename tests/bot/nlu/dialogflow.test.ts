/**
 * The Dialogflow ES recogniser against Google's REST API under nock, fully offline: a throwaway
 * service-account key, the real client library and its REST transport, and the embedded
 * recogniser as the fallback and the source of every entity.
 */
import { generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { loadConfig } from '../../../bot/config.ts';
import { createDialogflowRecogniser, type ServiceAccountCredentials } from '../../../bot/nlu/dialogflow.ts';
import type { Logger } from '../../../bot/types.ts';
import { createEmbeddedRecogniser, understandSync } from '../../../flows/nlu/recogniser.ts';
import type { UnderstandContext } from '../../../flows/nlu/types.ts';
import { startHarness, TUESDAY_MORNING } from '../../helpers/conversation.ts';
import nock, { onlyLocalNetwork, restoreNetwork } from '../../helpers/nock.ts';

const PROJECT = 'marktbote-test';
const DIALOGFLOW = 'https://dialogflow.googleapis.com';
const DETECT_INTENT = new RegExp(`^/v2/projects/${PROJECT}/agent/sessions/([^/:]+):detectIntent`);

const context = (language: 'de' | 'en' = 'de'): UnderstandContext => ({
  language,
  vocabulary: [
    { offerId: 7, productName: 'Spreewälder Senfgurken', category: 'pickles', unit: 'jar', producerName: 'Hof Lehde' },
    { offerId: 9, productName: 'Leinöl', category: 'oil', unit: 'bottle', producerName: 'Ölmühle Straupitz' },
  ],
  places: ['Lübbenau', 'Burg', 'Lehde'],
});

interface DetectIntentCall {
  session: string;
  authorization: string;
  body: { queryInput: { text: { text: string; languageCode: string } } };
}

let credentials: ServiceAccountCredentials;
let publicKey: KeyObject;
let calls: DetectIntentCall[];
let log: Logger & { warn: Mock<Logger['warn']> };

beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicKey = pair.publicKey;
  credentials = {
    client_email: `marktbote@${PROJECT}.iam.gserviceaccount.com`,
    private_key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
});

beforeEach(() => {
  onlyLocalNetwork();
  calls = [];
  log = { info: vi.fn(), warn: vi.fn<Logger['warn']>(), error: vi.fn(), debug: vi.fn() };
});

afterEach(restoreNetwork);

/** The OAuth token exchange; answers like Google would, should the library ever ask. */
function tokenEndpoint() {
  return nock('https://oauth2.googleapis.com')
    .post('/token')
    .reply(200, { access_token: 'ya29.throwaway', expires_in: 3600, token_type: 'Bearer' });
}

/** One detectIntent call answered with `displayName` at `confidence`, recorded in `calls`. */
function dialogflowAnswers(displayName: string, confidence: number, delayMs = 0) {
  return nock(DIALOGFLOW)
    .post(DETECT_INTENT)
    .delay(delayMs)
    .reply(200, async (request: Request) => {
      calls.push({
        session: DETECT_INTENT.exec(new URL(request.url).pathname)?.[1] ?? '',
        authorization: request.headers.get('authorization') ?? '',
        body: (await request.json()) as DetectIntentCall['body'],
      });
      return {
        responseId: 'response-1',
        queryResult: {
          queryText: 'ignored',
          languageCode: 'de',
          intent: { name: `projects/${PROJECT}/agent/intents/1`, displayName },
          intentDetectionConfidence: confidence,
        },
      };
    });
}

function recogniser(options: { timeoutMs?: number } = {}) {
  return createDialogflowRecogniser({
    projectId: PROJECT,
    credentials,
    fallback: createEmbeddedRecogniser(),
    log,
    sessionId: () => 'session-1',
    ...options,
  });
}

function decodeJwt(authorization: string) {
  const [header, payload, signature] = authorization.replace(/^Bearer /, '').split('.');
  const signedBy = (key: KeyObject) =>
    verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
  return { claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>, signedBy };
}

describe('the Dialogflow recogniser', () => {
  it('posts the text to the REST endpoint with a token signed by the service-account key', async () => {
    const token = tokenEndpoint();
    const detect = dialogflowAnswers('show_cart', 0.9);

    await recogniser().understand('zeig mir den Warenkorb', context());

    expect(detect.isDone()).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0].session).toBe('session-1');
    expect(calls[0].body.queryInput.text).toEqual({ text: 'zeig mir den Warenkorb', languageCode: 'de' });
    // The generated SessionsClient signs its own JWT (useJWTAccessWithScope), so no token exchange
    // costs a round trip out of the 1.5 s budget; the signature is what proves the key was used.
    const { claims, signedBy } = decodeJwt(calls[0].authorization);
    expect(claims.iss).toBe(credentials.client_email);
    expect(signedBy(publicKey)).toBe(true);
    expect(signedBy(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)).toBe(false);
    expect(token.isDone()).toBe(false);
  });

  it("asks in the agent's English when the person writes English", async () => {
    dialogflowAnswers('show_cart', 0.9);
    await recogniser().understand('show me my basket', context('en'));
    expect(calls[0].body.queryInput.text.languageCode).toBe('en');
  });

  it('takes the intent from Dialogflow when it is sure and the embedded recogniser is not', async () => {
    const text = 'wo krieg ich das Zeug her';
    const embedded = understandSync(text, context());
    dialogflowAnswers('pickup_info', 0.82);

    const understood = await recogniser().understand(text, context());

    expect(embedded.intent).toBe('unknown');
    expect(understood).toEqual({ ...embedded, intent: 'pickup_info', confidence: 0.82 });
  });

  it("keeps the entities of this week's offers from the embedded recogniser", async () => {
    const text = '2 Gläser Senfgurken bitte';
    const embedded = understandSync(text, context());
    dialogflowAnswers('change_quantity', 0.97);

    const understood = await recogniser().understand(text, context());

    expect(understood.intent).toBe('change_quantity');
    expect(understood.entities).toEqual(embedded.entities);
    expect(understood.entities.items[0]?.matches[0]?.offerId).toBe(7);
    expect(understood.entities.items[0]?.quantity).toBe(2);
  });

  it.each([
    ['unsure (below 0.6), even where the embedded recogniser has nothing', 'wo krieg ich das Zeug her', 'pickup_info', 0.59],
    ['less sure than the embedded recogniser', 'Hallo', 'help', 0.79],
    ['as sure as the embedded recogniser', 'zeig mir den Warenkorb', 'checkout', 0.9],
    ['answering with its own fallback intent', 'wo krieg ich das Zeug her', 'Default Fallback Intent', 0.99],
  ])('keeps the embedded result when Dialogflow is %s', async (_, text, displayName, confidence) => {
    const embedded = understandSync(text, context());
    dialogflowAnswers(displayName, confidence);

    const understood = await recogniser().understand(text, context());

    expect(embedded.intent === 'unknown' || embedded.confidence >= confidence).toBe(true);
    expect(calls).toHaveLength(1);
    expect(understood).toEqual(embedded);
  });

  it.each([
    ['a server error (500)', () => nock(DIALOGFLOW).post(DETECT_INTENT).reply(500, { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } })],
    ['an unavailable service (503)', () => nock(DIALOGFLOW).post(DETECT_INTENT).reply(503, { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } })],
  ])('falls back to the embedded result on %s, warning without the text', async (_, failure) => {
    const text = '2 Gläser Senfgurken bitte';
    let requests = 0;
    const scope = failure().persist().on('request', () => (requests += 1));

    const understood = await recogniser().understand(text, context());

    expect(scope.isDone()).toBe(true);
    expect(requests).toBe(1);
    expect(understood).toEqual(understandSync(text, context()));
    expect(log.warn).toHaveBeenCalledTimes(1);
    const [fields] = log.warn.mock.calls[0];
    expect(fields).toMatchObject({ recogniser: 'dialogflow', reason: 'error' });
    expect(JSON.stringify(log.warn.mock.calls)).not.toMatch(/Senfgurken/);
  });

  it('falls back when Dialogflow is slower than 1.5 s, and its late answer goes nowhere', async () => {
    const text = '2 Gläser Senfgurken bitte';
    const unhandled: unknown[] = [];
    const collect = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', collect);
    dialogflowAnswers('change_quantity', 0.99, 2000);

    try {
      const started = performance.now();
      const understood = await recogniser().understand(text, context());
      const elapsed = performance.now() - started;

      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(2000);
      expect(understood).toEqual(understandSync(text, context()));
      expect(JSON.stringify(log.warn.mock.calls)).not.toMatch(/Senfgurken/);
      // Past the moment the delayed answer would have arrived.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(unhandled).toEqual([]);
      expect(log.warn).toHaveBeenCalledTimes(1);
    } finally {
      process.off('unhandledRejection', collect);
    }
  });
});

describe('the Dialogflow configuration', () => {
  let dir: string;
  let keyFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'marktbote-dialogflow-'));
    keyFile = join(dir, 'service-account.json');
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', project_id: PROJECT, ...credentials }));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const problems = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as { problems?: string[] }).problems ?? [String(error)];
    }
  };

  it('reads the service-account key when both variables are set', () => {
    const config = loadConfig({ DIALOGFLOW_PROJECT_ID: PROJECT, GOOGLE_APPLICATION_CREDENTIALS: keyFile });
    expect(config.dialogflow).toEqual({ projectId: PROJECT, credentials });
  });

  it('is off when neither is set', () => {
    expect(loadConfig({}).dialogflow).toBeNull();
  });

  it.each([
    [{ DIALOGFLOW_PROJECT_ID: PROJECT }, /^GOOGLE_APPLICATION_CREDENTIALS is required when DIALOGFLOW_PROJECT_ID is set$/],
    [{ GOOGLE_APPLICATION_CREDENTIALS: 'KEY' }, /^DIALOGFLOW_PROJECT_ID is required when GOOGLE_APPLICATION_CREDENTIALS is set$/],
    [{ DIALOGFLOW_PROJECT_ID: 'Marktbote_Test', GOOGLE_APPLICATION_CREDENTIALS: 'KEY' }, /^DIALOGFLOW_PROJECT_ID must be a Google Cloud project ID/],
  ])('names the missing or malformed half: %o', (env, problem) => {
    const resolved = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value === 'KEY' ? keyFile : value]));
    expect(problems(resolved)).toEqual([expect.stringMatching(problem)]);
  });

  it.each([
    ['a missing file', 'missing.json', null, /cannot be read: .*missing\.json \(ENOENT\)/],
    ['a file that is not JSON', 'broken.json', 'not json', /broken\.json, which is not JSON/],
    ['a user credential', 'user.json', JSON.stringify({ type: 'authorized_user', client_id: 'x', refresh_token: 'secret-refresh' }), /user\.json, which is not a service-account key/],
  ])('rejects %s without quoting it', (_, name, content, problem) => {
    const path = join(dir, name);
    if (content !== null) writeFileSync(path, content);
    const found = problems({ DIALOGFLOW_PROJECT_ID: PROJECT, GOOGLE_APPLICATION_CREDENTIALS: path });
    expect(found).toEqual([expect.stringMatching(problem)]);
    expect(found[0]).toMatch(/^GOOGLE_APPLICATION_CREDENTIALS /);
    expect(found.join()).not.toMatch(/secret-refresh|not json/);
  });
});

describe('the composed bot', () => {
  const text = 'wo krieg ich das Zeug her';

  it('uses the embedded recogniser alone and sends nothing when Dialogflow is not configured', async () => {
    const detect = nock(DIALOGFLOW).post(DETECT_INTENT).reply(200, {});
    const token = tokenEndpoint();
    const harness = await startHarness(TUESDAY_MORNING);
    try {
      expect(harness.app.config.dialogflow).toBeNull();
      await harness.person('telegram', '4711').says(text);
      expect(detect.isDone()).toBe(false);
      expect(token.isDone()).toBe(false);
    } finally {
      await harness.dispose();
    }
  });

  it('asks Dialogflow for every text turn when configured, with a fresh session each time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'marktbote-dialogflow-'));
    const keyFile = join(dir, 'service-account.json');
    writeFileSync(keyFile, JSON.stringify({ type: 'service_account', ...credentials }));
    dialogflowAnswers('pickup_info', 0.9);
    dialogflowAnswers('pickup_info', 0.9);
    const harness = await startHarness(TUESDAY_MORNING, { DIALOGFLOW_PROJECT_ID: PROJECT, GOOGLE_APPLICATION_CREDENTIALS: keyFile });
    try {
      const person = harness.person('telegram', '4711');
      await person.says(text);
      await person.says(text);
      expect(calls.map((call) => call.body.queryInput.text.text)).toEqual([text, text]);
      expect(new Set(calls.map((call) => call.session)).size).toBe(2);
    } finally {
      await harness.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
