/**
 * The one list every view uses: virtualized against the window's scroll, so
 * 10,000 rows cost what the screen shows. Items are tasks and, for grouped
 * views (Upcoming, Projects, Tags), headers between them.
 *
 * A row offers done at the thumb, the title opens the detail, and "more"
 * opens skip and drop. On a touch screen a swipe right is done and a swipe
 * left is skip (recurring) or drop; every one of them shows an Undo toast.
 */
import type { NodeView } from '@heph/oplog';
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { type PointerEvent, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useHephClient } from '../../client/react.ts';
import { actOnTask, isRecurring, type TaskAction } from '../actions.ts';
import { formatWhen } from '../format.ts';
import { routeHref } from '../router.ts';
import { type ListNav, useRegisterList } from './list-nav.ts';
import { useToast } from './Toast.tsx';
import { useProjects } from './useProjects.ts';

export type ListItem =
  | { kind: 'header'; key: string; label: string; count?: number }
  | { kind: 'task'; key: string; task: NodeView; late?: boolean };

export function taskItems(tasks: readonly NodeView[], now?: number): ListItem[] {
  return tasks.map((task) => ({
    kind: 'task',
    key: task.id,
    task,
    late: now !== undefined && task.lateOn !== null && task.lateOn <= now,
  }));
}

interface TaskListProps {
  items: ListItem[];
  label: string;
  testId?: string;
  /** Shown with the logbook's closed tasks instead of a done button. */
  closed?: boolean;
}

const SWIPE_PX = 80;

export function TaskList({ items, label, testId, closed = false }: TaskListProps) {
  const listRef = useRef<HTMLUListElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  const [selected, setSelected] = useState(-1);
  const { titles } = useProjects();
  const now = Date.now();

  useLayoutEffect(() => {
    setScrollMargin(listRef.current?.offsetTop ?? 0);
  }, []);

  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize: (index) => (items[index]?.kind === 'header' ? 44 : 58),
    overscan: 8,
    scrollMargin,
    getItemKey: (index) => items[index]?.key ?? index,
  });

  const nav = useMemo<ListNav>(() => {
    const taskIndexes = () => items.flatMap((item, index) => (item.kind === 'task' ? [index] : []));
    return {
      move(delta) {
        const indexes = taskIndexes();
        if (indexes.length === 0) return;
        setSelected((old) => {
          const at = indexes.indexOf(old);
          const next = at === -1 ? (delta > 0 ? 0 : indexes.length - 1) : at + delta;
          const index = indexes[Math.max(0, Math.min(indexes.length - 1, next))] as number;
          virtualizer.scrollToIndex(index, { align: 'auto' });
          return index;
        });
      },
      selected() {
        const item = items[selected];
        return item?.kind === 'task' ? item.task : null;
      },
    };
  }, [items, selected, virtualizer]);
  useRegisterList(nav);

  return (
    <ul
      ref={listRef}
      className="task-list"
      aria-label={label}
      data-testid={testId}
      style={{ height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((row) => {
        const item = items[row.index] as ListItem;
        return (
          <li
            key={row.key}
            data-index={row.index}
            ref={virtualizer.measureElement}
            className="task-list-item"
            style={{ transform: `translateY(${row.start - scrollMargin}px)` }}
          >
            {item.kind === 'header' ? (
              <h3 className="list-header" data-testid="list-header">
                <span>{item.label}</span>
                {item.count !== undefined && (
                  <span className="list-count" data-testid="list-count">
                    {item.count}
                  </span>
                )}
              </h3>
            ) : (
              <TaskRow
                task={item.task}
                late={item.late ?? false}
                now={now}
                closed={closed}
                selected={row.index === selected}
                project={item.task.project ? titles.get(item.task.project) : undefined}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}

interface TaskRowProps {
  task: NodeView;
  late: boolean;
  now: number;
  closed: boolean;
  selected: boolean;
  project: string | undefined;
}

function TaskRow({ task, late, now, closed, selected, project }: TaskRowProps) {
  const client = useHephClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const swipe = useSwipe((direction) =>
    act(direction === 'right' ? 'done' : isRecurring(task) ? 'skip' : 'drop'),
  );

  function act(action: TaskAction) {
    actOnTask(client, task, action).then(toast, (error: Error) => toast({ text: error.message }));
  }

  return (
    <div
      className={`task-row attention-${task.attention ?? 'none'}`}
      data-testid="task-row"
      data-id={task.id}
      data-selected={selected || undefined}
      data-late={late || undefined}
      {...swipe.handlers}
      style={swipe.offset === 0 ? undefined : { transform: `translateX(${swipe.offset}px)` }}
    >
      {closed ? (
        <span className={`task-closed task-closed-${task.state}`} data-testid="task-state">
          {task.state === 'dropped' ? 'Dropped' : 'Done'}
        </span>
      ) : (
        <button
          type="button"
          className="task-done"
          aria-label={`Done: ${task.title}`}
          onClick={() => act('done')}
        />
      )}
      <a className="task-main" href={routeHref('task', task.id)}>
        <span className="task-title">{task.title}</span>
        <span className="task-meta">
          {late && (
            <span className="badge badge-late" data-testid="late-mark">
              Late
            </span>
          )}
          {closed && task.closedAt !== null && <span>{formatWhen(task.closedAt, now)}</span>}
          {!closed && task.doDate !== null && (
            <time dateTime={new Date(task.doDate).toISOString()} data-testid="task-date">
              {formatWhen(task.doDate, now)}
            </time>
          )}
          {task.recurrence && (
            <span className="task-repeats" title="Repeats">
              ↻
            </span>
          )}
          {project && <span className="task-project">#{project}</span>}
          {task.tags.map((tag) => (
            <span key={tag} className="task-tag">
              @{tag}
            </span>
          ))}
        </span>
      </a>
      {!closed && (
        <button
          type="button"
          className="task-more"
          aria-label={`More actions: ${task.title}`}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
        >
          ⋯
        </button>
      )}
      {open && !closed && (
        <div className="task-actions">
          {isRecurring(task) && (
            <button type="button" onClick={() => act('skip')}>
              Skip
            </button>
          )}
          <button type="button" onClick={() => act('drop')}>
            Drop
          </button>
        </div>
      )}
    </div>
  );
}

/** Horizontal swipes on touch screens; vertical movement stays the page's scroll. */
function useSwipe(onSwipe: (direction: 'left' | 'right') => void) {
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  const [offset, setOffset] = useState(0);

  const handlers = {
    onPointerDown(event: PointerEvent) {
      if (event.pointerType !== 'touch') return;
      start.current = { x: event.clientX, y: event.clientY, id: event.pointerId };
    },
    onPointerMove(event: PointerEvent) {
      const from = start.current;
      if (!from || from.id !== event.pointerId) return;
      const dx = event.clientX - from.x;
      if (Math.abs(event.clientY - from.y) > Math.abs(dx)) return;
      setOffset(dx);
    },
    onPointerUp(event: PointerEvent) {
      const from = start.current;
      start.current = null;
      setOffset(0);
      if (!from || from.id !== event.pointerId) return;
      const dx = event.clientX - from.x;
      if (Math.abs(dx) >= SWIPE_PX) onSwipe(dx > 0 ? 'right' : 'left');
    },
    onPointerCancel() {
      start.current = null;
      setOffset(0);
    },
  };
  return { handlers, offset };
}
