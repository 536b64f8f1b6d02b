/** Reminders, language, "Meine Daten", "Daten löschen", linking a shared phone number. */
import type { Language, ReminderChannel } from '../catalog/types.ts';
import { customerMenu, greet } from './menu.ts';
import { normalizePhone } from './phone.ts';
import { newConversation } from './state.ts';
import { choice, type Turn } from './turn.ts';

export function settingsMenu(t: Turn): void {
  t.say('settings.menu');
  t.offer([
    choice('rem:on', 'settings.remindersOn'),
    choice('rem:off', 'settings.remindersOff'),
    choice(t.language === 'de' ? 'lang:en' : 'lang:de', 'settings.otherLanguage'),
    choice('pickup', 'menu.pickup'),
    // On Telegram a shared phone number lets the phone line recognise the customer too.
    ...(t.channel === 'telegram' ? [choice('phone', 'settings.linkPhone')] : []),
    choice('mydata', 'settings.myData'),
    choice('delete', 'settings.deleteData'),
    choice('human', 'menu.human'),
  ]);
}

function needCustomer(t: Turn): boolean {
  if (t.customer) return true;
  t.say('settings.notRegistered');
  return false;
}

/** On: the channel one writes on; phone customers choose a call or an SMS. */
export async function setReminders(t: Turn, on: boolean, channel?: ReminderChannel): Promise<void> {
  if (!needCustomer(t)) return customerMenu(t, { intro: false });
  t.settle();
  let reminderChannel: ReminderChannel | null = null;
  if (on) {
    const native: Partial<Record<string, ReminderChannel>> = { telegram: 'telegram', whatsapp: 'whatsapp' };
    reminderChannel = channel ?? native[t.channel] ?? null;
    if (!reminderChannel) {
      t.say('settings.callOrSms');
      t.offer([choice('rem:call', 'settings.byCall'), choice('rem:sms', 'settings.bySms')]);
      t.ask({ kind: 'reminder_channel' }, 'choice');
      return;
    }
  }
  const customer = await t.market.updateCustomer(t.customer!.id, { reminderChannel, weeklyNews: on });
  t.role = { kind: 'customer', customer };
  t.say(on ? `settings.remindersOnDone.${reminderChannel}` : 'settings.remindersOffDone');
  await customerMenu(t, { intro: false });
}

export async function setLanguage(t: Turn, language: Language): Promise<void> {
  t.settle();
  t.state.language = language;
  if (t.customer) {
    const customer = await t.market.updateCustomer(t.customer.id, { language });
    t.role = { kind: 'customer', customer };
  }
  t.say('settings.languageDone');
  // Someone still to be welcomed hears the welcome and privacy note again, now in their language.
  if (!t.customer && t.role.kind === 'customer') await greet(t);
  else await customerMenu(t, { intro: false });
}

/** Everything stored about the customer, said plainly. */
export async function showMyData(t: Turn): Promise<void> {
  if (!needCustomer(t)) return customerMenu(t, { intro: false });
  const customer = t.customer!;
  const point = customer.preferredPickupPointId
    ? (await t.market.pickupPoints()).find((p) => p.id === customer.preferredPickupPointId)?.name
    : null;
  const orders = await t.market.ordersOf(customer.id);
  t.say('settings.myDataText', {
    name: { raw: customer.name ?? '–' },
    identities: { list: customer.identities.map((i) => ({ raw: `${i.kind}: ${i.value}` })) },
    pickup: { raw: point ?? '–' },
    reminders: { lines: [{ key: customer.reminderChannel ? `settings.channel.${customer.reminderChannel}` : 'settings.channel.none' }] },
    consent: { date: (customer.consentAt ?? customer.createdAt).toISOString() },
    orders: orders.length,
  });
  t.offer([choice('delete', 'settings.deleteData'), choice('menu', 'menu.back')]);
}

export function askDelete(t: Turn): void {
  if (!needCustomer(t)) return;
  t.say('settings.deleteConfirm');
  t.offer([choice('yes', 'settings.deleteYes'), choice('no', 'common.no')], 'yes_no');
  t.ask({ kind: 'delete_confirm' }, 'yes_no');
}

export async function deleteData(t: Turn): Promise<void> {
  const customer = t.customer;
  if (!customer) return;
  await t.market.eraseCustomer(customer.id);
  Object.assign(t.state, newConversation(t.state.language));
  t.role = { kind: 'customer', customer: null };
  t.say('settings.deleted');
}

/** Asks for the sender's own number; Telegram shows its "share phone number" button. */
export function askPhone(t: Turn): void {
  if (!needCustomer(t)) return;
  t.say('settings.sharePhone');
  t.expect = 'phone';
}

/** A contact shared on Telegram: only the sender's own number is linked. */
export async function linkContact(t: Turn, phone: string, own: boolean): Promise<void> {
  if (!own) {
    t.say('settings.contactNotOwn');
    return;
  }
  if (!needCustomer(t)) return;
  const e164 = normalizePhone(phone.startsWith('+') ? phone : `+${phone}`);
  if (!e164) {
    t.say('settings.contactInvalid');
    return;
  }
  await t.market.linkIdentity(t.customer!.id, { kind: 'phone', value: e164 });
  t.say('settings.contactLinked', { phone: e164 });
  await customerMenu(t, { intro: false });
}
