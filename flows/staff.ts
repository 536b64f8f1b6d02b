/** Pickup point staff: today's handout list, "abgeholt 10017", no-shows. */
import { addLocalDays, utcToZoned, zonedTimeToUtc } from '../catalog/time.ts';
import type { Staff } from '../catalog/types.ts';
import { staffMenu } from './menu.ts';
import { choice, type Turn } from './turn.ts';

function staffOf(t: Turn): Staff {
  if (t.role.kind !== 'staff') throw new Error('staff flow without staff');
  return t.role.staff;
}

function startOfLocalDay(at: Date): Date {
  const { year, month, day } = utcToZoned(at);
  return zonedTimeToUtc({ year, month, day, hour: 0, minute: 0 });
}

/** Today's list; when nothing is due today, the week's coming handouts. */
export async function showHandoutList(t: Turn): Promise<void> {
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
  t.offer(open.slice(0, 6).map((e) => choice(`picked:${e.orderCode}`, 'staff.markChoice', { code: { digits: e.orderCode }, name: { raw: e.customerName ?? '' } })));
}

export async function markHandout(t: Turn, code: string | null, outcome: 'picked_up' | 'no_show'): Promise<void> {
  if (!code) {
    t.say('staff.whichCode');
    return;
  }
  const order = await t.market.markHandout(staffOf(t), code, outcome);
  t.say(outcome === 'picked_up' ? 'staff.pickedUp' : 'staff.noShow', { code: { digits: order.code } });
  staffMenu(t);
}
