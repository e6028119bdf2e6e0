/** The context document: rendered Markdown, and an editor that saves with context.set. */
import { type FormEvent, useState } from 'react';
import { useHephClient, useLiveQuery } from '../../client/react.ts';
import { Markdown } from './Markdown.tsx';

export function ContextSection({ id }: { id: string }) {
  const client = useHephClient();
  const { data: text } = useLiveQuery((c) => c.query('getContext', id), [id]);
  const [draft, setDraft] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (draft === null) return;
    await client.call('context.set', { id, text: draft });
    setDraft(null);
  }

  return (
    <section className="detail-section" aria-labelledby="context-heading">
      <div className="section-head">
        <h3 id="context-heading">Context</h3>
        {draft === null && (
          <button type="button" onClick={() => setDraft(text ?? '')}>
            Edit context
          </button>
        )}
      </div>
      {draft === null ? (
        text ? (
          <Markdown text={text} />
        ) : (
          <p className="hint">No context yet: notes, links, what you already know.</p>
        )
      ) : (
        <form className="context-editor" onSubmit={save}>
          <textarea
            aria-label="Context (Markdown)"
            value={draft}
            rows={10}
            // biome-ignore lint/a11y/noAutofocus: the owner just asked to edit
            autoFocus
            onChange={(event) => setDraft(event.target.value)}
          />
          <div className="row-buttons">
            <button type="submit" className="primary">
              Save context
            </button>
            <button type="button" onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
