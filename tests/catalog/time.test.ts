import { describe, expect, it } from 'vitest';
import {
  addLocalDays, atWeekday, isoWeekLabel, isoWithOffset, localDateKey, offsetMinutes, parseClockTime,
  startOfLocalWeek, utcToZoned, zonedTimeToUtc,
} from '../../catalog/time.ts';

const berlin = (year: number, month: number, day: number, hour: number, minute = 0): Date =>
  zonedTimeToUtc({ year, month, day, hour, minute });

describe('zonedTimeToUtc', () => {
  it('keeps a cutoff at 18:00 local on the day summer time begins (16:00Z)', () => {
    const cutoff = berlin(2026, 3, 29, 18);
    expect(cutoff.toISOString()).toBe('2026-03-29T16:00:00.000Z');
    expect(isoWithOffset(cutoff)).toBe('2026-03-29T18:00:00+02:00');
  });

  it('keeps a cutoff at 18:00 local on the day summer time ends (17:00Z)', () => {
    const cutoff = berlin(2026, 10, 25, 18);
    expect(cutoff.toISOString()).toBe('2026-10-25T17:00:00.000Z');
    expect(isoWithOffset(cutoff)).toBe('2026-10-25T18:00:00+01:00');
  });

  it('converts the hours just before each change with the old offset', () => {
    expect(berlin(2026, 3, 29, 1, 59).toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(berlin(2026, 10, 25, 1, 59).toISOString()).toBe('2026-10-24T23:59:00.000Z');
  });

  it('moves a time in the spring gap forward by the gap: 02:30 becomes 03:30 summer time', () => {
    const inGap = berlin(2026, 3, 29, 2, 30);
    expect(inGap.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(isoWithOffset(inGap)).toBe('2026-03-29T03:30:00+02:00');
  });

  it('takes the first of the two 02:30 in the repeated autumn hour', () => {
    const ambiguous = berlin(2026, 10, 25, 2, 30);
    expect(ambiguous.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(isoWithOffset(ambiguous)).toBe('2026-10-25T02:30:00+02:00');
    // The second occurrence, one hour later, also shows 02:30, in winter time.
    expect(isoWithOffset(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-25T02:30:00+01:00');
  });

  it('round-trips every hour of a year through utcToZoned', () => {
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
      const instant = new Date(t);
      const local = utcToZoned(instant);
      const back = zonedTimeToUtc(local);
      // Only the second 02:00 of the autumn change maps back to the first one.
      const expected = isoWithOffset(instant) === '2026-10-25T02:00:00+01:00' ? t - 3_600_000 : t;
      expect(back.getTime()).toBe(expected);
    }
  });

  it('works for other zones too', () => {
    expect(zonedTimeToUtc({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'America/New_York').toISOString())
      .toBe('2026-07-01T13:00:00.000Z');
  });
});

describe('utcToZoned', () => {
  it('gives the Berlin wall clock and ISO weekday', () => {
    expect(utcToZoned(new Date('2026-12-04T14:00:00Z'))).toEqual({
      year: 2026, month: 12, day: 4, hour: 15, minute: 0, weekday: 5,
    });
    expect(utcToZoned(new Date('2026-12-06T22:59:00Z')).weekday).toBe(7);
    expect(utcToZoned(new Date('2026-12-06T23:00:00Z'))).toMatchObject({ day: 7, hour: 0, weekday: 1 });
  });

  it('reports the offset in minutes', () => {
    expect(offsetMinutes(new Date('2026-01-15T12:00:00Z'))).toBe(60);
    expect(offsetMinutes(new Date('2026-07-15T12:00:00Z'))).toBe(120);
  });
});

describe('addLocalDays', () => {
  it('keeps 18:00 local a week later across the spring change (167 hours)', () => {
    const before = berlin(2026, 3, 25, 18);
    const after = addLocalDays(before, 7);
    expect(isoWithOffset(after)).toBe('2026-04-01T18:00:00+02:00');
    expect((after.getTime() - before.getTime()) / 3_600_000).toBe(167);
  });

  it('keeps 18:00 local a week later across the autumn change (169 hours)', () => {
    const before = berlin(2026, 10, 21, 18);
    const after = addLocalDays(before, 7);
    expect(isoWithOffset(after)).toBe('2026-10-28T18:00:00+01:00');
    expect((after.getTime() - before.getTime()) / 3_600_000).toBe(169);
  });

  it('keeps local time over a whole year of weekly steps, and goes backwards', () => {
    let cutoff = berlin(2026, 1, 7, 18);
    for (let week = 0; week < 52; week += 1) {
      cutoff = addLocalDays(cutoff, 7);
      expect(utcToZoned(cutoff)).toMatchObject({ hour: 18, minute: 0, weekday: 3 });
    }
    expect(localDateKey(cutoff)).toBe('2027-01-06');
    expect(isoWithOffset(addLocalDays(cutoff, -364))).toBe('2026-01-07T18:00:00+01:00');
  });

  it('rolls over month and year ends', () => {
    expect(isoWithOffset(addLocalDays(berlin(2026, 12, 30, 9), 3))).toBe('2027-01-02T09:00:00+01:00');
  });
});

describe('startOfLocalWeek', () => {
  it('is Monday 00:00 Berlin, also from a late Sunday evening', () => {
    expect(isoWithOffset(startOfLocalWeek(new Date('2026-12-04T14:00:00Z')))).toBe('2026-11-30T00:00:00+01:00');
    expect(isoWithOffset(startOfLocalWeek(berlin(2026, 12, 6, 23, 59)))).toBe('2026-11-30T00:00:00+01:00');
    expect(isoWithOffset(startOfLocalWeek(berlin(2026, 12, 7, 0)))).toBe('2026-12-07T00:00:00+01:00');
  });

  it('uses winter time for a Monday before the spring change', () => {
    expect(startOfLocalWeek(berlin(2026, 3, 29, 20)).toISOString()).toBe('2026-03-22T23:00:00.000Z');
  });
});

describe('formatting', () => {
  it('writes the local date key and the offset ISO form', () => {
    const lateEvening = new Date('2026-12-31T23:30:00Z');
    expect(localDateKey(lateEvening)).toBe('2027-01-01');
    expect(isoWithOffset(new Date('2026-12-04T14:00:00Z'))).toBe('2026-12-04T15:00:00+01:00');
    expect(isoWithOffset(new Date('2026-07-04T14:00:05Z'))).toBe('2026-07-04T16:00:05+02:00');
  });

  it('labels ISO weeks, including week 53 and weeks that belong to another year', () => {
    expect(isoWeekLabel(new Date('2026-12-04T12:00:00Z'))).toBe('2026-W49');
    expect(isoWeekLabel(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekLabel(new Date('2026-01-01T12:00:00Z'))).toBe('2026-W01');
    expect(isoWeekLabel(new Date('2024-12-30T12:00:00Z'))).toBe('2025-W01');
    // Sunday 23:30 Berlin is still the old week although it is Sunday 22:30Z.
    expect(isoWeekLabel(berlin(2026, 12, 6, 23, 30))).toBe('2026-W49');
  });
});

describe('parseClockTime and atWeekday', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(parseClockTime('06:00')).toEqual({ hour: 6, minute: 0 });
    expect(parseClockTime('6:05')).toEqual({ hour: 6, minute: 5 });
    for (const bad of ['24:00', '18:60', '18', '18.00', 'abends']) {
      expect(() => parseClockTime(bad)).toThrow(/Invalid time/);
    }
  });

  it('places a weekday and time in a given local week', () => {
    const monday = startOfLocalWeek(berlin(2026, 10, 21, 12));
    expect(isoWithOffset(atWeekday(monday, 3, '18:00'))).toBe('2026-10-21T18:00:00+02:00');
    expect(isoWithOffset(atWeekday(monday, 7, '18:00'))).toBe('2026-10-25T18:00:00+01:00');
  });
});
