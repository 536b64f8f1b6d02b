/** The stock-post reader on the lead-ins farmers write before a product (found by a farmer trying it). */
import { describe, expect, it } from 'vitest';
import { readStockPost } from '../../../flows/nlu/stock-post.ts';

describe('readStockPost', () => {
  it.each([
    'Noch dazu: Radieschen 10 Bund 1,20',
    'Dazu noch Radieschen 10 Bund 1,20',
    'Außerdem: Radieschen 10 Bund 1,20',
    'Radieschen 10 Bund 1,20',
  ])('"%s" proposes a product named Radieschen, not its lead-in', (text) => {
    const reading = readStockPost(text, ['Senfgurken']);
    expect(reading.items.map((item) => [item.known, item.name, item.quantity])).toEqual([[null, 'Radieschen', 10]]);
  });
});
