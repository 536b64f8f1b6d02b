/** Pickup point staff: today's handout list, "abgeholt 10017", no-shows. */
import { addLocalDays, utcToZoned, zonedTimeToUtc } from '../catalog/time.ts';
import type { Staff } from '../catalog/types.ts';
import { declareDialog, digits } from './dialog.ts';
import { label, type Turn } from './turn.ts';

const my = declareDialog('staff', {
  choices: { handout: {}, pickedUp: { code: digits }, noShow: { code: digits } },
  tags: { pickedUp: 'picked', noShow: 'noshow' },
});

export function staffMenu(t: Turn): void {
  t.say('staff.menu');
  t.offerMenu([my.choice.handout.make({}, label('staff.handout'))]);
}

function staffOf(t: Turn): Staff {
  if (t.role.kind !== 'staff') throw new Error('staff flow without staff');
  return t.role.staff;
}

function startOfLocalDay(at: Date): Date {
  const { year, month, day } = utcToZoned(at);
  return zonedTimeToUtc({ year, month, day, hour: 0, minute: 0 });
}

/** Today's list; when nothing is due today, the week's coming handouts. */
async function showHandoutList(t: Turn): Promise<void> {
  const staff = staffOf(t);
  const from = startOfLocalDay(t.now);
  let entries = await t.market.handoutList(staff.pickupPointId, { from, to: addLocalDays(from, 1) });
  let key = 'staff.today';
  if (entries.length === 0) {
    entries = await t.market.handoutList(staff.pickupPointId, { from: t.now });
    key = 'staff.week';
  }
  if (entries.length === 0) {
    t.say('staff.none');
    staffMenu(t);
    return;
  }
  t.say(key, {
    count: entries.length,
    lines: {
      lines: entries.map((e) => ({
        key: `staff.entry.${e.status}`,
        params: {
          code: { digits: e.orderCode },
          name: { raw: e.customerName ?? '–' },
          items: { list: e.items.map((i) => ({ lines: [{ key: 'staff.item', params: { amount: { quantity: i.quantity, unit: i.unit }, product: { raw: i.productName } } }] })) },
        },
      })),
    },
  });
  t.say('staff.howToMark');
  const open = entries.filter((e) => e.status === 'placed' || e.status === 'ready');
  t.offer(open.slice(0, 6).map((e) => my.choice.pickedUp.make({ code: e.orderCode }, label('staff.markChoice', { code: { digits: e.orderCode }, name: { raw: e.customerName ?? '' } }))));
}

async function markHandout(t: Turn, code: string | null, outcome: 'picked_up' | 'no_show'): Promise<void> {
  if (!code) {
    t.say('staff.whichCode');
    return;
  }
  const order = await t.market.markHandout(staffOf(t), code, outcome);
  t.say(outcome === 'picked_up' ? 'staff.pickedUp' : 'staff.noShow', { code: { digits: order.code } });
  staffMenu(t);
}

const STAFF = ['staff'] as const;

export const staff = my.define({
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
        await markHandout(t, input.understanding.entities.orderCode, 'picked_up');
        return true;
      },
    },
    mark_no_show: {
      roles: [...STAFF],
      async handle(t, input) {
        await markHandout(t, input.understanding.entities.orderCode, 'no_show');
        return true;
      },
    },
  },
  choices: {
    handout: { roles: [...STAFF], handle: showHandoutList },
    pickedUp: { roles: [...STAFF], handle: (t, { code }) => markHandout(t, code, 'picked_up') },
    noShow: { roles: [...STAFF], handle: (t, { code }) => markHandout(t, code, 'no_show') },
  },
  questions: {},
});
