/**
 * The optional Dialogflow ES recogniser. Dialogflow only proposes an intent; the
 * entities always come from the embedded recogniser, because only we know this
 * week's offers. The embedded recogniser runs alongside every request and answers
 * alone whenever Dialogflow fails, is unsure, or is slower than the time budget.
 */
import { randomUUID } from 'node:crypto';
import { SessionsClient } from '@google-cloud/dialogflow';
import type { Language } from '../../catalog/types.ts';
import {
  INTENTS,
  type Intent,
  type Recogniser,
  type UnderstandContext,
  type Understanding,
} from '../../flows/index.ts';
import type { Logger } from '../types.ts';

/** The two fields of a Google service-account key file that signing needs. */
export interface ServiceAccountCredentials {
  client_email: string;
  private_key: string;
}

export interface DialogflowOptions {
  projectId: string;
  credentials: ServiceAccountCredentials;
  /** The agent's language code for each of our languages. */
  languageCodes?: Record<Language, string>;
  /** Budget for Dialogflow's answer; a caller on the phone is waiting. */
  timeoutMs?: number;
  /** Answers whenever Dialogflow cannot, and always supplies the entities. */
  fallback: Recogniser;
  log: Logger;
  /** Dialogflow session for a request; by default a fresh one per request (see below). */
  sessionId?: (context: UnderstandContext) => string;
  /** Another Dialogflow host, e.g. a regional one such as europe-west3-dialogflow.googleapis.com. */
  apiEndpoint?: string;
}

/** Below this, Dialogflow's guess is noise: its own fallback intent answers with less. */
const MIN_CONFIDENCE = 0.6;

const KNOWN_INTENTS: ReadonlySet<string> = new Set(INTENTS);

interface RemoteIntent {
  intent: Intent;
  confidence: number;
}

type RemoteOutcome = { ok: true; remote: RemoteIntent } | { ok: false; reason: 'error' | 'timeout'; error?: unknown };

// Our own flow state carries the dialogue, so Dialogflow's contexts are not wanted; a fresh
// session per request also keeps Dialogflow from linking one person's messages together.
const freshSession = (): string => randomUUID();

function toIntent(displayName: string | null | undefined): Intent {
  return displayName && KNOWN_INTENTS.has(displayName) ? (displayName as Intent) : 'unknown';
}

/** Dialogflow decides the intent only when it is sure and knows more than the embedded recogniser. */
function merge(embedded: Understanding, remote: RemoteIntent): Understanding {
  const decides =
    remote.intent !== 'unknown' &&
    remote.confidence >= MIN_CONFIDENCE &&
    (embedded.intent === 'unknown' || remote.confidence > embedded.confidence);
  return decides ? { ...embedded, intent: remote.intent, confidence: remote.confidence } : embedded;
}

/** What may be logged about a failure: never the error object, whose request config holds the user's text. */
function describeFailure(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const { code, status } = error as Error & { code?: unknown; status?: unknown };
  return { error: error.name, code, status, message: error.message.slice(0, 200) };
}

/** A `Recogniser` that asks Dialogflow ES for the intent and never throws for Dialogflow's sake. */
export function createDialogflowRecogniser(options: DialogflowOptions): Recogniser {
  const { projectId, fallback, log } = options;
  const languageCodes = options.languageCodes ?? { de: 'de', en: 'en' };
  const timeoutMs = options.timeoutMs ?? 1500;
  const sessionId = options.sessionId ?? freshSession;
  // `fallback: true` is google-gax 5's HTTP/1.1 REST transport ('rest' is only kept as an alias):
  // plain HTTPS through proxies and firewalls, and no gRPC channel to keep alive.
  const client = new SessionsClient({
    projectId,
    credentials: options.credentials,
    fallback: true,
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
  });

  async function detect(text: string, context: UnderstandContext): Promise<RemoteIntent> {
    const [response] = await client.detectIntent(
      {
        session: client.projectAgentSessionPath(projectId, sessionId(context)),
        queryInput: { text: { text, languageCode: languageCodes[context.language] } },
      },
      // The library's deadline (220 s by default) also cancels the HTTP request, so that slow
      // answers do not pile up during an outage after we have stopped waiting for them.
      { timeout: timeoutMs },
    );
    const result = response.queryResult;
    return { intent: toIntent(result?.intent?.displayName), confidence: result?.intentDetectionConfidence ?? 0 };
  }

  async function ask(text: string, context: UnderstandContext): Promise<RemoteOutcome> {
    let timer: NodeJS.Timeout | undefined;
    // Settles either way, so an answer that arrives after the deadline cannot become an unhandled rejection.
    const answer = detect(text, context).then(
      (remote): RemoteOutcome => ({ ok: true, remote }),
      (error: unknown): RemoteOutcome => ({ ok: false, reason: 'error', error }),
    );
    const deadline = new Promise<RemoteOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: 'timeout' }), timeoutMs);
    });
    try {
      return await Promise.race([answer, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async understand(text, context) {
      const [embedded, outcome] = await Promise.all([fallback.understand(text, context), ask(text, context)]);
      if (outcome.ok) return merge(embedded, outcome.remote);
      log.warn(
        {
          recogniser: 'dialogflow',
          reason: outcome.reason,
          timeoutMs,
          language: context.language,
          ...(outcome.reason === 'error' ? describeFailure(outcome.error) : {}),
        },
        'Dialogflow did not answer; the embedded recogniser stands',
      );
      return embedded;
    },
  };
}
