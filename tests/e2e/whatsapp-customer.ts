/** One WhatsApp customer writing to the real app through signed Twilio webhooks, answers read from the TwiML. */
import { childrenNamed, expectInConversation, postTwilio, sid, WHATSAPP_NUMBER, type E2e } from './app.ts';

/** Twilio's MessageSids are unique across all senders. */
let sentMessages = 0;

/** One WhatsApp customer writing to our number through Twilio. */
export class WhatsAppCustomer {
  readonly transcript: string[] = [];
  /** The message bodies of the last answer. */
  last: string[] = [];

  constructor(private readonly e2e: E2e, readonly e164: string, readonly profileName: string) {}

  /** Sends `body` as Twilio would; `messageSid` lets a test re-deliver an earlier message. */
  writes(body: string, messageSid = sid('SM', ++sentMessages)): Promise<string[]> {
    return this.post({ Body: body, NumMedia: '0' }, body, messageSid);
  }

  /** Sends an attachment of `contentType`, with `caption` as its Body (WhatsApp's caption), as Twilio would. */
  sendsMedia(contentType: string, caption = ''): Promise<string[]> {
    const params = { Body: caption, NumMedia: '1', MediaContentType0: contentType, MediaUrl0: `https://api.twilio.com/media/${++sentMessages}` };
    return this.post(params, `(${contentType})${caption ? ` ${caption}` : ''}`);
  }

  /** Shares a location, as Twilio passes it on: coordinates and no Body. */
  sharesLocation(latitude: number, longitude: number): Promise<string[]> {
    return this.post({ Body: '', NumMedia: '0', Latitude: String(latitude), Longitude: String(longitude) }, `location ${latitude},${longitude}`);
  }

  private async post(fields: Record<string, string>, label: string, messageSid = sid('SM', ++sentMessages)): Promise<string[]> {
    this.transcript.push(`> ${label}`);
    const { twiml } = await postTwilio(this.e2e, '/twilio/whatsapp', {
      MessageSid: messageSid,
      SmsMessageSid: messageSid,
      AccountSid: `AC${'0123456789abcdef'.repeat(2)}`,
      From: `whatsapp:${this.e164}`,
      To: WHATSAPP_NUMBER,
      ...fields,
      ProfileName: this.profileName,
      WaId: this.e164.slice(1),
    });
    this.last = childrenNamed(twiml, 'Message').map((message) => message.text);
    this.transcript.push(...this.last.map((message) => `< ${message}`));
    return this.last;
  }

  /** Answers with the number the last list gives the choice matching `label`, as a customer reading the list would. */
  picks(label: RegExp): Promise<string[]> {
    return this.writes(this.numberOf(label));
  }

  /** The number the last list gives the choice matching `label`. */
  numberOf(label: RegExp): string {
    const lines = this.last.join('\n').split('\n');
    const line = lines.find((candidate) => /^\d+\) /.test(candidate) && label.test(candidate.replace(/^\d+\) /, '')));
    if (!line) throw new Error(`no numbered choice ${label}; conversation so far:\n${this.transcript.join('\n')}`);
    return line.slice(0, line.indexOf(')'));
  }

  hears(pattern: RegExp) {
    expectInConversation(this.transcript, this.last.join('\n'), pattern);
  }
}
