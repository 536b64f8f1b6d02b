import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RHYTHM, formatRhythm, nextSlotFor, parseRhythm, planCycle, validateRhythm,
} from '../../catalog/rhythm.ts';
import { isoWithOffset, zonedTimeToUtc } from '../../catalog/time.ts';
import type { PickupPoint } from '../../catalog/types.ts';

const berlin = (year: number, month: number, day: number, hour: number, minute = 0): Date =>
  zonedTimeToUtc({ year, month, day, hour, minute });

const dorfladen: PickupPoint = {
  id: 1, name: 'Dorfladen Straupitz', kind: 'village_store', address: 'Kirchstraße 4', postcode: '15913',
  place: 'Straupitz', lat: 51.91, lon: 14.12, vanRoute: null, routePosition: null,
  windows: [
    { weekday: 5, from: '08:00', to: '18:00' },
    { weekday: 6, from: '08:00', to: '12:00' },
    // Thursday is no pickup day in the default rhythm: this window must not become a slot.
    { weekday: 4, from: '08:00', to: '18:00' },
  ],
};

const vanStop: PickupPoint = {
  id: 2, name: 'Verkaufswagen Byhleguhre', kind: 'van_stop', address: 'An der Kirche', postcode: '15913',
  place: 'Byhleguhre', lat: 51.88, lon: 14.17, vanRoute: 'Verkaufswagen Spreewald-Tour', routePosition: 2,
  windows: [{ weekday: 6, from: '10:00', to: '10:30' }],
};

describe('parseRhythm', () => {
  it('reads the configured form', () => {
    expect(parseRhythm('opens=Mon 06:00; cutoff=Wed 18:00; pickup=Fri,Sat')).toEqual(DEFAULT_RHYTHM);
  });

  it('accepts German day names, any order, spaces and single-digit hours', () => {
    expect(parseRhythm(' pickup = Sa, Fr ; cutoff=Donnerstag 12:00;opens=mo 6:00 ')).toEqual({
      opens: { weekday: 1, time: '06:00' },
      cutoff: { weekday: 4, time: '12:00' },
      pickupDays: [5, 6],
    });
  });

  it('round-trips through formatRhythm', () => {
    const text = 'opens=Tue 07:30; cutoff=Thu 20:00; pickup=Fri,Sat,Sun';
    expect(formatRhythm(parseRhythm(text))).toBe(text);
    expect(formatRhythm(DEFAULT_RHYTHM)).toBe('opens=Mon 06:00; cutoff=Wed 18:00; pickup=Fri,Sat');
  });

  it.each([
    ['opens=Mon 06:00; cutoff=Wed 18:00', /"pickup" is missing/],
    ['opens=Mon 06:00; cutoff=Wed 18:00; pickup=Fri; pickup=Sat', /given twice/],
    ['opens=Mon 06:00; cutoff=Wed 18:00; pickup=Fri,Fri', /pickup day is given twice/],
    ['opens=Mon 06:00; closes=Wed 18:00; pickup=Fri', /unknown key "closes"/],
    ['opens=Mon 06:00; cutoff=Wen 18:00; pickup=Fri', /unknown weekday "Wen" in cutoff/],
    ['opens=Mon 06:00; cutoff=Wed 25:00; pickup=Fri', /cutoff: Invalid time "25:00"/],
    ['opens=Mon; cutoff=Wed 18:00; pickup=Fri', /opens must be "<weekday> HH:MM"/],
    ['opens=Thu 06:00; cutoff=Wed 18:00; pickup=Fri', /open before the cutoff/],
    ['opens=Mon 06:00; cutoff=Wed 18:00; pickup=Tue,Fri', /pickup day Tue comes before the cutoff Wed 18:00/],
    ['Montag bis Mittwoch', /is not key=value/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRhythm(text)).toThrow(message);
  });

  it('validates a rhythm built in code', () => {
    expect(() => validateRhythm({ ...DEFAULT_RHYTHM, pickupDays: [] })).toThrow(/at least one pickup day/);
    expect(() => validateRhythm(DEFAULT_RHYTHM)).not.toThrow();
  });
});

describe('planCycle', () => {
  it('plans the week containing `at` in Berlin time, labelled by ISO week', () => {
    const cycle = planCycle(DEFAULT_RHYTHM, berlin(2026, 12, 2, 10), [dorfladen, vanStop]);
    expect(cycle.label).toBe('2026-W49');
    expect(isoWithOffset(cycle.opensAt)).toBe('2026-11-30T06:00:00+01:00');
    expect(isoWithOffset(cycle.cutoffAt)).toBe('2026-12-02T18:00:00+01:00');
    expect(cycle.slots.map((slot) => [slot.pickupPointId, isoWithOffset(slot.from), isoWithOffset(slot.to)])).toEqual([
      [1, '2026-12-04T08:00:00+01:00', '2026-12-04T18:00:00+01:00'],
      [1, '2026-12-05T08:00:00+01:00', '2026-12-05T12:00:00+01:00'],
      [2, '2026-12-05T10:00:00+01:00', '2026-12-05T10:30:00+01:00'],
    ]);
  });

  it('belongs to the same week from Monday 00:00 to Sunday 23:59 local', () => {
    const label = (at: Date) => planCycle(DEFAULT_RHYTHM, at, []).label;
    expect(label(berlin(2026, 11, 30, 0))).toBe('2026-W49');
    expect(label(berlin(2026, 12, 6, 23, 59))).toBe('2026-W49');
    expect(label(berlin(2026, 12, 7, 0))).toBe('2026-W50');
  });

  it('keeps local times in a week where summer time ends', () => {
    const rhythm = parseRhythm('opens=Mon 06:00; cutoff=Sat 18:00; pickup=Sun');
    const sundayPoint = { ...dorfladen, windows: [{ weekday: 7, from: '10:00', to: '12:00' }] };
    const cycle = planCycle(rhythm, berlin(2026, 10, 20, 12), [sundayPoint]);
    expect(isoWithOffset(cycle.opensAt)).toBe('2026-10-19T06:00:00+02:00');
    expect(cycle.cutoffAt.toISOString()).toBe('2026-10-24T16:00:00.000Z');
    expect(cycle.slots[0].from.toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('leaves out windows that would begin before the cutoff', () => {
    const rhythm = parseRhythm('opens=Mon 06:00; cutoff=Fri 12:00; pickup=Fri,Sat');
    const cycle = planCycle(rhythm, berlin(2026, 12, 2, 10), [dorfladen]);
    expect(cycle.slots.map((slot) => isoWithOffset(slot.from))).toEqual(['2026-12-05T08:00:00+01:00']);
  });
});

describe('nextSlotFor', () => {
  const { slots } = planCycle(DEFAULT_RHYTHM, berlin(2026, 12, 2, 10), [dorfladen, vanStop]);

  it('gives the earliest slot of the point that has not ended yet', () => {
    expect(isoWithOffset(nextSlotFor(slots, 1, berlin(2026, 12, 3, 9))!.from)).toBe('2026-12-04T08:00:00+01:00');
    // During Friday's window the Friday slot is still the one to come to.
    expect(isoWithOffset(nextSlotFor(slots, 1, berlin(2026, 12, 4, 17))!.from)).toBe('2026-12-04T08:00:00+01:00');
    expect(isoWithOffset(nextSlotFor(slots, 1, berlin(2026, 12, 4, 18))!.from)).toBe('2026-12-05T08:00:00+01:00');
    expect(nextSlotFor(slots, 2, berlin(2026, 12, 1, 9))!.pickupPointId).toBe(2);
  });

  it('gives null when every slot has ended or the point has none', () => {
    expect(nextSlotFor(slots, 1, berlin(2026, 12, 5, 12))).toBeNull();
    expect(nextSlotFor(slots, 99, berlin(2026, 12, 1, 9))).toBeNull();
  });

  it('takes stored slots unordered', () => {
    const stored = [...slots].reverse().map((slot) => ({ ...slot, cycleId: 7 }));
    expect(nextSlotFor(stored, 1, berlin(2026, 12, 1, 9))).toMatchObject({ cycleId: 7, pickupPointId: 1 });
    expect(isoWithOffset(nextSlotFor(stored, 1, berlin(2026, 12, 1, 9))!.from)).toBe('2026-12-04T08:00:00+01:00');
  });
});
