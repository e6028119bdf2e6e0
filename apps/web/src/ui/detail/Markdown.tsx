/**
 * The context document rendered as Markdown. micromark escapes raw HTML and
 * drops javascript: and other unsafe link protocols by default, so the
 * output holds only the markup Markdown itself produces.
 */
import { micromark } from 'micromark';
import { useMemo } from 'react';

export function Markdown({ text }: { text: string }) {
  const html = useMemo(() => micromark(text), [text]);
  return (
    <div
      className="markdown"
      data-testid="context-rendered"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: micromark never passes raw HTML through
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
