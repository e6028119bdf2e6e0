/** The task's log: entries with their times, newest last, and a line to add one. */
import { type FormEvent, useState } from 'react';
import { useHephClient, useLiveQuery } from '../../client/react.ts';
import { formatStamp } from '../format.ts';

export function LogSection({ id }: { id: string }) {
  const client = useHephClient();
  const { data: entries } = useLiveQuery((c) => c.query('getLog', id), [id]);
  const [text, setText] = useState('');

  async function add(event: FormEvent) {
    event.preventDefault();
    if (text.trim() === '') return;
    await client.call('log.append', { id, text: text.trim() });
    setText('');
  }

  return (
    <section className="detail-section" aria-labelledby="log-heading">
      <h3 id="log-heading">Log</h3>
      {entries && entries.length > 0 ? (
        <ol className="log-entries" aria-label="Log entries">
          {entries.map((entry) => (
            <li key={entry.clock} data-testid="log-entry">
              <time dateTime={new Date(entry.at).toISOString()}>{formatStamp(entry.at)}</time>
              <span>{entry.text}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="hint">Nothing logged yet.</p>
      )}
      <form className="inline-form" onSubmit={add}>
        <input
          aria-label="New log entry"
          placeholder="What happened?"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit">Add to log</button>
      </form>
    </section>
  );
}
