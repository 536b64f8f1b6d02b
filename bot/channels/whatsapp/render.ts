/**
 * Replies → TwiML for WhatsApp. Pure: the same turn always renders the same
 * XML, so it is tested without HTTP. WhatsApp has no buttons via plain TwiML,
 * so choices become a numbered list the customer answers by number.
 */
import { element, response } from '../twilio/twiml.ts';
import type { ChannelContext, RenderedTurn } from '../../types.ts';

/** Twilio refuses a WhatsApp message body longer than this. */
export const WHATSAPP_MESSAGE_LIMIT = 1600;

export type ChannelText = ChannelContext['text'];

/** Splits text into parts of at most `limit` UTF-16 units, preferring line breaks, then spaces. */
export function splitMessage(text: string, limit = WHATSAPP_MESSAGE_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    // A break in the first half of the window would leave a stub; cut at a space or hard instead.
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) {
      cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** The numbered list of choices and the line telling how to answer, e.g. "1) Senfgurken\n2) Leinöl\nAntworten Sie mit 1 oder 2." */
export function choiceList(turn: RenderedTurn, text: ChannelText): string {
  const numbers = turn.choices.map((_, index) => String(index + 1));
  const lines = turn.choices.map((choice, index) =>
    text(turn.language, 'channels:whatsapp.choice', { n: index + 1, label: choice.label }),
  );
  const list = new Intl.ListFormat(turn.language, { type: 'disjunction' }).format(numbers);
  return `${lines.join('\n')}\n${text(turn.language, 'channels:whatsapp.replyWith', { list })}`;
}

/** The WhatsApp messages of a turn: one message with the choices at its end, split only at the limit. */
export function whatsappMessages(turn: RenderedTurn, text: ChannelText): string[] {
  // One turn is one message (split only at the 1,600-character limit), with the choices at its end.
  const parts = turn.messages.filter((message) => message.trim().length > 0);
  if (turn.choices.length > 0) parts.push(choiceList(turn, text));
  return parts.length === 0 ? [] : splitMessage(parts.join('\n\n'));
}

/** A MessagingResponse with one `<Message>` per text; no texts → an empty `<Response/>` (nothing is sent). */
export function renderMessages(messages: string[]): string {
  return response(...messages.map((message) => element('Message', null, message)));
}

/** A rendered turn as TwiML for Twilio's WhatsApp webhook. */
export function renderWhatsApp(turn: RenderedTurn, text: ChannelText): string {
  return renderMessages(whatsappMessages(turn, text));
}
