/** Greeting, main menus per role, help, a person, and domain errors as replies. */
import type { DomainError } from '../catalog/errors.ts';
import { askConsent } from './onboarding.ts';
import { choice, type Turn } from './turn.ts';

/** First words of a conversation: who we are, and for a known caller their name. */
export async function greet(t: Turn): Promise<void> {
  t.settle();
  const role = t.role;
  if (role.kind === 'producer') {
    t.say('producer.welcome', { name: { raw: role.producer.name } });
    producerMenu(t);
    return;
  }
  if (role.kind === 'staff') {
    t.say('staff.welcome', { name: { raw: role.staff.name } });
    staffMenu(t);
    return;
  }
  if (t.spoken && !t.identity) {
    t.say('voice.withheld');
    t.ask({ kind: 'phone_number' }, 'phone');
    return;
  }
  const customer = role.customer;
  if (!customer) {
    t.say('onboarding.welcome');
    askConsent(t, null);
    return;
  }
  t.say(customer.name ? 'menu.welcomeBack' : 'menu.welcomeBackAnonymous', { name: { raw: customer.name ?? '' } });
  await customerMenu(t, { intro: false });
}

/** The menu that fits who is speaking. */
export async function mainMenu(t: Turn, options: { intro: boolean }): Promise<void> {
  if (t.role.kind === 'producer') return producerMenu(t);
  if (t.role.kind === 'staff') return staffMenu(t);
  await customerMenu(t, options);
}

/** Customer menu, most used first: last week's basket (when there is one), the offer, the cart, orders. */
export async function customerMenu(t: Turn, options: { intro: boolean }): Promise<void> {
  const customer = t.customer;
  const hasLast = customer ? await t.market.hasOrdered(customer.id) : false;
  if (options.intro) t.say('menu.intro');
  const choices = [];
  if (hasLast) choices.push(choice('repeat_last', 'menu.repeatLast'));
  choices.push(choice('browse', 'menu.browse'));
  if (t.state.cart.length > 0) choices.push(choice('checkout', 'menu.checkout', { count: t.state.cart.length }));
  choices.push(choice('orders', 'menu.orders'));
  if (!t.spoken) choices.push(choice('pickup', 'menu.pickup'), choice('settings', 'menu.settings'));
  t.say(t.spoken ? 'menu.promptSpoken' : 'menu.prompt');
  t.offerMenu(choices);
}

export function producerMenu(t: Turn): void {
  t.say('producer.menu');
  t.offerMenu([choice('stock_help', 'producer.postStock'), choice('my_offers', 'producer.myOffers'), choice('picklist', 'producer.picklist')]);
}

export function staffMenu(t: Turn): void {
  t.say('staff.menu');
  t.offerMenu([choice('handout', 'staff.handout')]);
}

/** What one can say here; an open question stays open and is asked again. */
export async function help(t: Turn): Promise<void> {
  const key = t.role.kind === 'producer' ? 'help.producer' : t.role.kind === 'staff' ? 'help.staff' : t.spoken ? 'help.spoken' : 'help.customer';
  t.say(key);
  const last = t.state.last;
  if (t.state.pending && last) {
    // Asked in the middle of a question: say it again rather than drop it.
    t.replies.push(...last.replies.slice(-1));
    t.offer(last.choices, last.expect);
    return;
  }
  await mainMenu(t, { intro: false });
}

/** "0" or "Mitarbeiter": the office's number, connected on the phone within office hours. */
export async function offerHuman(t: Turn, options: { ask?: boolean } = {}): Promise<void> {
  const { office } = t.deps;
  const open = office.isOpen(t.now);
  const hours = office.hours(t.language);
  if (options.ask) {
    t.say('human.offer', { phone: { digits: office.phone }, hours });
    t.offer([choice('human', 'human.connect'), choice('menu', 'menu.back')]);
    return;
  }
  t.settle();
  if (t.spoken) {
    t.status = 'handoff';
    t.handoff = { phone: office.phone, hours, open };
    t.say(open ? 'human.connecting' : 'human.closed', { hours, phone: { digits: office.phone } });
    if (!open) await mainMenu(t, { intro: false });
    return;
  }
  t.say(open ? 'human.call' : 'human.callLater', { phone: office.phone, hours });
  await mainMenu(t, { intro: false });
}

/** A domain refusal in the user's words. */
export function sayError(t: Turn, error: DomainError): void {
  const details = error.details;
  const params: Record<string, string | number | { raw: string } | { digits: string } | { quantity: number; unit: string }> = {};
  if (typeof details.product === 'string') params.product = { raw: details.product };
  if (typeof details.code === 'string') params.code = { digits: details.code };
  if (typeof details.maximum === 'number' && typeof details.unit === 'string') {
    params.maximum = { quantity: details.maximum, unit: details.unit };
  }
  if (typeof details.step === 'number' && typeof details.unit === 'string') params.step = { quantity: details.step, unit: details.unit };
  params.phone = { digits: t.deps.office.phone };
  t.say(`errors:${error.code}`, params);
}
