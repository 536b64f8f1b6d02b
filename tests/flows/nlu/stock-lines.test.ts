import { describe, expect, it } from 'vitest';
import { parseStockLine, parseStockPost } from '../../../flows/nlu/stock-lines.ts';

describe('parseStockLine', () => {
  it.each([
    ['Senfgurken 40 Glas 3,50', 'Senfgurken', 40, 'jar', 350, null],
    ['Leinöl 250 ml, 20 Flaschen à 6,90 €', 'Leinöl', 20, 'bottle', 690, '250 ml'],
    ['Kartoffeln festkochend: 200 kg, 1,20 €/kg', 'Kartoffeln festkochend', 200, 'kg', 120, null],
    ['Eier 30 x 10er Packung je 3,80', 'Eier', 30, 'pack', 380, '10er'],
    ['Quark 500g 25 Stück 2,20', 'Quark', 25, 'piece', 220, '500 g'],
    ['Honig 12 Gläser a 6,50 EUR', 'Honig', 12, 'jar', 650, null],
    ['- Salzgurken: 30 Gläser zu je 3,20 €', 'Salzgurken', 30, 'jar', 320, null],
    ['Quark 25 x 500 g 2,20', 'Quark', 25, 'piece', 220, '500 g'],
    ['40 Glas Dillgurken à 3,40', 'Dillgurken', 40, 'jar', 340, null],
    ['Zander 8 kg 18,00 €/kg', 'Zander', 8, 'kg', 1800, null],
    ['Sanddornsaft 0,7 l 15 Fl. 5,90', 'Sanddornsaft', 15, 'bottle', 590, '0,7 l'],
    ['Eier 30 Packungen 4', 'Eier', 30, 'pack', 400, null],
    ['2. Bauernbrot 1 kg, 15 Stück, 4,50', 'Bauernbrot', 15, 'piece', 450, '1 kg'],
    ['Plinsen 40 à 2,00', 'Plinsen', 40, 'piece', 200, null],
    ['Räucheraal 12 Stück 6 Euro 50', 'Räucheraal', 12, 'piece', 650, null],
    ['Möhren 50 kg 1,80/kg', 'Möhren', 50, 'kg', 180, null],
    ['Äpfel (Elstar) 60 kg je 2,50 €', 'Äpfel (Elstar)', 60, 'kg', 250, null],
  ])('%s', (raw, productName, quantity, unit, priceCents, packSize) => {
    expect(parseStockLine(raw, 1)).toEqual({ ok: true, raw, lineNumber: 1, productName, quantity, unit, priceCents, packSize });
  });

  it.each([
    ['Dillgurken 20 Glas', 'no_price'],
    ['Senfgurken 3,50 €', 'no_quantity'],
    ['Senfgurken', 'no_quantity'],
    ['40 Glas 3,50', 'no_name'],
    ['Hallo zusammen, hier ist mein Angebot für diese Woche', 'unreadable'],
    ['???', 'unreadable'],
    ['asdf 123 qwe 456', 'no_price'],
  ])('cannot read %s: %s', (raw, reason) => {
    expect(parseStockLine(raw, 3)).toEqual({ ok: false, raw, lineNumber: 3, reason });
  });
});

describe('parseStockPost', () => {
  it('reads one product per line, skips blank and separator lines and keeps line numbers', () => {
    const post = 'Senfgurken 40 Glas 3,50\n\n-----\nQuark 500g 25 Stück 2,20\r\nDillgurken 20 Glas';
    expect(parseStockPost(post).map((line) => [line.lineNumber, line.ok])).toEqual([[1, true], [4, true], [5, false]]);
  });

  it('gives nothing for an empty post', () => {
    expect(parseStockPost('')).toEqual([]);
  });
});
