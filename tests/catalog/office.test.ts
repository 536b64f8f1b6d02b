import { describe, expect, it } from 'vitest';
import { describeOfficeHours, nextOpening, officeOpen, parseOfficeHours } from '../../catalog/office.ts';
import { channelText } from '../helpers/twilio.ts';

describe('office hours', () => {
  const hours = parseOfficeHours('Mo-Fr 08:00-16:00; Sa 09:00-12:00');
  if (hours === null) throw new Error('the example hours must parse');

  it.each([
    ['2025-06-02T06:00:00Z', true], // Monday 08:00 in Berlin (summer time)
    ['2025-06-02T05:59:00Z', false], // Monday 07:59
    ['2025-06-06T13:59:00Z', true], // Friday 15:59
    ['2025-06-06T14:00:00Z', false], // Friday 16:00: the end is exclusive
    ['2025-06-07T09:30:00Z', true], // Saturday 11:30
    ['2025-06-07T10:30:00Z', false], // Saturday 12:30
    ['2025-06-08T10:00:00Z', false], // Sunday
    ['2025-01-06T07:30:00Z', true], // Monday 08:30 in winter time
    ['2025-01-06T15:30:00Z', false], // Monday 16:30 in winter time
  ])('at %s the office is open: %s', (at, open) => {
    expect(officeOpen(hours, new Date(at))).toBe(open);
  });

  it('understands a range over the weekend and English day names', () => {
    const weekend = parseOfficeHours('Sa-Mo 10:00-11:00');
    expect(weekend && officeOpen(weekend, new Date('2025-06-08T08:30:00Z'))).toBe(true);
    expect(weekend && officeOpen(weekend, new Date('2025-06-04T08:30:00Z'))).toBe(false);
    expect(parseOfficeHours('Tu-Th 09:00-12:00')?.ranges).toEqual([{ firstDay: 2, lastDay: 4, from: 540, to: 720 }]);
  });

  it('refuses unknown days and impossible times', () => {
    expect(parseOfficeHours('Xy 08:00-09:00')).toBeNull();
    expect(parseOfficeHours('Mo 08:75-09:00')).toBeNull();
    expect(parseOfficeHours('Mo 08:00-25:00')).toBeNull();
  });

  it('says the hours in words a caller understands', () => {
    expect(describeOfficeHours(hours, 'de', channelText)).toBe('Montag bis Freitag von 8 bis 16 Uhr und Samstag von 9 bis 12 Uhr');
    expect(describeOfficeHours(hours, 'en', channelText)).toBe('Monday to Friday from 8 am to 4 pm and Saturday from 9 am to 12 pm');
    const half = parseOfficeHours('Mi 08:30-12:00');
    expect(half && describeOfficeHours(half, 'de', channelText)).toBe('Mittwoch von 8:30 bis 12 Uhr');
  });
});

describe('nextOpening', () => {
  const hours = parseOfficeHours('Mo-Fr 08:00-16:00; Sa 09:00-12:00')!;
  it('is later the same day before opening, the next working day after closing, Monday after Saturday', () => {
    // Tuesday 1 December 2026, 06:00 Berlin (05:00 UTC) → 08:00 Berlin the same day.
    expect(nextOpening(hours, new Date('2026-12-01T05:00:00Z'))?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    // Tuesday 20:00 Berlin → Wednesday 08:00.
    expect(nextOpening(hours, new Date('2026-12-01T19:00:00Z'))?.toISOString()).toBe('2026-12-02T07:00:00.000Z');
    // Saturday 13:00 Berlin → Monday 08:00.
    expect(nextOpening(hours, new Date('2026-12-05T12:00:00Z'))?.toISOString()).toBe('2026-12-07T07:00:00.000Z');
    // During opening hours: the next opening, not now.
    expect(nextOpening(hours, new Date('2026-12-01T10:00:00Z'))?.toISOString()).toBe('2026-12-02T07:00:00.000Z');
  });
});
