/**
 * Latency of the voice webhook while 100 calls are in progress: every call
 * walks through the same steps a caller would (answer, a key, a word, silence,
 * repeat, a choice), over real HTTP with real Twilio signatures.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import twilio from 'twilio';
import { voicePlugin } from '../bot/channels/voice/plugin.ts';
import { loadConfig } from '../bot/config.ts';
import { createFloodLimiter } from '../bot/flood.ts';
import { createMetrics } from '../bot/metrics.ts';
import { buildServer } from '../bot/server.ts';
import type { ChannelContext, Logger, TurnHandler } from '../bot/types.ts';
import { channelText } from '../tests/helpers/twilio.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** Upper bound the value should stay under. */
  goal?: number;
}

const PUBLIC_URL = 'https://marktbote.example.de';
const AUTH_TOKEN = randomBytes(16).toString('hex');
const CALLS = 100;
const WARMUP_CALLS = 20;
const IN_FLIGHT = 16;
const GOAL_P99_MS = 50;

/** What each caller does after the call is answered, one webhook per entry. */
const CALLER_STEPS: Array<Record<string, string>> = [
  { Digits: '1' },
  { SpeechResult: 'zwei Gläser', Confidence: '0.87' },
  {},
  { Digits: '9' },
  { Digits: '2' },
];

const menuTurn: TurnHandler = async () => ({
  status: 'waiting',
  language: 'de',
  messages: ['Diese Woche gibt es drei Sachen. Was möchten Sie?'],
  choices: [
    { id: 'offer:1', label: 'Senfgurken' },
    { id: 'offer:2', label: 'Leinöl' },
    { id: 'offer:3', label: 'Meerrettich' },
  ],
  expect: 'choice',
  speechHints: ['Senfgurken', 'Leinöl', 'Meerrettich'],
});

const quietLog: Logger = { info() {}, warn() {}, error() {}, debug() {} };

interface SignedStep {
  path: string;
  body: string;
  signature: string;
}

/** Every webhook of `count` calls, signed up front so that the load generator does no hashing of its own. */
function signedCalls(count: number): SignedStep[][] {
  const run = randomBytes(4).toString('hex');
  return Array.from({ length: count }, (_, index) => {
    const callSid = `CA${run}${index.toString(16).padStart(24, '0')}`;
    return [{}, ...CALLER_STEPS].map((answer, step) => {
      const path = step === 0 ? '/twilio/voice' : `/twilio/voice/gather?step=${step}`;
      // Each call is another caller, as on a real line.
      const params = { CallSid: callSid, From: `+49354619${String(index).padStart(5, '0')}`, ...answer };
      const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC_URL + path, params);
      return { path, body: new URLSearchParams(params).toString(), signature };
    });
  });
}

/**
 * The load generator, in a worker thread so that it does not take the server's
 * event loop. It warms up (its own fetch as much as the server), then runs two
 * shapes of load, and sends back the latencies of each:
 * - paced: all calls at once, each caller pausing between answers as people
 *   do (here 0.2–0.6 s, far shorter than a real caller's seconds), so the
 *   requests of 100 calls in progress arrive interleaved;
 * - saturated: a fixed number of requests always in flight, the next one sent
 *   the moment an answer arrives — a stress figure, not a phone line's load.
 * One worker does all three: a fresh worker's first requests measured its own
 * cold start (tens of ms for the first connections) as the server's latency.
 */
const LOAD_GENERATOR = `
const { parentPort, workerData } = require('node:worker_threads');
const { origin, warmup, paced, saturated, inFlight } = workerData;
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function send(step, latencies) {
  const started = performance.now();
  const response = await fetch(origin + step.path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': step.signature },
    body: step.body,
  });
  await response.text();
  if (response.status !== 200) throw new Error('voice webhook answered ' + response.status + ' at ' + step.path);
  latencies.push(performance.now() - started);
}
async function runPaced(calls) {
  const latencies = [];
  await Promise.all(calls.map(async (steps) => {
    await sleep(random() * 400);
    for (const step of steps) {
      await send(step, latencies);
      await sleep(200 + random() * 400);
    }
  }));
  return latencies;
}
async function runSaturated(calls) {
  const latencies = [];
  const queue = calls.map((steps) => ({ steps, next: 0 }));
  async function worker() {
    for (let call = queue.shift(); call !== undefined; call = queue.shift()) {
      await send(call.steps[call.next], latencies);
      call.next += 1;
      if (call.next < call.steps.length) queue.push(call);
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker));
  return latencies;
}
(async () => {
  await runSaturated(warmup);
  await runPaced(warmup);
  const pacedLatencies = await runPaced(paced);
  const saturatedLatencies = await runSaturated(saturated);
  parentPort.postMessage({ paced: pacedLatencies, saturated: saturatedLatencies });
})();
`;

/** Warm-up, then `count` calls paced like callers and `count` calls saturated; each request's latency in ms. */
function runCalls(origin: string, count: number): Promise<{ paced: number[]; saturated: number[] }> {
  const workerData = {
    origin,
    warmup: signedCalls(WARMUP_CALLS),
    paced: signedCalls(count),
    saturated: signedCalls(count),
    inFlight: IN_FLIGHT,
  };
  const worker = new Worker(LOAD_GENERATOR, { eval: true, workerData });
  return new Promise((resolve, reject) => {
    worker.once('message', (latencies: { paced: number[]; saturated: number[] }) => {
      resolve(latencies);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

/** p50 and p99 of the voice webhook with 100 calls in progress; the engine's `turn`, or a fixed menu when null. */
export async function benchVoice(turn: TurnHandler | null, text: ChannelContext['text'] = channelText): Promise<BenchResult[]> {
  const metrics = createMetrics();
  const ctx: ChannelContext = {
    turn: turn ?? menuTurn,
    limiter: createFloodLimiter({ perMinute: 20 }),
    metrics,
    log: quietLog,
    text,
  };
  const plugin = voicePlugin(ctx, {
    authToken: AUTH_TOKEN,
    publicUrl: PUBLIC_URL,
    voice: { de: 'Polly.Vicki-Neural', en: 'Polly.Amy-Neural' },
  });
  const app = buildServer({ config: loadConfig({}), metrics, plugins: [plugin] });
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const round = (ms: number) => Math.round(ms * 100) / 100;
    const latencies = await runCalls(origin, CALLS);
    const paced = latencies.paced.sort((a, b) => a - b);
    const saturated = latencies.saturated.sort((a, b) => a - b);
    return [
      { name: 'voice webhook p50 (100 calls in progress, callers pausing)', value: round(percentile(paced, 0.5)), unit: 'ms' },
      { name: 'voice webhook p99 (100 calls in progress, callers pausing)', value: round(percentile(paced, 0.99)), unit: 'ms', goal: GOAL_P99_MS },
      { name: `voice webhook p50 (saturated, ${IN_FLIGHT} requests always in flight)`, value: round(percentile(saturated, 0.5)), unit: 'ms' },
      { name: `voice webhook p99 (saturated, ${IN_FLIGHT} requests always in flight)`, value: round(percentile(saturated, 0.99)), unit: 'ms' },
      { name: 'voice webhook requests measured', value: paced.length + saturated.length, unit: 'requests' },
    ];
  } finally {
    await app.close();
  }
}
