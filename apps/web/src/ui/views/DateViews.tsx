/**
 * Today (do date reached; late ones first and marked late) and Upcoming
 * (later do dates, grouped by day).
 */
import type { NodeView } from '@heph/oplog';
import { useLiveQuery } from '../../client/react.ts';
import { type ListItem, TaskList } from '../components/TaskList.tsx';
import { endOfLocalDay, formatDay, startOfLocalDay } from '../format.ts';
import { ViewFrame } from './ViewFrame.tsx';

const isLate = (task: NodeView, now: number) => task.lateOn !== null && task.lateOn <= now;

export function todayItems(tasks: readonly NodeView[], now: number): ListItem[] {
  const sorted = [...tasks].sort((a, b) => {
    const late = Number(isLate(b, now)) - Number(isLate(a, now));
    if (late !== 0) return late;
    return (a.doDate ?? a.lateOn ?? 0) - (b.doDate ?? b.lateOn ?? 0);
  });
  return sorted.map((task) => ({ kind: 'task', key: task.id, task, late: isLate(task, now) }));
}

export function TodayView() {
  const query = useLiveQuery(async (client) => {
    const now = Date.now();
    const tasks = await client.query('listTasks', {
      state: 'outstanding',
      dueBefore: endOfLocalDay(now),
    });
    return todayItems(tasks, now);
  }, []);
  return (
    <ViewFrame
      title="Today"
      query={query}
      isEmpty={(items) => items.length === 0}
      empty="Nothing due today."
      emptyTestId="today-empty"
    >
      {(items) => <TaskList items={items} label="Today" testId="today-list" />}
    </ViewFrame>
  );
}

export function upcomingItems(tasks: readonly NodeView[], now: number): ListItem[] {
  const after = endOfLocalDay(now);
  const later = tasks
    .filter((task) => task.doDate !== null && task.doDate > after)
    .sort((a, b) => (a.doDate as number) - (b.doDate as number));

  const items: ListItem[] = [];
  let day = -1;
  for (const task of later) {
    const start = startOfLocalDay(task.doDate as number);
    if (start !== day) {
      day = start;
      items.push({ kind: 'header', key: `day-${start}`, label: formatDay(start, now) });
    }
    items.push({ kind: 'task', key: task.id, task });
  }
  return items;
}

export function UpcomingView() {
  const query = useLiveQuery(async (client) => {
    const tasks = await client.query('listTasks', { state: 'outstanding' });
    return upcomingItems(tasks, Date.now());
  }, []);
  return (
    <ViewFrame
      title="Upcoming"
      query={query}
      isEmpty={(items) => items.length === 0}
      empty="Nothing planned after today."
      emptyTestId="upcoming-empty"
    >
      {(items) => <TaskList items={items} label="Upcoming" testId="upcoming-list" />}
    </ViewFrame>
  );
}
