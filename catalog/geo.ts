/**
 * Where a customer is, from a postcode or a place name, and which pickup points
 * are nearest. The gazetteer is the Brandenburg postcode list in catalog/data/.
 *
 * Postcode data © GeoNames (geonames.org), CC BY 4.0, via zauberware/postal-codes-json-xml-csv.
 */
import { readFileSync } from 'node:fs';

export interface Coordinates {
  lat: number;
  lon: number;
}

/** One row of the postcode list: a place within a postcode, at its centroid. */
export interface GazetteerEntry extends Coordinates {
  postcode: string;
  place: string;
  /** District or independent town, e.g. "Landkreis Dahme-Spreewald". */
  community: string;
}

export interface Gazetteer {
  /** Every place within a five-digit postcode; empty when unknown. */
  byPostcode(postcode: string): GazetteerEntry[];
  /**
   * Every entry of a place name, ignoring case, umlaut spelling ("Luebben",
   * "Lubben") and the official suffix: "Lübben" finds "Lübben (Spreewald)",
   * "Lübbenau" finds "Lübbenau/Spreewald".
   */
  byPlace(name: string): GazetteerEntry[];
  /** Every name `byPlace` knows, official and short forms, for the language understanding. */
  placeNames(): string[];
}

/** A located query: a point and how to name it back to the customer. */
export interface Location extends Coordinates {
  label: string;
}

const GAZETTEER_FILE = new URL('./data/plz-brandenburg.csv', import.meta.url);

/** Roughly Lübbenau: a place name that exists in several districts means the one nearest the Spreewald. */
const SPREEWALD_CENTRE: Coordinates = { lat: 51.87, lon: 14.0 };

const EARTH_RADIUS_KM = 6371;

/** Splits one CSV line; fields may be double-quoted (place names with commas). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted && char === '"' && line[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (char === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

/** Reads the postcode CSV (columns as documented in catalog/data/README.md). */
export function parseGazetteerCsv(csv: string): GazetteerEntry[] {
  const [header, ...lines] = csv.split(/\r?\n/).filter((line) => line.trim() !== '');
  const columns = splitCsvLine(header);
  const column = (name: string): number => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`Gazetteer CSV lacks the column "${name}"`);
    return index;
  };
  const [zipcode, place, community, latitude, longitude] =
    ['zipcode', 'place', 'community', 'latitude', 'longitude'].map(column);
  return lines.map((line) => {
    const fields = splitCsvLine(line);
    return {
      postcode: fields[zipcode],
      place: fields[place],
      community: fields[community],
      lat: Number(fields[latitude]),
      lon: Number(fields[longitude]),
    };
  });
}

/** German spelling of umlauts ("Luebben") and plain letters ("Lubben") both lead to the same place. */
function foldings(name: string): string[] {
  const lower = name.toLowerCase();
  const plain = (text: string): string =>
    text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, ' ').trim();
  const german = lower.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss');
  return [...new Set([plain(german), plain(lower)])];
}

/**
 * The names a place is known by: the official one, without its suffix
 * ("Lübben (Spreewald)" → "Lübben", "Lübbenau/Spreewald" → "Lübbenau"), and
 * both halves of "Municipality Part, Village" names.
 */
function aliases(place: string): string[] {
  const short = place.replace(/\s*\(.*\)\s*$/, '').replace(/\/.*$/, '').trim();
  const halves = place.includes(',') ? place.split(',').map((part) => part.trim()) : [];
  return [...new Set([place, short, ...halves].filter(Boolean))];
}

/** Builds the lookups over a list of entries. */
export function createGazetteer(entries: GazetteerEntry[]): Gazetteer {
  const postcodes = new Map<string, GazetteerEntry[]>();
  const places = new Map<string, GazetteerEntry[]>();
  const names = new Set<string>();
  for (const entry of entries) {
    postcodes.set(entry.postcode, [...(postcodes.get(entry.postcode) ?? []), entry]);
    for (const alias of aliases(entry.place)) {
      names.add(alias);
      for (const key of foldings(alias)) places.set(key, [...(places.get(key) ?? []), entry]);
    }
  }
  const sortedNames = [...names].sort((a, b) => a.localeCompare(b, 'de'));
  return {
    byPostcode: (postcode) => postcodes.get(postcode.trim()) ?? [],
    byPlace: (name) => [...new Set(foldings(name).flatMap((key) => places.get(key) ?? []))],
    placeNames: () => [...sortedNames],
  };
}

let cached: Gazetteer | null = null;

/** The Brandenburg gazetteer, read from disk on first use and kept. */
export function loadGazetteer(): Gazetteer {
  cached ??= createGazetteer(parseGazetteerCsv(readFileSync(GAZETTEER_FILE, 'utf8')));
  return cached;
}

const radians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The `limit` points closest to `from`, nearest first, ties by name. */
export function nearestPickupPoints<P extends Coordinates & { name: string }>(
  points: P[],
  from: Coordinates,
  limit = 3,
): Array<{ point: P; km: number }> {
  return points
    .map((point) => ({ point, km: distanceKm(from, point) }))
    .sort((a, b) => a.km - b.km || a.point.name.localeCompare(b.point.name, 'de'))
    .slice(0, limit);
}

function centroid(entries: GazetteerEntry[]): Coordinates {
  const sum = entries.reduce((acc, e) => ({ lat: acc.lat + e.lat, lon: acc.lon + e.lon }), { lat: 0, lon: 0 });
  return { lat: sum.lat / entries.length, lon: sum.lon / entries.length };
}

function locatePostcode(gazetteer: Gazetteer, postcode: string): Location | null {
  const entries = gazetteer.byPostcode(postcode);
  if (entries.length === 0) return null;
  const placeNames = new Set(entries.map((e) => e.place));
  // A postcode that covers many villages (15913) is named by its digits alone.
  const label = placeNames.size === 1 ? `${postcode} ${entries[0].place}` : postcode;
  return { ...centroid(entries), label };
}

function locatePlace(entries: GazetteerEntry[]): Location | null {
  const towns = new Map<string, GazetteerEntry[]>();
  for (const entry of entries) {
    const key = `${entry.place}|${entry.community}`;
    towns.set(key, [...(towns.get(key) ?? []), entry]);
  }
  const nearest = [...towns.values()]
    .map((town) => ({ town, at: centroid(town) }))
    .sort((a, b) => distanceKm(SPREEWALD_CENTRE, a.at) - distanceKm(SPREEWALD_CENTRE, b.at))[0];
  return nearest ? { ...nearest.at, label: nearest.town[0].place } : null;
}

/**
 * A postcode ("15913"), a place ("Straupitz", "Lübben") or both ("15913 Straupitz")
 * as coordinates and a label; null when the gazetteer does not know it.
 * A postcode stands for the centroid of its places; a town with several
 * postcodes (Cottbus) for the centroid of those.
 */
export function locate(query: string, gazetteer: Gazetteer = loadGazetteer()): Location | null {
  const text = query.trim();
  const withPostcode = /^(\d{5})(?:\s+(.+))?$/.exec(text);
  if (withPostcode) {
    const [, postcode, place] = withPostcode;
    const inPostcode = place ? gazetteer.byPlace(place).filter((e) => e.postcode === postcode) : [];
    return locatePlace(inPostcode) ?? locatePostcode(gazetteer, postcode);
  }
  return locatePlace(gazetteer.byPlace(text));
}
