import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_PICKUP_POINTS } from '../../catalog/demo-week.ts';
import {
  createGazetteer, distanceKm, loadGazetteer, locate, nearestPickupPoints, parseGazetteerCsv,
} from '../../catalog/geo.ts';

const ATTRIBUTION = 'Postcode data © GeoNames (geonames.org), CC BY 4.0, via zauberware/postal-codes-json-xml-csv.';

const names = (rows: Array<{ point: { name: string } }>): string[] => rows.map((row) => row.point.name);

describe('the Brandenburg gazetteer', () => {
  const gazetteer = loadGazetteer();

  it('reads every row of the shipped list once and keeps it', () => {
    const csv = readFileSync(new URL('../../catalog/data/plz-brandenburg.csv', import.meta.url), 'utf8');
    const rows = csv.trim().split('\n').length - 1;
    const postcodes = new Set(parseGazetteerCsv(csv).map((e) => e.postcode));
    const entries = [...postcodes].flatMap((postcode) => gazetteer.byPostcode(postcode));
    expect(entries).toHaveLength(rows);
    expect(rows).toBe(1287);
    expect(loadGazetteer()).toBe(gazetteer);
  });

  it('lists every village of a postcode with coordinates', () => {
    const villages = gazetteer.byPostcode('15913');
    expect(villages.map((e) => e.place)).toEqual(expect.arrayContaining(['Straupitz', 'Byhleguhre', 'Alt Zauche']));
    expect(villages.find((e) => e.place === 'Straupitz')).toMatchObject({ lat: 51.9136, lon: 14.1228 });
    expect(gazetteer.byPostcode('10115')).toEqual([]);
  });

  it('finds places whatever the case, umlaut spelling or official suffix', () => {
    for (const spelling of ['Lübben', 'lübben', 'LUEBBEN', 'Lubben', 'Lübben (Spreewald)']) {
      expect(gazetteer.byPlace(spelling).map((e) => e.place)).toEqual(['Lübben (Spreewald)']);
    }
    expect(gazetteer.byPlace('Lübbenau').map((e) => e.place)).toEqual(['Lübbenau/Spreewald']);
    expect(gazetteer.byPlace('Burg').map((e) => e.postcode)).toEqual(['03096']);
    expect(gazetteer.byPlace('Neu-Zauche').map((e) => e.place)).toEqual(['Neu Zauche']);
    expect(gazetteer.byPlace('Cottbus').length).toBeGreaterThan(5);
    expect(gazetteer.byPlace('Atlantis')).toEqual([]);
  });

  it('offers official and short names to the language understanding', () => {
    const placeNames = gazetteer.placeNames();
    expect(placeNames).toEqual(expect.arrayContaining(['Lübben (Spreewald)', 'Lübben', 'Lübbenau', 'Straupitz', 'Burg']));
    expect(new Set(placeNames).size).toBe(placeNames.length);
  });

  it('keeps the GeoNames attribution beside the data and in the code that loads it', () => {
    expect(readFileSync(new URL('../../catalog/data/README.md', import.meta.url), 'utf8')).toContain(ATTRIBUTION);
    expect(readFileSync(new URL('../../catalog/geo.ts', import.meta.url), 'utf8')).toContain(ATTRIBUTION);
  });
});

describe('parseGazetteerCsv and createGazetteer', () => {
  const csv = [
    'country_code,zipcode,place,state,state_code,province,province_code,community,community_code,latitude,longitude',
    'DE,15377,"Oberbarnim Grunow, Grunow",Brandenburg,BB,,00,Landkreis Märkisch-Oderland,12064,52.606,14.0379',
    'DE,14715,Liepe,Brandenburg,BB,,00,Landkreis Havelland,12063,52.6,12.4',
    'DE,16248,Liepe,Brandenburg,BB,,00,Landkreis Barnim,12060,52.86,13.97',
    '',
  ].join('\r\n');

  it('reads quoted fields with commas and CRLF line ends', () => {
    const entries = parseGazetteerCsv(csv);
    expect(entries[0]).toEqual({
      postcode: '15377', place: 'Oberbarnim Grunow, Grunow', community: 'Landkreis Märkisch-Oderland', lat: 52.606, lon: 14.0379,
    });
    expect(entries).toHaveLength(3);
  });

  it('knows a village by the part after the comma', () => {
    expect(createGazetteer(parseGazetteerCsv(csv)).byPlace('Grunow')).toHaveLength(1);
  });

  it('refuses a file without the expected columns', () => {
    expect(() => parseGazetteerCsv('zip,name\n15913,Straupitz')).toThrow(/lacks the column "zipcode"/);
  });

  it('resolves a name found in two districts to the one nearer the Spreewald', () => {
    expect(locate('Liepe', createGazetteer(parseGazetteerCsv(csv)))).toEqual({ lat: 52.86, lon: 13.97, label: 'Liepe' });
  });
});

describe('distanceKm', () => {
  it('measures great-circle distances', () => {
    const luebben = { lat: 51.9455, lon: 13.8852 };
    const cottbus = { lat: 51.7612, lon: 14.3544 };
    // About 38 km as the crow flies between Lübben and Cottbus.
    expect(distanceKm(luebben, cottbus)).toBeCloseTo(38.3, 0);
    expect(distanceKm(cottbus, luebben)).toBeCloseTo(distanceKm(luebben, cottbus), 9);
    expect(distanceKm(luebben, luebben)).toBe(0);
    // One degree of latitude is about 111.2 km.
    expect(distanceKm({ lat: 51, lon: 14 }, { lat: 52, lon: 14 })).toBeCloseTo(111.19, 1);
  });
});

describe('locate', () => {
  it('takes a postcode as the centroid of its villages', () => {
    const location = locate('15913')!;
    expect(location.label).toBe('15913');
    const villages = loadGazetteer().byPostcode('15913');
    expect(location.lat).toBeCloseTo(villages.reduce((sum, v) => sum + v.lat, 0) / villages.length, 9);
  });

  it('names a postcode of one place with its place', () => {
    expect(locate(' 15907 ')).toEqual({ lat: 51.9455, lon: 13.8852, label: '15907 Lübben (Spreewald)' });
  });

  it('takes a place, a short form, or postcode and place', () => {
    expect(locate('Straupitz')).toEqual({ lat: 51.9136, lon: 14.1228, label: 'Straupitz' });
    expect(locate('Lübben')?.label).toBe('Lübben (Spreewald)');
    expect(locate('15913 Byhleguhre')).toEqual({ lat: 51.8793, lon: 14.1745, label: 'Byhleguhre' });
    // A place that is not in that postcode falls back to the postcode.
    expect(locate('15913 Cottbus')?.label).toBe('15913');
  });

  it('gives null for what the gazetteer does not know', () => {
    expect(locate('99999')).toBeNull();
    expect(locate('Atlantis')).toBeNull();
    expect(locate('')).toBeNull();
  });
});

describe('nearestPickupPoints', () => {
  it('finds the Straupitz village store first for the postcode 15913, then the van stops nearby', () => {
    const nearest = nearestPickupPoints(DEMO_PICKUP_POINTS, locate('15913')!);
    expect(names(nearest)).toEqual(['Dorfladen Straupitz', 'Verkaufswagen Alt Zauche', 'Verkaufswagen Byhleguhre']);
    expect(nearest[0].km).toBeLessThan(nearest[1].km);
  });

  it('finds the village store within a few hundred metres of Straupitz', () => {
    const nearest = nearestPickupPoints(DEMO_PICKUP_POINTS, locate('Straupitz')!, 2);
    expect(names(nearest)).toEqual(['Dorfladen Straupitz', 'Verkaufswagen Byhleguhre']);
    expect(nearest[0].km).toBeLessThan(0.5);
  });

  it('works from raw coordinates, e.g. a shared location in Burg', () => {
    const nearest = nearestPickupPoints(DEMO_PICKUP_POINTS, { lat: 51.835, lon: 14.16 }, 3);
    expect(names(nearest)).toEqual(['Hofladen Krautz', 'Verkaufswagen Werben', 'Verkaufswagen Byhleguhre']);
  });

  it('returns all points when fewer than the limit, nearest first, ties by name', () => {
    const here = { lat: 52, lon: 14 };
    const points = [
      { name: 'B', lat: 52.1, lon: 14 },
      { name: 'A', lat: 51.9, lon: 14 },
      { name: 'C', lat: 52, lon: 14 },
    ];
    expect(names(nearestPickupPoints(points, here, 10))).toEqual(['C', 'A', 'B']);
  });
});
