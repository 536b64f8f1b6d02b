/** Reminders, language, "Meine Daten", "Daten löschen", linking a shared phone number. */
import { LANGUAGES, type Language, type ReminderChannel } from '../catalog/types.ts';
import { yesNo, yesNoChoices } from './answers.ts';
import { args, declareDialog, oneOf } from './dialog.ts';
import { normalizePhone } from '../catalog/phone.ts';
import { newConversation } from './state.ts';
import { label, type Turn } from './turn.ts';

const my = declareDialog('settings', {
  choices: {
    reminders: { mode: oneOf(['on', 'off', 'call', 'sms'] as const) },
    language: { language: oneOf(LANGUAGES) },
    phone: {},
    myData: {},
    delete: {},
  },
  tags: { reminders: 'rem', language: 'lang', myData: 'mydata' },
  questions: { delete: args(), reminderChannel: args() },
});

function settingsMenu(t: Turn): void {
  t.say('settings.menu');
  t.offer([
    my.choice.reminders.make({ mode: 'on' }, label('settings.remindersOn')),
    my.choice.reminders.make({ mode: 'off' }, label('settings.remindersOff')),
    my.choice.language.make({ language: t.language === 'de' ? 'en' : 'de' }, label('settings.otherLanguage')),
    t.beginChoice('pickup', 'menu.pickup'),
    // On Telegram a shared phone number lets the phone line recognise the customer too.
    ...(t.channel === 'telegram' ? [my.choice.phone.make({}, label('settings.linkPhone'))] : []),
    my.choice.myData.make({}, label('settings.myData')),
    my.choice.delete.make({}, label('settings.deleteData')),
    t.beginChoice('human', 'menu.human'),
  ]);
}

function needCustomer(t: Turn): boolean {
  if (t.customer) return true;
  t.say('settings.notRegistered');
  return false;
}

/** On: the channel one writes on; phone customers choose a call or an SMS. */
async function setReminders(t: Turn, on: boolean, channel?: ReminderChannel): Promise<void> {
  if (!needCustomer(t)) return t.mainMenu();
  t.settle();
  let reminderChannel: ReminderChannel | null = null;
  if (on) {
    const native: Partial<Record<string, ReminderChannel>> = { telegram: 'telegram', whatsapp: 'whatsapp' };
    reminderChannel = channel ?? native[t.channel] ?? null;
    if (!reminderChannel) {
      askReminderChannel(t);
      return;
    }
  }
  const customer = await t.market.updateCustomer(t.customer!.id, { reminderChannel, weeklyNews: on });
  t.role = { kind: 'customer', customer };
  t.say(on ? `settings.remindersOnDone.${reminderChannel}` : 'settings.remindersOffDone');
  await t.mainMenu();
}

function askReminderChannel(t: Turn): void {
  t.say('settings.callOrSms');
  t.offer([my.choice.reminders.make({ mode: 'call' }, label('settings.byCall')), my.choice.reminders.make({ mode: 'sms' }, label('settings.bySms'))]);
  t.ask(my.question.reminderChannel, {}, 'choice');
}

async function setLanguage(t: Turn, language: Language): Promise<void> {
  t.settle();
  t.state.language = language;
  if (t.customer) {
    const customer = await t.market.updateCustomer(t.customer.id, { language });
    t.role = { kind: 'customer', customer };
  }
  t.say('settings.languageDone');
  // Someone still to be welcomed hears the welcome and privacy note again, now in their language.
  if (!t.customer && t.role.kind === 'customer') await t.greet();
  else await t.mainMenu();
}

/** Everything stored about the customer, said plainly. */
async function showMyData(t: Turn): Promise<void> {
  if (!needCustomer(t)) return t.mainMenu();
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
  t.offer([my.choice.delete.make({}, label('settings.deleteData')), t.beginChoice('menu', 'menu.back')]);
}

function askDelete(t: Turn): void {
  if (!needCustomer(t)) return;
  t.say('settings.deleteConfirm');
  t.offer(yesNoChoices('settings.deleteYes', 'common.no'), 'yes_no');
  t.ask(my.question.delete, {}, 'yes_no');
}

async function deleteData(t: Turn): Promise<void> {
  const customer = t.customer;
  if (!customer) return;
  await t.market.eraseCustomer(customer.id);
  Object.assign(t.state, newConversation(t.state.language));
  t.role = { kind: 'customer', customer: null };
  t.say('settings.deleted');
}

/** Asks for the sender's own number; Telegram shows its "share phone number" button. */
function askPhone(t: Turn): void {
  if (!needCustomer(t)) return;
  t.say('settings.sharePhone');
  t.expect = 'phone';
}

/** A contact shared on Telegram: only the sender's own number is linked. */
async function linkContact(t: Turn, phone: string, own: boolean): Promise<void> {
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
  await t.mainMenu();
}

function reminderMode(t: Turn, mode: 'on' | 'off' | 'call' | 'sms'): Promise<void> {
  return setReminders(t, mode !== 'off', mode === 'call' ? 'call' : mode === 'sms' ? 'sms' : undefined);
}

export const settings = my.define({
  begin: (t) => settingsMenu(t),
  onContact: async (t, phone, own) => {
    await linkContact(t, phone, own);
    return true;
  },
  intents: {
    reminders_on: {
      async handle(t) {
        await setReminders(t, true);
        return true;
      },
    },
    reminders_off: {
      async handle(t) {
        await setReminders(t, false);
        return true;
      },
    },
    set_language: {
      async handle(t, input) {
        await setLanguage(t, input.understanding.entities.language ?? (t.state.language === 'de' ? 'en' : 'de'));
        return true;
      },
    },
    my_data: {
      async handle(t) {
        await showMyData(t);
        return true;
      },
    },
    delete_data: {
      handle(t) {
        askDelete(t);
        return true;
      },
    },
  },
  choices: {
    reminders: { handle: (t, { mode }) => reminderMode(t, mode) },
    language: { handle: (t, { language }) => setLanguage(t, language) },
    phone: { handle: askPhone },
    myData: { handle: showMyData },
    delete: { handle: askDelete },
  },
  questions: {
    delete: {
      async answer(t, input) {
        const yes = yesNo(input);
        if (yes === null) return false;
        t.settle();
        if (yes) await deleteData(t);
        else {
          t.say('settings.notDeleted');
          await t.mainMenu();
        }
        return true;
      },
      prompt: askDelete,
    },
    reminderChannel: {
      async answer(t, input) {
        if (input.kind !== 'text') return false;
        const said = input.understanding.normalized;
        if (/\bsms\b/.test(said)) await setReminders(t, true, 'sms');
        else if (/anruf|anrufen|call/.test(said)) await setReminders(t, true, 'call');
        else return false;
        return true;
      },
      prompt: askReminderChannel,
    },
  },
});
