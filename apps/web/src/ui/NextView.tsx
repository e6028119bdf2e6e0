/** The first screen: what to do next, ranked by the shared rules. */
import { useEffect } from 'react';
import { useLiveQuery } from '../client/react.ts';
import { TaskList, taskItems } from './components/TaskList.tsx';

export const NEXT_LIMIT = 200;

export function NextView() {
  const { data, error } = useLiveQuery(
    async (client) => (await client.call('task.next', { limit: NEXT_LIMIT })).tasks,
    [],
  );
  useFirstListMark(data !== undefined);
  if (error && !data) return <p role="alert">Could not load tasks: {error.message}</p>;
  if (!data) return <p className="loading">Loading…</p>;
  return (
    <section className="view" aria-label="Next">
      <h2 className="view-title">Next</h2>
      {data.length === 0 ? (
        <p className="empty" data-testid="next-empty">
          Nothing to do next. Add a task below.
        </p>
      ) : (
        <TaskList items={taskItems(data, Date.now())} label="Next" testId="next-list" />
      )}
    </section>
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
