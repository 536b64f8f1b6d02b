/**
 * A rendered turn → TwiML for the phone line. Pure (tested without HTTP).
 * Written for elderly callers: everything is said inside a `<Gather>` so a
 * keypress or a word interrupts it, every choice is named with its digit and
 * its word, and silence leads back to the prompt instead of a hang-up.
 */
import twilio from 'twilio';
import type { Language } from '../../../catalog/types.ts';
import type { ChannelContext, RenderedTurn } from '../../types.ts';

type VoiceResponse = InstanceType<typeof twilio.twiml.VoiceResponse>;
type GatherAttributes = Parameters<VoiceResponse['gather']>[0];
type SayAttributes = Parameters<VoiceResponse['say']>[0];

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

function sayAttributesFor(language: Language, voice: Record<Language, string>): SayAttributes {
  // Voices are configurable, so any Polly or Google voice name is passed through as is.
  return { voice: voice[language] as SayAttributes['voice'], language: SPEECH_LANGUAGE[language] };
}

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

function gatherAttributes(turn: RenderedTurn, options: VoiceRenderOptions): GatherAttributes {
  const action = gatherUrl(options.baseUrl, options.nextStep);
  const attributes: GatherAttributes = {
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
  const response = new twilio.twiml.VoiceResponse();
  const language = turn.language;
  const sayAttributes = sayAttributesFor(language, options.voice);
  const chrome = (key: string, params?: Record<string, string | number>) =>
    speakable(options.text(language, `channels:voice.${key}`, params));
  const messages = turn.messages.map(speakable).filter((message) => message.trim().length > 0);

  if (turn.status === 'ended') {
    for (const message of messages) response.say(sayAttributes, message);
    response.hangup();
    return response.toString();
  }

  // The engine decided whether the office is open and said so; the line only dials.
  if (turn.status === 'handoff' && turn.handoff?.open) {
    for (const message of messages) response.say(sayAttributes, message);
    response.dial({ timeout: DIAL_TIMEOUT_SECONDS }, turn.handoff.phone);
    // Reached only when nobody picks up in the office.
    response.say(sayAttributes, chrome('noAnswer'));
    response.hangup();
    return response.toString();
  }

  const gather = response.gather(gatherAttributes(turn, options));
  // After two misunderstandings the prompt is said again more slowly (SSML prosody inside <Say>).
  const say = turn.slow
    ? (text: string) => gather.say(sayAttributes, '').prosody({ rate: 'slow' }, text)
    : (text: string) => gather.say(sayAttributes, text);
  for (const message of messages) say(message);
  // One choice a sentence, its label first: "Eier: die 3."
  turn.choices.slice(0, MAX_SPOKEN_CHOICES).forEach((choice, index) => {
    say(chrome('press', { n: index + 1, label: speakable(choice.label) }));
  });
  // While a number is keyed in, 9 and 0 are digits, not "repeat" and "a person".
  if (expectsDigits(turn)) say(chrome('finishWithHash'));
  else if (turn.choices.length > 0 && (turn.menu || turn.slow || options.nextStep <= 1)) {
    // Once per menu, not after every list; 0 only while someone can answer.
    say(chrome(turn.reachable === false ? 'menuHelpClosed' : 'menuHelp'));
  }
  response.redirect({ method: 'POST' }, gatherUrl(options.baseUrl, options.nextStep, 'silence'));
  return response.toString();
}

/** Sends Twilio back for the last prompt without a turn: for a re-delivered step, after an optional notice and pause. */
export function renderReplay(options: {
  baseUrl: string;
  step: number;
  notice?: { text: string; language: Language; voice: Record<Language, string> };
  pauseSeconds?: number;
}): string {
  const response = new twilio.twiml.VoiceResponse();
  if (options.notice) response.say(sayAttributesFor(options.notice.language, options.notice.voice), options.notice.text);
  if (options.pauseSeconds) response.pause({ length: options.pauseSeconds });
  response.redirect({ method: 'POST' }, gatherUrl(options.baseUrl, options.step, 'replay'));
  return response.toString();
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
  const sayAttributes = sayAttributesFor(language, options.voice);
  const response = new twilio.twiml.VoiceResponse();
  response
    .gather({
      input: ['speech', 'dtmf'],
      action: gatherUrl(options.baseUrl, options.step),
      method: 'POST',
      language: SPEECH_LANGUAGE[language],
      timeout: GATHER_TIMEOUT_SECONDS,
      speechTimeout: 'auto',
    })
    .say(sayAttributes, options.text(language, 'channels:unavailable'));
  response.say(sayAttributes, options.text(language, 'channels:voice.failure'));
  response.hangup();
  return response.toString();
}

/** An apology and a hang-up, for when a turn failed on our side. */
export function renderFailure(text: string, language: Language, voice: Record<Language, string>): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(sayAttributesFor(language, voice), text);
  response.hangup();
  return response.toString();
}
