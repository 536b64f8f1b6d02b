/** A realistic week of Spreewald offers and the places of the pickup-point finder, for the recogniser's tests. */
import type { Category, Unit } from '../../../catalog/types.ts';
import type { VocabularyEntry } from '../../../flows/nlu/types.ts';

const OFFERS: Array<[string, Category, Unit, string]> = [
  ['Senfgurken', 'pickles', 'jar', 'Spreewaldhof Krüger, Lübbenau'],
  ['Salzgurken', 'pickles', 'jar', 'Spreewaldhof Krüger, Lübbenau'],
  ['Gewürzgurken', 'pickles', 'jar', 'Gurkenhof Noack, Burg'],
  ['Dillgurken', 'pickles', 'jar', 'Gurkenhof Noack, Burg'],
  ['Knoblauchgurken', 'pickles', 'jar', 'Gurkenhof Noack, Burg'],
  ['Leinöl', 'oil', 'bottle', 'Ölmühle Straupitz'],
  ['Leinölquark', 'dairy', 'piece', 'Hofmolkerei Schlepzig'],
  ['Quark', 'dairy', 'piece', 'Hofmolkerei Schlepzig'],
  ['Butter', 'dairy', 'piece', 'Hofmolkerei Schlepzig'],
  ['Meerrettich', 'condiments', 'jar', 'Meerrettichhof Vetschau'],
  ['Sahnemeerrettich', 'condiments', 'jar', 'Meerrettichhof Vetschau'],
  ['Senf', 'condiments', 'jar', 'Meerrettichhof Vetschau'],
  ['Kartoffeln festkochend', 'potatoes', 'kg', 'Biohof Lehmann, Lieberose'],
  ['Kartoffeln mehligkochend', 'potatoes', 'kg', 'Biohof Lehmann, Lieberose'],
  ['Eier', 'eggs', 'pack', 'Biohof Lehmann, Lieberose'],
  ['Blütenhonig', 'honey', 'jar', 'Imkerei Wendisch, Burg'],
  ['Waldhonig', 'honey', 'jar', 'Imkerei Wendisch, Burg'],
  ['Räucheraal', 'fish', 'piece', 'Fischerei Petrick, Lübben'],
  ['Zander', 'fish', 'kg', 'Fischerei Petrick, Lübben'],
  ['Karpfen', 'fish', 'piece', 'Fischerei Petrick, Lübben'],
  ['Hecht', 'fish', 'kg', 'Fischerei Petrick, Lübben'],
  ['Spreewälder Leberwurst', 'meat', 'jar', 'Landfleischerei Schulze, Straupitz'],
  ['Knacker', 'meat', 'pack', 'Landfleischerei Schulze, Straupitz'],
  ['Bauernbrot', 'bread', 'piece', 'Bäckerei Domain, Cottbus'],
  ['Plinsen', 'bread', 'pack', 'Bäckerei Domain, Cottbus'],
  ['Äpfel', 'fruit', 'kg', 'Obsthof Jank, Schlepzig'],
  ['Birnen', 'fruit', 'kg', 'Obsthof Jank, Schlepzig'],
  ['Möhren', 'vegetables', 'kg', 'Gemüsehof Kito, Vetschau'],
  ['Zwiebeln', 'vegetables', 'kg', 'Gemüsehof Kito, Vetschau'],
  ['Kürbis', 'vegetables', 'piece', 'Gemüsehof Kito, Vetschau'],
  ['Rote Bete', 'vegetables', 'kg', 'Gemüsehof Kito, Vetschau'],
  ['Weißkohl', 'vegetables', 'piece', 'Gemüsehof Kito, Vetschau'],
  ['Apfelsaft', 'drinks', 'bottle', 'Obsthof Jank, Schlepzig'],
  ['Birnensaft', 'drinks', 'bottle', 'Obsthof Jank, Schlepzig'],
  ['Sanddornsaft', 'drinks', 'bottle', 'Obsthof Jank, Schlepzig'],
  ['Gurkensalat', 'pickles', 'jar', 'Spreewaldhof Krüger, Lübbenau'],
  ['Pflaumenmus', 'fruit', 'jar', 'Obsthof Jank, Schlepzig'],
  ['Kürbiskernöl', 'oil', 'bottle', 'Ölmühle Straupitz'],
  ['Hanföl', 'oil', 'bottle', 'Ölmühle Straupitz'],
  ['Ziegenkäse', 'dairy', 'piece', 'Ziegenhof Byhleguhre'],
  ['Buttermilch', 'dairy', 'bottle', 'Hofmolkerei Schlepzig'],
  ['Heringssalat', 'fish', 'jar', 'Fischerei Petrick, Lübben'],
  ['Schmalz', 'meat', 'jar', 'Landfleischerei Schulze, Straupitz'],
  ['Brötchen', 'bread', 'piece', 'Bäckerei Domain, Cottbus'],
  ['Kräuterquark', 'dairy', 'piece', 'Hofmolkerei Schlepzig'],
];

/** About 45 offers of one week; offer ids start at 101 in list order. */
export const DEMO_VOCABULARY: VocabularyEntry[] = OFFERS.map(([productName, category, unit, producerName], i) => ({
  offerId: 101 + i, productName, category, unit, producerName,
}));

/** The offer id of a product in the demo vocabulary. */
export function offerIdOf(productName: string): number {
  const entry = DEMO_VOCABULARY.find((offer) => offer.productName === productName);
  if (!entry) throw new Error(`no demo offer ${productName}`);
  return entry.offerId;
}

export const DEMO_PLACES = [
  'Lübben', 'Lübbenau', 'Burg', 'Straupitz', 'Schlepzig', 'Vetschau', 'Lieberose', 'Cottbus', 'Byhleguhre',
  'Neu Zauche', 'Alt Zauche', 'Lehde', 'Leipe', 'Werben', 'Raddusch', 'Golßen', 'Lübben-Steinkirchen',
];
