import { describe, expect, it } from 'vitest';
import { readShare, sharedContext, sharedTitle } from './share.ts';

describe('share target', () => {
  it('takes the link out of the text when the app put it there', () => {
    const item = readShare('?share-text=Worth+reading+https%3A%2F%2Fbread.example%2Fsourdough');
    expect(item).toEqual({
      title: '',
      text: 'Worth reading https://bread.example/sourdough',
      url: 'https://bread.example/sourdough',
    });
    if (!item) throw new Error('no item');
    expect(sharedTitle(item)).toBe('Worth reading');
    expect(sharedContext(item)).toBe('<https://bread.example/sourdough>');
  });

  it('uses the shared title, and keeps extra text under the link', () => {
    const item = readShare(
      '?share-title=Sourdough&share-text=Starter+tips&share-url=https%3A%2F%2Fb.example%2Fx',
    );
    if (!item) throw new Error('no item');
    expect(sharedTitle(item)).toBe('Sourdough');
    expect(sharedContext(item)).toBe('<https://b.example/x>\n\nStarter tips');
  });

  it('names a bare link by its host, and ignores a launch without share params', () => {
    const item = readShare('?share-url=https%3A%2F%2Fnews.example%2Fa%2Fb');
    if (!item) throw new Error('no item');
    expect(sharedTitle(item)).toBe('news.example');
    expect(readShare('?capture=text')).toBeNull();
  });
});
