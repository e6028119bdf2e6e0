/** Done and dropped tasks, newest first. */
import { useLiveQuery } from '../../client/react.ts';
import { TaskList, taskItems } from '../components/TaskList.tsx';
import { ViewFrame } from './ViewFrame.tsx';

export function LogbookView() {
  const query = useLiveQuery(async (client) => {
    const [done, dropped] = await Promise.all([
      client.query('listTasks', { state: 'done' }),
      client.query('listTasks', { state: 'dropped' }),
    ]);
    return [...done, ...dropped].sort(
      (a, b) => (b.closedAt ?? b.updatedAt) - (a.closedAt ?? a.updatedAt),
    );
  }, []);
  return (
    <ViewFrame
      title="Logbook"
      query={query}
      isEmpty={(tasks) => tasks.length === 0}
      empty="Nothing done or dropped yet."
      emptyTestId="logbook-empty"
    >
      {(tasks) => (
        <TaskList items={taskItems(tasks)} label="Logbook" testId="logbook-list" closed />
      )}
    </ViewFrame>
  );
}
