/**
 * Where every conversation comes home: the greeting, the main menu per role,
 * help, a person, and goodbye. Nothing imports this module; other dialogs reach
 * it through the turn (`t.mainMenu()`, `t.greet()`) or begin it by id.
 */
import { repeatLastChoice } from './checkout.ts';
import { declareDialog, type Dialog } from './dialog.ts';
import { screenCaller } from './identity.ts';
import { producerMenu } from './producer.ts';
import { staffMenu } from './staff.ts';
import type { Home, Turn } from './turn.ts';
import type { UnsupportedKind } from './types.ts';

/** First words of a conversation: who we are, and for a known caller their name. */
async function greet(t: Turn): Promise<void> {
  t.reset();
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
  if (await screenCaller(t, { greeting: true })) return;
  const customer = role.customer;
  if (!customer) {
    t.say('onboarding.welcome');
    await t.begin('onboarding');
    return;
  }
  t.say(customer.name ? 'menu.welcomeBack' : 'menu.welcomeBackAnonymous', { name: { raw: customer.name ?? '' } });
  await customerMenu(t, { intro: false });
}

/** The menu that fits who is speaking. */
async function mainMenu(t: Turn, options: { intro: boolean }): Promise<void> {
  if (t.role.kind === 'producer') return producerMenu(t);
  if (t.role.kind === 'staff') return staffMenu(t);
  if (await screenCaller(t, { greeting: false })) return;
  await customerMenu(t, options);
}

/** Customer menu, most used first: last week's basket (when there is one), the offer, the cart, orders. */
async function customerMenu(t: Turn, options: { intro: boolean }): Promise<void> {
  const customer = t.customer;
  // "Wie letzte Woche" only repeats an earlier week; an order placed this week is changed, not placed twice.
  const repeatable = customer ? await t.market.repeatable(customer.id) : null;
  const hasLast = repeatable !== null && repeatable.earlier && repeatable.thisWeek === null;
  if (options.intro) t.say('menu.intro');
  const choices = [];
  if (hasLast) choices.push(repeatLastChoice());
  choices.push(t.beginChoice('browse', 'menu.browse'));
  if (t.state.cart.length > 0) choices.push(t.beginChoice('checkout', 'menu.checkout', { count: t.state.cart.length }));
  choices.push(t.beginChoice('orders', 'menu.orders'));
  if (!t.spoken) choices.push(t.beginChoice('pickup', 'menu.pickup'), t.beginChoice('settings', 'menu.settings'));
  if (t.state.shopping) choices.push(t.beginChoice('work', 'shopping.backToWork'));
  t.say(t.spoken ? 'menu.promptSpoken' : 'menu.prompt');
  t.offerMenu(choices);
}

/** What one can say here; an open question stays open and is asked again. */
async function help(t: Turn): Promise<void> {
  const key = t.role.kind === 'producer' ? 'help.producer' : t.role.kind === 'staff' ? 'help.staff' : t.spoken ? 'help.spoken' : 'help.customer';
  t.say(key);
  await backToWhereWeWere(t);
}

/** "Bis wann kann ich bestellen?": this week's cutoff as a day, date and time, or that it has passed (asked on the side: the engine asks the open question again). */
async function deadline(t: Turn): Promise<void> {
  const week = await t.market.currentWeek().catch(() => null);
  if (week && week.open) {
    const at = week.cycle.cutoffAt.toISOString();
    t.say('menu.deadline', { date: { date: at }, time: { time: at } });
  } else {
    t.say('menu.deadlinePassed', { phone: { phone: t.deps.office.phone } });
  }
}

/** A voice note, a photo without words, an edit …: what to do instead, and the open question again. */
async function cannotUse(t: Turn, what: UnsupportedKind | 'location'): Promise<void> {
  t.say(`media.${what}`, { phone: { phone: t.deps.office.phone } });
  await backToWhereWeWere(t);
}

/** After an answer on the side: the open question again, or the menu. */
async function backToWhereWeWere(t: Turn): Promise<void> {
  const last = t.state.last;
  if (t.question && last) {
    // Asked in the middle of a question: say it again rather than drop it.
    t.replies.push(...last.replies.slice(-1));
    t.reoffer(last.choices, last.expect);
    return;
  }
  await mainMenu(t, { intro: false });
}

/** "0" or "Mitarbeiter": the office's number, connected on the phone within office hours. */
async function offerHuman(t: Turn, options: { ask?: boolean } = {}): Promise<void> {
  const { office } = t.deps;
  const open = office.isOpen(t.now);
  const hours = office.hours(t.language);
  if (options.ask) {
    if (t.spoken && !open) {
      // Nobody can answer now: a person is offered only as a call back, and only to a number we can call.
      if (t.identity?.kind !== 'phone') {
        t.say('human.closed', { hours, phone: { phone: office.phone } });
        await mainMenu(t, { intro: false });
        return;
      }
      t.say('human.offerCallback');
      t.offer([t.beginChoice('human', 'human.callMeBack'), t.beginChoice('menu', 'menu.back')]);
      return;
    }
    t.say('human.offer', { phone: { phone: office.phone }, hours });
    t.offer([t.beginChoice('human', 'human.connect'), t.beginChoice('menu', 'menu.back')]);
    return;
  }
  t.settle();
  if (t.spoken && open) {
    t.status = 'handoff';
    t.handoff = { phone: office.phone, hours, open };
    t.say('human.connecting');
    return;
  }
  if (t.spoken) {
    // Nobody can answer now: a caller we know is called back when the office opens.
    const opens = office.nextOpening(t.now);
    const phone = t.identity?.kind === 'phone' ? t.identity.value : null;
    if (phone && opens) {
      await t.market.requestCallback({ phone, name: t.customer?.name ?? null, language: t.language, officePhone: office.phone, dueAt: opens });
      t.say('human.callback', { date: { date: opens.toISOString() }, from: { time: opens.toISOString() } });
    } else {
      t.say('human.closed', { hours, phone: { phone: office.phone } });
    }
    await mainMenu(t, { intro: false });
    return;
  }
  t.say(open ? 'human.call' : 'human.callLater', { phone: office.phone, hours });
  await mainMenu(t, { intro: false });
}

export const home: Home = { greet, mainMenu, help, offerHuman, cannotUse, backToWhereWeWere };

/** Back to the menu, leaving whatever was open. */
const menu = declareDialog('menu', {}).define({
  begin: (t) => mainMenu(t, { intro: false }),
  intents: {
    greet: {
      async handle(t) {
        await greet(t);
        return true;
      },
    },
    cancel: {
      async handle(t) {
        t.say('common.cancelled');
        await mainMenu(t, { intro: false });
        return true;
      },
    },
    back: {
      async handle(t) {
        t.say('common.back');
        await mainMenu(t, { intro: false });
        return true;
      },
    },
    human: {
      async handle(t) {
        await offerHuman(t);
        return true;
      },
    },
    ask_deadline: {
      async handle(t) {
        await deadline(t);
        return true;
      },
    },
    thanks: {
      async handle(t) {
        t.say('common.welcome');
        await mainMenu(t, { intro: false });
        return true;
      },
    },
    yes: {
      async handle(t) {
        await mainMenu(t, { intro: false });
        return true;
      },
    },
    no: {
      async handle(t) {
        await mainMenu(t, { intro: false });
        return true;
      },
    },
  },
  choices: {},
  questions: {},
});

/** "Mit einem Menschen sprechen". */
const human = declareDialog('human', {}).define({ begin: (t) => offerHuman(t), choices: {}, questions: {} });

/** Hanging up on the phone. */
const bye = declareDialog('bye', {}).define({
  begin(t) {
    t.say('common.bye');
    t.status = 'ended';
  },
  choices: {},
  questions: {},
});

/** The greeting again. */
const helpAgain = declareDialog('help', {}).define({ begin: greet, choices: {}, questions: {} });

export const homeDialogs: Dialog[] = [menu, human, bye, helpAgain];
