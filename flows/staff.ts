/**
 * Pickup point staff: the point's handout list for today (or the week's coming
 * handouts), finding an order by code or by the customer's name ("Frau
 * Neumann war da", "Neumann"), marking it picked up or not collected, and
 * taking a mark back ("rückgängig", "doch nicht abgeholt").
 */
import type { HandoutOutcome, HandoutResult } from '../catalog/handout.ts';
import type { HandoutEntry } from '../catalog/ports.ts';
import { addLocalDays, utcToZoned, zonedTimeToUtc } from '../catalog/time.ts';
import type { Staff } from '../catalog/types.ts';
import { args, declareDialog, digits, picked } from './dialog.ts';
import { foldUmlauts, normalizeText } from './nlu/normalize.ts';
import { label, type Turn } from './turn.ts';
import type { Reply, ReplyParam } from './types.ts';

const my = declareDialog('staff', {
  choices: { handout: {}, pickedUp: { code: digits }, noShow: { code: digits }, undo: { code: digits } },
  tags: { pickedUp: 'picked', noShow: 'noshow' },
  questions: { marked: args<{ code: string }>() },
});

/** How many orders a list offers as buttons. */
const LIST_CHOICES = 6;
const UNDO = /\b(rueckgaengig|doch nicht|zuruecknehmen|zuruecksetzen|war doch nicht da|undo|take back)\b/;
const NO_SHOW = /\b(nicht (abgeholt|gekommen|erschienen|da gewesen|aufgetaucht)|no ?show|not (picked up|collected)|didn t come)\b/;
const PICKED_UP = /\b(abgeholt|(war|ist) (schon |gerade |eben )?(da|hier)|hat (es |sie |ihre bestellung )?(ab)?geholt|ausgegeben|picked up|collected|was here)\b/;
/** "Frau Neumann": the message is about a customer, found or not. */
const TITLE = /\b(frau|herr|fr|hr|familie|mrs|mr|ms)\b/;
/** Words around a name in "Frau Neumann war schon da" that are not part of it. */
const NOT_NAME = new Set(`
  frau herr fr hr familie mrs mr ms war ist hat schon gerade eben da hier abgeholt geholt ab holt kommt gekommen nicht
  erschienen bestellung bestellungen von die der das fuer bitte wo mal noch auch und ihre seine sie er es ausgegeben
  picked up collected was here has the order of for no show didn t come
`.split(/\s+/).filter(Boolean));

export function staffMenu(t: Turn): void {
  t.say('staff.menu');
  t.offerMenu([my.choice.handout.make({}, label('staff.handout')), t.beginChoice('shopping', 'shopping.shop')]);
}

function staffOf(t: Turn): Staff {
  if (t.role.kind !== 'staff') throw new Error('staff flow without staff');
  return t.role.staff;
}

function startOfLocalDay(at: Date): Date {
  const { year, month, day } = utcToZoned(at);
  return zonedTimeToUtc({ year, month, day, hour: 0, minute: 0 });
}

const isOpen = (entry: HandoutEntry) => entry.status === 'placed' || entry.status === 'ready';

function entryLine(entry: HandoutEntry, withDay: boolean): Reply {
  return {
    key: `staff.entry.${entry.status}`,
    params: {
      code: { digits: entry.orderCode },
      name: { raw: entry.customerName ?? '–' },
      day: { lines: withDay ? [{ key: 'staff.day', params: { date: { date: entry.pickupFrom.toISOString() } } }] : [] },
      items: { list: entry.items.map((i) => ({ lines: [{ key: 'staff.item', params: { amount: { quantity: i.quantity, unit: i.unit }, product: { raw: i.productName } } }] })) },
    },
  };
}

/** Buttons for the open orders shown: "10017 abgeholt". */
function markChoices(entries: HandoutEntry[]) {
  return entries.filter(isOpen).slice(0, LIST_CHOICES).map((e) =>
    my.choice.pickedUp.make({ code: e.orderCode }, label('staff.markChoice', { code: { digits: e.orderCode }, name: { raw: e.customerName ?? '' } })));
}

/** Today's list, named by point and day; when nothing is due today, the week's coming handouts with their days. */
async function showHandoutList(t: Turn): Promise<void> {
  const staff = staffOf(t);
  const from = startOfLocalDay(t.now);
  let { point, entries } = await t.deps.handout.list(staff, { from, to: addLocalDays(from, 1) });
  const today = entries.length > 0;
  if (!today) ({ point, entries } = await t.deps.handout.list(staff, { from: t.now }));
  const params = { point: { raw: point.name }, date: { date: t.now.toISOString() } };
  if (entries.length === 0) {
    t.say('staff.none', params);
    staffMenu(t);
    return;
  }
  t.say(today ? 'staff.today' : 'staff.week', { ...params, count: entries.length, lines: { lines: entries.map((e) => entryLine(e, !today)) } });
  const example = entries.find(isOpen);
  if (example) t.say('staff.howToMark', { code: { digits: example.orderCode }, name: { raw: surname(example.customerName) } });
  t.offer(markChoices(entries));
}

function surname(name: string | null): string {
  return (name ?? '').trim().split(/\s+/).pop() ?? '';
}

/** Says what became of a mark or an undo, and offers the way back after a mark. */
function tell(t: Turn, result: HandoutResult, action: HandoutOutcome | 'undo'): void {
  const code: ReplyParam = { digits: result.kind === 'done' ? result.order.code : result.code };
  switch (result.kind) {
    case 'done': {
      if (action === 'undo') {
        t.say('staff.undone', { code });
        staffMenu(t);
        return;
      }
      t.say(action === 'picked_up' ? 'staff.pickedUp' : 'staff.noShow', { code });
      t.offer([my.choice.undo.make({ code: result.order.code }, label('staff.undo')), my.choice.handout.make({}, label('staff.handout'))]);
      t.ask(my.question.marked, { code: result.order.code }, 'choice');
      return;
    }
    case 'unknown':
      t.say('staff.unknownOrder', { code });
      break;
    case 'other_point':
      t.say('staff.otherPoint', { code, point: { raw: result.pointName } });
      break;
    case 'too_early':
      t.say('staff.tooEarly', { code, date: { date: result.pickupFrom.toISOString() } });
      break;
    case 'unchanged':
      t.say(action === 'undo' ? 'staff.nothingToUndo' : `staff.already.${result.status}`, { code });
      break;
  }
  staffMenu(t);
}

async function mark(t: Turn, code: string | null, outcome: HandoutOutcome): Promise<void> {
  if (!code) {
    t.say('staff.whichCode');
    return;
  }
  tell(t, await t.deps.handout.mark(staffOf(t), code, outcome), outcome);
}

async function undo(t: Turn, code: string): Promise<void> {
  t.settle();
  tell(t, await t.deps.handout.undo(staffOf(t), code), 'undo');
}

/** The order code in a message: the recogniser's, else four to six digits. */
function codeIn(text: string, found: string | null): string | null {
  return found ?? /\b(\d{4,6})\b/.exec(text)?.[1] ?? null;
}

/** "Frau Neumann war schon da", "Neumann", "Herr Wolf nicht gekommen". */
async function byName(t: Turn, folded: string): Promise<boolean> {
  const words = normalizeText(folded).split(' ').filter((word) => /\p{L}{2,}/u.test(word) && !NOT_NAME.has(word));
  const titled = TITLE.test(folded);
  if (words.length === 0 || words.length > 3) return false;
  const { entries } = await t.deps.handout.list(staffOf(t));
  // Every word the staff wrote is one of the customer's names: "Krüger", "Clara Krüger", "Krueger".
  const found = entries.filter((entry) => {
    const names = foldUmlauts(normalizeText(entry.customerName ?? '')).split(' ');
    return words.every((word) => names.includes(word));
  });
  if (found.length === 0) {
    // "Noack war da": said as a handout, so it is a name even when it sounds like a producer.
    if (!titled && !PICKED_UP.test(folded) && !NO_SHOW.test(folded)) return false;
    t.say('staff.nameUnknown', { name: { raw: words.map((word) => word[0].toUpperCase() + word.slice(1)).join(' ') } });
    staffMenu(t);
    return true;
  }
  const open = found.filter(isOpen);
  const outcome: HandoutOutcome | null = NO_SHOW.test(folded) ? 'no_show' : PICKED_UP.test(folded) ? 'picked_up' : null;
  if (outcome && found.length === 1) {
    await mark(t, found[0].orderCode, outcome);
    return true;
  }
  t.say('staff.found', { count: found.length, lines: { lines: found.map((entry) => entryLine(entry, true)) } });
  const [only] = open;
  if (open.length === 1) {
    t.offer([
      my.choice.pickedUp.make({ code: only.orderCode }, label('staff.markChoice', { code: { digits: only.orderCode }, name: { raw: only.customerName ?? '' } })),
      my.choice.noShow.make({ code: only.orderCode }, label('staff.noShowChoice', { code: { digits: only.orderCode } })),
    ]);
  } else {
    t.offer(markChoices(found));
  }
  return true;
}

/** A staff member's message before the recogniser's intents: taking a mark back, or a customer's name. */
async function staffMessage(t: Turn, text: string, code: string | null): Promise<boolean> {
  const folded = foldUmlauts(normalizeText(text));
  if (UNDO.test(folded)) {
    if (code) await undo(t, code);
    else t.say('staff.whichUndo');
    return true;
  }
  if (code) return false;
  return byName(t, folded);
}

const STAFF = ['staff'] as const;

export const staff = my.define({
  phrases: [
    {
      roles: [...STAFF],
      matches: () => true,
      handle: (t, input) => staffMessage(t, input.text, codeIn(input.text, input.understanding.entities.orderCode)),
    },
  ],
  intents: {
    handout_list: {
      roles: [...STAFF],
      async handle(t) {
        await showHandoutList(t);
        return true;
      },
    },
    mark_picked_up: {
      roles: [...STAFF],
      async handle(t, input) {
        await mark(t, codeIn(input.text, input.understanding.entities.orderCode), 'picked_up');
        return true;
      },
    },
    mark_no_show: {
      roles: [...STAFF],
      async handle(t, input) {
        await mark(t, codeIn(input.text, input.understanding.entities.orderCode), 'no_show');
        return true;
      },
    },
  },
  choices: {
    handout: { roles: [...STAFF], handle: (t) => showHandoutList(t.settle()) },
    pickedUp: { roles: [...STAFF], handle: (t, { code }) => mark(t.settle(), code, 'picked_up') },
    noShow: { roles: [...STAFF], handle: (t, { code }) => mark(t.settle(), code, 'no_show') },
    undo: { roles: [...STAFF], handle: (t, { code }) => undo(t, code) },
  },
  questions: {
    // Right after a mark, "rückgängig" or "doch nicht abgeholt" needs no code.
    marked: {
      async answer(t, input, { code }) {
        const button = picked(input, my.choice.undo);
        if (button) {
          await undo(t, button.code);
          return true;
        }
        if (input.kind !== 'text' || !UNDO.test(foldUmlauts(normalizeText(input.text)))) return false;
        await undo(t, codeIn(input.text, input.understanding.entities.orderCode) ?? code);
        return true;
      },
      prompt: (t) => staffMenu(t),
    },
  },
});
