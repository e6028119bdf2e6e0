/** The first screen: what to do next, ranked by the shared rules. */
import { useEffect } from 'react';
import { useLiveQuery } from '../client/react.ts';
import { TaskList, taskItems } from './components/TaskList.tsx';

export const NEXT_LIMIT = 200;

export function NextView() {
  // The list saved by the last page paints at once; the worker's answer follows.
  const { data, error, saved } = useLiveQuery(
    async (client) => (await client.call('task.next', { limit: NEXT_LIMIT })).tasks,
    [],
    (client) => client.savedNext(NEXT_LIMIT),
  );
  useFirstListMark(data !== undefined, saved === true);
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

/** Marks the first list on screen, and the first live one, for the start-up benchmark. */
function useFirstListMark(shown: boolean, saved: boolean) {
  useEffect(() => {
    if (!shown) return;
    markOnce('heph:first-list');
    if (!saved) markOnce('heph:first-live-list');
  }, [shown, saved]);
}

function markOnce(name: string) {
  if (performance.getEntriesByName(name).length === 0) performance.mark(name);
}
