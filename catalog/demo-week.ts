/**
 * The demo Spreewald week: producers, products, this week's offers, pickup
 * points and a van route, so that the bot can be tried without a real market.
 *
 * The places, postcodes and coordinates are real (catalog/data/plz-brandenburg.csv);
 * every farm, shop, person and house number is invented, and any likeness to a
 * real business is accidental. Phone numbers are fictional by construction:
 * the landlines use real Spreewald area codes followed by a subscriber number
 * that begins with 0, which German numbering never assigns; the mobile numbers
 * +49151000000xx are the demo identities named below.
 */
import type { NewPickupPoint, NewProducer, NewProduct, NewStaff, OfferInput } from './ports.ts';

export interface DemoProduct extends Omit<NewProduct, 'producerId'> {
  /** This week's price, quantity, step and maximum. */
  offer: OfferInput;
}

export interface DemoProducer extends NewProducer {
  products: DemoProduct[];
}

/** Staff of a demo pickup point, named by the point instead of its (not yet known) id. */
export interface DemoStaff extends Omit<NewStaff, 'pickupPointId'> {
  pickupPointName: string;
}

/** The producer a tester plays: Telegram user 100001 or this phone number. */
export const DEMO_PRODUCER_IDENTITY = { telegramId: '100001', phone: '+4915100000001' } as const;
/** The pickup-point staff a tester plays: Telegram user 100002 or this phone number. */
export const DEMO_STAFF_IDENTITY = { telegramId: '100002', phone: '+4915100000002' } as const;
/** The customer the local simulator speaks as (fictional). */
export const DEMO_CUSTOMER_PHONE = '+4915100000003';

export const DEMO_VAN_ROUTE = 'Verkaufswagen Spreewald-Tour';

/** An offer line: price in cents, quantity on hand, order step, optional maximum per order. */
const offer = (priceCents: number, available: number, step = 1, maxPerOrder: number | null = null): OfferInput => ({
  priceCents, available, step, maxPerOrder,
});

export const DEMO_PRODUCERS: DemoProducer[] = [
  {
    name: 'Gurkenhof Krüger',
    village: 'Lübbenau/Spreewald',
    phone: DEMO_PRODUCER_IDENTITY.phone,
    telegramId: DEMO_PRODUCER_IDENTITY.telegramId,
    products: [
      { name: 'Senfgurken', category: 'pickles', unit: 'jar', description: 'Geschälte Gurken mit Senfsaat, 720-ml-Glas.', allergens: 'Senf', ingredients: 'Gurken, Wasser, Branntweinessig, Zucker, Senfsaat, Salz', offer: offer(390, 40, 1, 6) },
      { name: 'Salzgurken', category: 'pickles', unit: 'jar', description: 'Milchsauer vergoren, ohne Essig, 720-ml-Glas.', offer: offer(350, 30) },
      { name: 'Gewürzgurken', category: 'pickles', unit: 'jar', description: 'Süß-sauer mit Zwiebeln und Piment, 720-ml-Glas.', offer: offer(320, 45) },
      { name: 'Dillgurken', category: 'pickles', unit: 'jar', description: 'Mit frischem Dill aus dem eigenen Garten, 720-ml-Glas.', offer: offer(340, 25) },
      { name: 'Knoblauchgurken', category: 'pickles', unit: 'jar', description: 'Kräftig mit Knoblauch eingelegt, 720-ml-Glas.', offer: offer(360, 4) },
      { name: 'Gurkenhappen', category: 'pickles', unit: 'jar', description: 'Mundgerechte Stücke, mild gewürzt, 370-ml-Glas.', offer: offer(290, 35) },
      { name: 'Meerrettich gerieben', category: 'condiments', unit: 'jar', description: 'Frisch gerieben, scharf, 200-g-Glas.', offer: offer(320, 20) },
    ],
  },
  {
    name: 'Leinölpresse Schulze',
    village: 'Alt Zauche',
    phone: '+49354750000101',
    products: [
      { name: 'Leinöl 250 ml', category: 'oil', unit: 'bottle', description: 'Kalt gepresst, wöchentlich frisch abgefüllt.', organic: true, offer: offer(590, 30, 1, 4) },
      { name: 'Leinöl 500 ml', category: 'oil', unit: 'bottle', description: 'Kalt gepresst, die große Flasche für Quark und Pellkartoffeln.', organic: true, offer: offer(980, 15, 1, 2) },
      { name: 'Leindotteröl', category: 'oil', unit: 'bottle', description: 'Nussig-würzig, kalt gepresst, 250 ml.', organic: true, offer: offer(650, 12) },
      { name: 'Spreewälder Senf', category: 'condiments', unit: 'jar', description: 'Mittelscharf, mit Leinöl gerührt, 200-ml-Glas.', allergens: 'Senf', offer: offer(280, 24) },
    ],
  },
  {
    name: 'Milchhof Lehmann',
    village: 'Schlepzig',
    phone: '+49354720000102',
    products: [
      { name: 'Speisequark 40 %', category: 'dairy', unit: 'pack', description: 'Cremig, 500 g, aus eigener Milch.', offer: offer(240, 40, 1, 5) },
      { name: 'Speisequark 20 %', category: 'dairy', unit: 'pack', description: 'Locker, 500 g, richtig für Leinölquark mit Pellkartoffeln.', offer: offer(220, 40, 1, 5) },
      { name: 'Frischmilch', category: 'dairy', unit: 'bottle', description: 'Vollmilch 3,8 %, schonend pasteurisiert, 1-Liter-Flasche mit Pfand.', offer: offer(160, 50) },
      { name: 'Süßrahmbutter', category: 'dairy', unit: 'pack', description: 'Aus Rahm unserer Kühe, 250 g.', offer: offer(320, 30) },
      { name: 'Schmand', category: 'dairy', unit: 'pack', description: '24 % Fett, 200 g.', offer: offer(140, 20) },
      { name: 'Buttermilch', category: 'dairy', unit: 'bottle', description: 'Frisch vom Buttern, 1-Liter-Flasche mit Pfand.', offer: offer(130, 15) },
    ],
  },
  {
    name: 'Gemüsehof Krautz',
    village: 'Burg (Spreewald)',
    phone: '+49356030000103',
    products: [
      { name: 'Kartoffeln festkochend', category: 'potatoes', unit: 'kg', description: 'Sorte Annabelle, für Pellkartoffeln und Salat.', offer: offer(180, 150, 0.5, 10) },
      { name: 'Kartoffeln mehligkochend', category: 'potatoes', unit: 'kg', description: 'Sorte Adretta, für Püree und Klöße.', offer: offer(170, 120, 0.5, 10) },
      { name: 'Möhren', category: 'vegetables', unit: 'kg', description: 'Aus dem Spreewaldsand, ungewaschen.', organic: true, offer: offer(190, 60, 0.5) },
      { name: 'Zwiebeln', category: 'vegetables', unit: 'kg', description: 'Gelbe Haushaltszwiebeln.', offer: offer(220, 40, 0.5) },
      { name: 'Rote Bete', category: 'vegetables', unit: 'kg', description: 'Roh, mit Schale.', organic: true, offer: offer(240, 3, 0.5) },
      { name: 'Hokkaido-Kürbis', category: 'vegetables', unit: 'piece', description: 'Etwa 1,2 kg, Schale essbar.', offer: offer(250, 25) },
      { name: 'Meerrettichwurzel', category: 'condiments', unit: 'piece', description: 'Frische Stange, etwa 300 g, zum Selberreiben.', offer: offer(220, 12) },
      { name: 'Suppengrün', category: 'vegetables', unit: 'bunch', description: 'Möhre, Sellerie, Porree und Petersilie.', offer: offer(150, 20) },
    ],
  },
  {
    name: 'Hühnerhof Wenzel',
    village: 'Straupitz',
    phone: '+49354750000104',
    products: [
      { name: 'Eier 10 Stück', category: 'eggs', unit: 'pack', description: 'Freilandeier, Größe M/L gemischt.', offer: offer(390, 40, 1, 3) },
      { name: 'Eier 6 Stück', category: 'eggs', unit: 'pack', description: 'Freilandeier, Größe M/L gemischt.', offer: offer(250, 30, 1, 3) },
      { name: 'Suppenhuhn', category: 'meat', unit: 'piece', description: 'Küchenfertig, etwa 1,5 kg.', offer: offer(1150, 4, 1, 1) },
    ],
  },
  {
    name: 'Imkerei Buder',
    village: 'Lieberose',
    phone: '+49336710000105',
    products: [
      { name: 'Blütenhonig', category: 'honey', unit: 'jar', description: 'Frühtracht, cremig gerührt, 500 g.', offer: offer(750, 30) },
      { name: 'Waldhonig', category: 'honey', unit: 'jar', description: 'Dunkel und würzig aus der Lieberoser Heide, 500 g.', offer: offer(890, 4, 1, 2) },
      { name: 'Rapshonig', category: 'honey', unit: 'jar', description: 'Fein cremig, 500 g.', offer: offer(690, 18) },
      { name: 'Lindenhonig', category: 'honey', unit: 'jar', description: 'Flüssig, mit frischem Aroma, 250 g.', offer: offer(490, 12) },
    ],
  },
  {
    name: 'Fischerei Rehnus',
    village: 'Lübben (Spreewald)',
    phone: '+4935460000106',
    products: [
      { name: 'Räucheraal', category: 'fish', unit: 'piece', description: 'Über Buchenholz geräuchert, etwa 250 g.', offer: offer(1490, 3, 1, 1) },
      { name: 'Zanderfilet', category: 'fish', unit: 'pack', description: 'Mit Haut, grätenarm, etwa 300 g.', offer: offer(990, 10, 1, 2) },
      { name: 'Karpfenfilet', category: 'fish', unit: 'pack', description: 'Geschröpft, etwa 400 g.', offer: offer(790, 12) },
      { name: 'Räucherforelle', category: 'fish', unit: 'piece', description: 'Ganze Forelle, heiß geräuchert.', offer: offer(650, 15) },
      { name: 'Fischsoljanka', category: 'fish', unit: 'jar', description: 'Säuerlich-scharfe Suppe mit Spreewaldgurke, 400 ml.', offer: offer(550, 10) },
    ],
  },
  {
    name: 'Landfleischerei Kito',
    village: 'Vetschau',
    phone: '+49354330000107',
    products: [
      { name: 'Hausmacher Leberwurst', category: 'meat', unit: 'jar', description: 'Grob, nach Familienrezept, 200-g-Glas.', offer: offer(380, 25) },
      { name: 'Grützwurst', category: 'meat', unit: 'jar', description: 'Spreewälder Art, zum Braten, 300-g-Glas.', offer: offer(320, 20) },
      { name: 'Knacker', category: 'meat', unit: 'pack', description: 'Geräuchert, 4 Stück.', offer: offer(560, 20) },
      { name: 'Blutwurst', category: 'meat', unit: 'jar', description: 'Mit Speckwürfeln, 200-g-Glas.', offer: offer(340, 15) },
      { name: 'Schinkenspeck', category: 'meat', unit: 'pack', description: 'Luftgetrocknet, geschnitten, 150 g.', offer: offer(420, 12) },
    ],
  },
  {
    name: 'Hofbäckerei Noack',
    village: 'Cottbus',
    phone: '+493550000108',
    products: [
      { name: 'Bauernbrot', category: 'bread', unit: 'piece', description: 'Roggenmisch mit Sauerteig, 1 kg, im Steinofen gebacken.', allergens: 'Roggen, Weizen (Gluten)', ingredients: 'Roggenmehl, Weizenmehl, Wasser, Sauerteig, Salz', offer: offer(460, 30) },
      { name: 'Leinsamenbrot', category: 'bread', unit: 'piece', description: 'Mit Leinsaat aus dem Spreewald, 750 g.', offer: offer(490, 20) },
      { name: 'Plinsenmehl', category: 'bread', unit: 'bag', description: 'Fertigmischung für Spreewälder Plinsen, 1 kg.', offer: offer(320, 25) },
      { name: 'Quarkkeulchen', category: 'bread', unit: 'pack', description: '6 Stück, zum Aufbacken in der Pfanne.', allergens: 'Milch, Ei, Weizen (Gluten)', offer: offer(450, 15) },
    ],
  },
  {
    name: 'Obsthof Jurk',
    village: 'Werben',
    phone: '+49356030000109',
    products: [
      { name: 'Äpfel Elstar', category: 'fruit', unit: 'kg', description: 'Knackig, süß-säuerlich.', organic: true, offer: offer(280, 80, 0.5) },
      { name: 'Äpfel Boskoop', category: 'fruit', unit: 'kg', description: 'Säuerlich, ideal zum Backen.', organic: true, offer: offer(260, 60, 0.5) },
      { name: 'Birnen', category: 'fruit', unit: 'kg', description: 'Sorte Conference, saftig.', organic: true, offer: offer(320, 40, 0.5) },
      { name: 'Apfelsaft', category: 'drinks', unit: 'bottle', description: 'Naturtrüb, direkt gepresst, 1 l mit Pfand.', organic: true, offer: offer(290, 60) },
      { name: 'Birnensaft', category: 'drinks', unit: 'bottle', description: 'Direktsaft, 1 l mit Pfand.', organic: true, offer: offer(320, 30) },
      { name: 'Sanddornsaft', category: 'drinks', unit: 'bottle', description: 'Muttersaft, ungesüßt, 0,33 l.', offer: offer(690, 4, 1, 2) },
    ],
  },
];

/** Friday afternoon and Saturday morning, the usual pickup hours. */
const windows = (friday: [string, string], saturday: [string, string]): NewPickupPoint['windows'] => [
  { weekday: 5, from: friday[0], to: friday[1] },
  { weekday: 6, from: saturday[0], to: saturday[1] },
];

/** A van stop: the route's position and its short stop on Saturday. */
const vanStop = (
  routePosition: number,
  place: string,
  postcode: string,
  address: string,
  lat: number,
  lon: number,
  stop: [string, string],
): NewPickupPoint => ({
  name: `Verkaufswagen ${place}`,
  kind: 'van_stop',
  address,
  postcode,
  place,
  lat,
  lon,
  windows: [{ weekday: 6, from: stop[0], to: stop[1] }],
  vanRoute: DEMO_VAN_ROUTE,
  routePosition,
});

export const DEMO_PICKUP_POINTS: NewPickupPoint[] = [
  {
    name: 'Hofladen Gurkenhof Krüger', kind: 'farm_shop', address: 'Dammstraße 12', postcode: '03222',
    place: 'Lübbenau/Spreewald', lat: 51.8651, lon: 13.9667, windows: windows(['14:00', '18:00'], ['09:00', '12:00']),
  },
  {
    name: 'Hofladen Milchhof Lehmann', kind: 'farm_shop', address: 'Dorfstraße 7', postcode: '15910',
    place: 'Schlepzig', lat: 52.0351, lon: 13.8968, windows: windows(['15:00', '18:00'], ['09:00', '12:00']),
  },
  {
    name: 'Hofladen Krautz', kind: 'farm_shop', address: 'Byhleguhrer Straße 21', postcode: '03096',
    place: 'Burg (Spreewald)', lat: 51.8371, lon: 14.1552, windows: windows(['13:00', '18:00'], ['08:00', '12:00']),
  },
  {
    name: 'Dorfladen Straupitz', kind: 'village_store', address: 'Kirchstraße 4', postcode: '15913',
    place: 'Straupitz', lat: 51.9128, lon: 14.1241, windows: windows(['08:00', '18:00'], ['08:00', '12:00']),
  },
  {
    name: 'Dorfladen Lieberose', kind: 'village_store', address: 'Markt 9', postcode: '15868',
    place: 'Lieberose', lat: 51.9856, lon: 14.2987, windows: windows(['09:00', '18:00'], ['09:00', '12:00']),
  },
  {
    name: 'Spreewaldladen Lübben', kind: 'village_store', address: 'Hauptstraße 15', postcode: '15907',
    place: 'Lübben (Spreewald)', lat: 51.9437, lon: 13.8879, windows: windows(['09:00', '18:30'], ['09:00', '13:00']),
  },
  vanStop(1, 'Alt Zauche', '15913', 'Dorfplatz', 51.9171, 14.0156, ['09:00', '09:30']),
  vanStop(2, 'Byhleguhre', '15913', 'An der Kirche', 51.8788, 14.1739, ['10:00', '10:30']),
  vanStop(3, 'Werben', '03096', 'Dorfaue, Bushaltestelle', 51.8162, 14.1841, ['11:00', '11:30']),
  vanStop(4, 'Vetschau', '03226', 'Marktplatz', 51.7868, 14.0789, ['12:00', '12:45']),
];

/** The demo staff member: hands out orders at the Straupitz village store. */
export const DEMO_STAFF: DemoStaff = {
  pickupPointName: 'Dorfladen Straupitz',
  name: 'Heike Petrick',
  phone: DEMO_STAFF_IDENTITY.phone,
  telegramId: DEMO_STAFF_IDENTITY.telegramId,
};
