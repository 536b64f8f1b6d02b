/**
 * A rendered turn → TwiML for the phone line. Pure (tested without HTTP).
 * Written for elderly callers: everything is said inside a `<Gather>` so a
 * keypress or a word interrupts it, every choice is named with its digit and
 * its word, and silence leads back to the prompt instead of a hang-up.
 */
import type { Language } from '../../../catalog/types.ts';
import type { ChannelContext, RenderedTurn } from '../../types.ts';
import { element, response, type Attributes, type Markup } from '../twilio/twiml.ts';

/** How a `<Say>` speaks: the voice's name (any Polly or Google voice, passed through as is) and its language. */
export interface SayAttributes extends Attributes {
  voice: string;
  language: string;
}

export const SPEECH_LANGUAGE: Record<Language, 'de-DE' | 'en-GB'> = { de: 'de-DE', en: 'en-GB' };
/** More than four options are more than a caller keeps in mind. */
export const MAX_SPOKEN_CHOICES = 4;
/** Twilio accepts up to 500 hints of at most 100 characters; a short list recognises better. */
const MAX_HINTS = 100;
const GATHER_TIMEOUT_SECONDS = 8;
const DIAL_TIMEOUT_SECONDS = 30;

export interface VoiceRenderOptions {
  /** Public base URL; action and redirect URLs are absolute so a path prefix at the proxy still works. */
  baseUrl: string;
  /** The step number of the caller's next answer. */
  nextStep: number;
  /** Polly voice per language, e.g. { de: 'Polly.Vicki-Neural', en: 'Polly.Amy-Neural' }. */
  voice: Record<Language, string>;
  text: ChannelContext['text'];
  speechModel?: string;
}

/** The webhook URL of step `step` of the phone dialogue. */
export function gatherUrl(baseUrl: string, step: number, flag?: 'silence' | 'replay'): string {
  return `${baseUrl}/twilio/voice/gather?step=${step}${flag ? `&${flag}=1` : ''}`;
}

/** How a call's `<Say>` speaks in `language`. */
export function sayAttributes(language: Language, voice: Record<Language, string>): SayAttributes {
  return { voice: voice[language], language: SPEECH_LANGUAGE[language] };
}

/** `<Say>` of `text`; slowly (SSML prosody inside the `<Say>`) when `slow`. */
export function say(attributes: SayAttributes, text: string, slow = false): Markup {
  return slow ? element('Say', attributes, element('prosody', { rate: 'slow' }, text)) : element('Say', attributes, text);
}

/** Twilio fetches the next TwiML from `url`. */
export function redirect(url: string): Markup {
  return element('Redirect', { method: 'POST' }, url);
}

export const hangup = (): Markup => element('Hangup', null);

// Templates may mark *bold* for chat; a voice would read the asterisks or stumble over them.
const speakable = (text: string) => text.replaceAll('*', '');

function speechHints(turn: RenderedTurn): string | undefined {
  // Twilio separates hints by commas, so a comma inside a hint would split it.
  const hints = new Set(
    turn.speechHints.map((hint) => hint.replaceAll(',', ' ').replace(/\s+/g, ' ').trim().slice(0, 100)).filter(Boolean),
  );
  return hints.size > 0 ? [...hints].slice(0, MAX_HINTS).join(', ') : undefined;
}

function expectsDigits(turn: RenderedTurn): boolean {
  return turn.expect === 'number' || turn.expect === 'phone';
}

function gatherAttributes(turn: RenderedTurn, options: VoiceRenderOptions): Attributes {
  const action = gatherUrl(options.baseUrl, options.nextStep);
  const attributes: Record<string, Attributes[string]> = {
    input: ['speech', 'dtmf'],
    action,
    method: 'POST',
    actionOnEmptyResult: true,
    language: SPEECH_LANGUAGE[turn.language],
    timeout: GATHER_TIMEOUT_SECONDS,
    speechTimeout: 'auto',
  };
  const hints = speechHints(turn);
  if (hints) attributes.hints = hints;
  if (options.speechModel) attributes.speechModel = options.speechModel;
  if (expectsDigits(turn)) attributes.finishOnKey = '#';
  // One key picks a choice at once; without it Twilio waits the full timeout after the press.
  else if (turn.choices.length > 0) attributes.numDigits = 1;
  return attributes;
}

/** Turns a rendered turn into the TwiML Twilio plays to the caller. */
export function renderVoice(turn: RenderedTurn, options: VoiceRenderOptions): string {
  const language = turn.language;
  const voice = sayAttributes(language, options.voice);
  const chrome = (key: string, params?: Record<string, string | number>) =>
    speakable(options.text(language, `channels:voice.${key}`, params));
  const messages = turn.messages.map(speakable).filter((message) => message.trim().length > 0);
  const said = messages.map((message) => say(voice, message));

  if (turn.status === 'ended') return response(...said, hangup());

  // The engine decided whether the office is open and said so; the line only dials.
  if (turn.status === 'handoff' && turn.handoff?.open) {
    return response(
      ...said,
      element('Dial', { timeout: DIAL_TIMEOUT_SECONDS }, turn.handoff.phone),
      // Reached only when nobody picks up in the office.
      say(voice, chrome('noAnswer')),
      hangup(),
    );
  }

  // After two misunderstandings the prompt is said again more slowly.
  const prompt = turn.slow ? messages.map((message) => say(voice, message, true)) : said;
  // One choice a sentence, its label first: "Eier: die 3."
  turn.choices.slice(0, MAX_SPOKEN_CHOICES).forEach((choice, index) => {
    prompt.push(say(voice, chrome('press', { n: index + 1, label: speakable(choice.label) }), turn.slow));
  });
  // While a number is keyed in, 9 and 0 are digits, not "repeat" and "a person".
  if (expectsDigits(turn)) prompt.push(say(voice, chrome('finishWithHash'), turn.slow));
  else if (turn.choices.length > 0 && (turn.menu || turn.slow || options.nextStep <= 1)) {
    // Once per menu, not after every list; 0 only while someone can answer.
    prompt.push(say(voice, chrome(turn.reachable === false ? 'menuHelpClosed' : 'menuHelp'), turn.slow));
  }
  return response(
    element('Gather', gatherAttributes(turn, options), ...prompt),
    redirect(gatherUrl(options.baseUrl, options.nextStep, 'silence')),
  );
}

/** Sends Twilio back for the last prompt without a turn: for a re-delivered step, after an optional notice and pause. */
export function renderReplay(options: {
  baseUrl: string;
  step: number;
  notice?: { text: string; language: Language; voice: Record<Language, string> };
  pauseSeconds?: number;
}): string {
  const { notice, pauseSeconds } = options;
  return response(
    ...(notice ? [say(sayAttributes(notice.language, notice.voice), notice.text)] : []),
    ...(pauseSeconds ? [element('Pause', { length: pauseSeconds })] : []),
    redirect(gatherUrl(options.baseUrl, options.step, 'replay')),
  );
}

/**
 * For a step that could not be answered because the database is away: "try
 * again" inside a `<Gather>` that posts to the same step, so the caller's next
 * answer is taken as this step's (nothing of it was recorded); without an answer,
 * the farewell and a hang-up, so a line left alone does not loop.
 */
export function renderUnavailable(options: {
  baseUrl: string;
  step: number;
  language: Language;
  voice: Record<Language, string>;
  text: ChannelContext['text'];
}): string {
  const { language } = options;
  const voice = sayAttributes(language, options.voice);
  const gather = {
    input: ['speech', 'dtmf'],
    action: gatherUrl(options.baseUrl, options.step),
    method: 'POST',
    language: SPEECH_LANGUAGE[language],
    timeout: GATHER_TIMEOUT_SECONDS,
    speechTimeout: 'auto',
  };
  return response(
    element('Gather', gather, say(voice, options.text(language, 'channels:unavailable'))),
    say(voice, options.text(language, 'channels:voice.failure')),
    hangup(),
  );
}

/** An apology and a hang-up, for when a turn failed on our side. */
export function renderFailure(text: string, language: Language, voice: Record<Language, string>): string {
  return response(say(sayAttributes(language, voice), text), hangup());
}
