/** One line to capture a task; the shared parser reads dates, #projects and tags from it. */
import { type FormEvent, useState } from 'react';
import { useHephClient } from '../client/react.ts';

export function QuickAdd({ autoFocus = false }: { autoFocus?: boolean }) {
  const client = useHephClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = text.trim();
    if (!value) return;
    try {
      await client.call('task.create', { text: value });
      setText('');
      setError(null);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <form className="quick-add" onSubmit={submit}>
      <input
        aria-label="New task"
        placeholder="Add a task: “Call Ann tomorrow 9am #home”"
        value={text}
        // biome-ignore lint/a11y/noAutofocus: the capture shortcut opens straight into typing
        autoFocus={autoFocus}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit">Add</button>
      {error && (
        <p className="quick-add-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
