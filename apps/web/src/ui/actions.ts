/**
 * Acting on a task (done, drop, skip) and undoing it. Undo never rewinds the
 * op-log: it writes the previous values back as new ops, so it syncs like any
 * other edit.
 *
 * A plain task's done or drop is undone with task.reopen (state back to
 * outstanding, closedAt cleared). A recurring task's done or skip is
 * different: it closed one occurrence (an `occurrence.close` op, final by
 * REC-1), and the do date moved to the next one. Reopening the closed
 * occurrence is impossible, so undo moves the series' anchor to just after it
 * (1 ms later): by REC-10 a do date after the latest closing is the next do
 * date, so the task is due exactly when it was before, and doing it again
 * closes that occurrence and moves on as usual. Late-on is written back too.
 * A series with a COUNT restarts its count from the new anchor; that is the
 * one visible difference.
 */
import type { NodeView } from '@heph/oplog';
import type { HephClient } from '../client/heph-client.ts';
import type { ToastMessage } from './components/Toast.tsx';

export type TaskAction = 'done' | 'drop' | 'skip';

export function isRecurring(task: NodeView): boolean {
  return task.recurrence !== null && task.doDate !== null;
}

const METHOD = { done: 'task.done', drop: 'task.drop', skip: 'task.skip' } as const;

/** Runs the action and returns the toast that offers its undo. */
export async function actOnTask(
  client: HephClient,
  task: NodeView,
  action: TaskAction,
): Promise<ToastMessage> {
  const { node } = await client.call(METHOD[action], { id: task.id });
  return {
    text: describeOutcome(task, node, action),
    undo: () => undoAction(client, task, action),
  };
}

export async function undoAction(
  client: HephClient,
  before: NodeView,
  action: TaskAction,
): Promise<void> {
  if (action === 'drop' || !isRecurring(before)) {
    await client.call('task.reopen', { id: before.id });
    return;
  }
  const occurrence = before.doDate as number;
  await client.call('task.edit', {
    id: before.id,
    doDate: occurrence + 1,
    ...(before.lateOn !== null ? { lateOn: before.lateOn } : {}),
  });
}

function describeOutcome(before: NodeView, after: NodeView, action: TaskAction): string {
  if (action === 'drop') return `Dropped “${before.title}”`;
  const verb = action === 'done' ? 'Done' : 'Skipped';
  if (isRecurring(before) && after.state === 'outstanding' && after.doDate !== null) {
    const next = new Date(after.doDate).toLocaleDateString([], {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
    });
    return `${verb} “${before.title}”; next on ${next}`;
  }
  return `${verb} “${before.title}”`;
}
