import { describe, expect, it } from 'vitest';
import { snippetParts } from './Snippet.tsx';

describe('snippetParts', () => {
  it('splits on the \\u0002 \\u0003 marks search puts around matches', () => {
    expect(snippetParts('Order seed \u0002potatoes\u0003 from \u0002the\u0003 co-op')).toEqual([
      { text: 'Order seed ', match: false },
      { text: 'potatoes', match: true },
      { text: ' from ', match: false },
      { text: 'the', match: true },
      { text: ' co-op', match: false },
    ]);
  });

  it('drops an unclosed mark instead of showing it', () => {
    expect(snippetParts('a \u0002b')).toEqual([{ text: 'a b', match: false }]);
  });
});
