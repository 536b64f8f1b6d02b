/** A caller who wanted a person while the office was closed: the office calls back when it opens. */
import type { OutboxKind } from '../outbox.ts';
import { utcToZoned } from '../time.ts';
import type { Language } from '../types.ts';
import type { MarketplaceDeps } from './week.ts';

export interface CallbackRequest {
  /** The caller's number as the phone line knows it (caller ID or a verified number). */
  phone: string;
  name: string | null;
  language: Language;
  /** Where the office reads its requests (an SMS to the office phone). */
  officePhone: string;
  /** When the office opens: the request is sent then, not at night. */
  dueAt: Date;
}

export interface Callbacks {
  /** Puts a callback request on the office's outbox; one per caller and day. True when it is new. */
  requestCallback(request: CallbackRequest): Promise<boolean>;
}

const KIND: OutboxKind = 'callback_request';

function berlinStamp(at: Date): { day: string; time: string } {
  const { year, month, day, hour, minute } = utcToZoned(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { day: `${year}-${pad(month)}-${pad(day)}`, time: `${pad(day)}.${pad(month)}. ${pad(hour)}:${pad(minute)}` };
}

export function callbacksOver({ repos, clock }: MarketplaceDeps): Callbacks {
  return {
    async requestCallback(request) {
      const now = clock.now();
      const stamp = berlinStamp(now);
      const inserted = await repos.outbox.enqueue([{
        key: `callback:${request.phone}:${stamp.day}`,
        kind: KIND,
        customerId: null,
        recipient: { channel: 'sms', address: request.officePhone },
        // The office reads German.
        language: 'de',
        payload: { key: 'callbackRequest', params: { phone: request.phone, name: request.name ?? '–', requested: stamp.time, language: request.language } },
        dueAt: request.dueAt,
        notAfter: null,
      }]);
      return inserted > 0;
    },
  };
}
