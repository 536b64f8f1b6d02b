/**
 * Unit words, German and English, mapped to the sales units of catalog/types.ts.
 * Words are looked up in folded form (normalize.ts `foldUmlauts`): "glaeser", "stueck".
 */
import type { Unit } from '../../catalog/types.ts';

/** A unit word read as `scale` of `unit`: "Pfund" is 500 g, "ml" is 0.001 l. */
export interface UnitReading {
  unit: Unit;
  scale: number;
}

const WORDS: Array<[Unit, number, string[]]> = [
  ['jar', 1, ['glas', 'glaeser', 'glaesern', 'glaschen', 'glaeschen', 'dose', 'dosen', 'jar', 'jars']],
  // A Becher of Quark is counted like a piece.
  ['piece', 1, ['stueck', 'stk', 'st', 'stueckchen', 'becher', 'piece', 'pieces', 'pc', 'pcs']],
  ['bottle', 1, ['flasche', 'flaschen', 'fl', 'flaeschchen', 'bottle', 'bottles']],
  ['kg', 1, ['kg', 'kilo', 'kilos', 'kilogramm', 'kilogram', 'kilograms', 'kilogramme']],
  ['g', 1, ['g', 'gr', 'gramm', 'gram', 'grams', 'gramme']],
  // "Pfund" is the everyday 500 g; nobody at a Spreewald farm shop means an imperial pound.
  ['g', 500, ['pfund', 'pfd', 'pound', 'pounds', 'lb', 'lbs']],
  ['l', 1, ['l', 'liter', 'litre', 'liters', 'litres', 'ltr']],
  ['l', 0.001, ['ml', 'milliliter', 'millilitre', 'millilitres', 'milliliters']],
  ['bunch', 1, ['bund', 'bunde', 'buendel', 'bunch', 'bunches']],
  ['bag', 1, ['beutel', 'tuete', 'tueten', 'sack', 'saecke', 'netz', 'bag', 'bags', 'sackerl']],
  ['pack', 1, ['packung', 'packungen', 'pck', 'pack', 'packs', 'packet', 'packets', 'package', 'packages', 'schale', 'schalen', 'karton', 'kartons', 'pkg']],
];

const BY_WORD = new Map<string, UnitReading>();
for (const [unit, scale, words] of WORDS) for (const word of words) BY_WORD.set(word, { unit, scale });

/** The unit a folded word names, or null: "glaeser" → jar, "pfund" → 500 g. */
export function readUnit(foldedWord: string): UnitReading | null {
  return BY_WORD.get(foldedWord) ?? null;
}
