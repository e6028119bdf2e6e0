/** The first screen: what to do next, ranked by the shared rules. */
import type { NodeView } from '@heph/oplog';
import { useEffect } from 'react';
import { useHephClient, useLiveQuery } from '../client/react.ts';

export const NEXT_LIMIT = 200;

export function NextView() {
  const { data, error } = useLiveQuery(
    async (client) => (await client.call('task.next', { limit: NEXT_LIMIT })).tasks,
    [],
  );
  useFirstListMark(data !== undefined);
  if (error && !data) return <p role="alert">Could not load tasks: {error.message}</p>;
  if (!data) return <p className="loading">Loading…</p>;
  if (data.length === 0) {
    return (
      <p className="empty" data-testid="next-empty">
        Nothing to do next. Add a task above.
      </p>
    );
  }
  return (
    <ul className="task-list" aria-label="Next" data-testid="next-list">
      {data.map((task) => (
        <TaskRow key={task.id} task={task} />
      ))}
    </ul>
  );
}

function TaskRow({ task }: { task: NodeView }) {
  const client = useHephClient();
  return (
    <li className="task-row" data-testid="task-row" data-id={task.id}>
      <button
        type="button"
        className="task-done"
        aria-label={`Done: ${task.title}`}
        onClick={() => void client.call('task.done', { id: task.id })}
      />
      <span className={`task-title attention-${task.attention ?? 'none'}`}>{task.title}</span>
      {task.doDate !== null && (
        <time className="task-date" dateTime={new Date(task.doDate).toISOString()}>
          {new Date(task.doDate).toLocaleDateString([], { month: 'short', day: 'numeric' })}
        </time>
      )}
    </li>
  );
}

/** Marks the first time a list is on screen, for the start-up benchmark. */
function useFirstListMark(shown: boolean) {
  useEffect(() => {
    if (shown && performance.getEntriesByName('heph:first-list').length === 0) {
      performance.mark('heph:first-list');
    }
  }, [shown]);
}
