/** First contact: the privacy note with consent, a name for the pickup list, a usual pickup point. */
import { startCheckout } from './checkout.ts';
import { customerMenu } from './menu.ts';
import { askPickupPoint } from './pickup.ts';
import { choice, type Turn } from './turn.ts';

/** One sentence on what we store and why, then yes or no. */
export function askConsent(t: Turn, then: 'checkout' | null): void {
  t.say('onboarding.privacy');
  t.offer([choice('yes', 'onboarding.agree'), choice('no', 'onboarding.decline')], 'yes_no');
  t.ask({ kind: 'consent', then }, 'yes_no');
}

/** The answer to the privacy note. Without consent one can still browse, but not order. */
export async function answerConsent(t: Turn, agreed: boolean, then: 'checkout' | null): Promise<void> {
  t.settle();
  if (!agreed) {
    t.say('onboarding.declined');
    await customerMenu(t, { intro: false });
    return;
  }
  const identity = t.identity;
  if (!identity) {
    t.say('voice.withheld');
    t.ask({ kind: 'phone_number' }, 'phone');
    return;
  }
  const customer = await t.market.registerCustomer(identity, { language: t.state.language, name: null });
  t.role = { kind: 'customer', customer };
  t.state.customerId = customer.id;
  t.say('onboarding.thanks');
  askName(t, then);
}

export function askName(t: Turn, then: 'checkout' | null): void {
  t.say(t.spoken ? 'onboarding.askNameSpoken' : 'onboarding.askName');
  if (t.profileName) t.offer([choice('name:profile', 'onboarding.useProfileName', { name: { raw: t.profileName.slice(0, 40) } })], 'text');
  if (t.spoken) t.offer([choice('name:skip', 'onboarding.skipName')], 'text');
  t.ask({ kind: 'name', then }, 'text');
}

/** Stores the name (or none) and goes on to the pickup point or back to checkout. */
export async function answerName(t: Turn, name: string | null, then: 'checkout' | null): Promise<void> {
  const customer = t.customer;
  if (!customer) return;
  t.settle();
  if (name) {
    const updated = await t.market.updateCustomer(customer.id, { name });
    t.role = { kind: 'customer', customer: updated };
    t.say('onboarding.hello', { name: { raw: updated.name ?? '' } });
  }
  if (then === 'checkout') {
    await startCheckout(t);
    return;
  }
  if (customer.preferredPickupPointId === null) {
    await askPickupPoint(t, 'settings');
    return;
  }
  await customerMenu(t, { intro: true });
}
