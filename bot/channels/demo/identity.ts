/**
 * Who a tester plays on the test page and in the terminal chat. A customer is
 * known by phone number, so the chat and the phone simulator with the same
 * number are the same customer; producer and staff are the demo week's own.
 */
import { DEMO_PRODUCER_IDENTITY, DEMO_STAFF_IDENTITY } from '../../../catalog/demo-week.ts';
import type { Identity } from '../../../catalog/types.ts';

export const DEMO_ROLES = ['customer', 'producer', 'staff'] as const;
export type DemoRole = (typeof DEMO_ROLES)[number];

/** The identity a tester speaks as; `customerPhone` (E.164) matters only for a customer. */
export function demoIdentity(role: DemoRole, customerPhone: string): Identity {
  switch (role) {
    case 'customer':
      return { kind: 'phone', value: customerPhone };
    case 'producer':
      return { kind: 'telegram', value: DEMO_PRODUCER_IDENTITY.telegramId };
    case 'staff':
      return { kind: 'telegram', value: DEMO_STAFF_IDENTITY.telegramId };
  }
}
