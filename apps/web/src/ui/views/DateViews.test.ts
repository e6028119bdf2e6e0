import type { NodeView } from '@heph/oplog';
import { describe, expect, it } from 'vitest';
import { todayItems, upcomingItems } from './DateViews.tsx';

const NOW = new Date(2026, 11, 4, 15, 0).getTime();
const at = (day: number, hour = 9) => new Date(2026, 11, day, hour).getTime();

function task(id: string, doDate: number | null, lateOn: number | null = null): NodeView {
  return {
    id,
    kind: 'task',
    title: id,
    createdAt: 0,
    updatedAt: 0,
    deleted: false,
    state: 'outstanding',
    doDate,
    lateOn,
    attention: null,
    project: null,
    recurrence: null,
    closedAt: null,
    tags: [],
    fields: {},
  };
}

describe('Today and Upcoming', () => {
  it('puts late tasks first and marks them', () => {
    const items = todayItems([task('a', at(4, 8)), task('late', null, at(3))], NOW);
    expect(items.map((item) => item.kind === 'task' && [item.task.id, item.late])).toEqual([
      ['late', true],
      ['a', false],
    ]);
  });

  it('groups later tasks by day, in date order', () => {
    const items = upcomingItems(
      [task('b', at(7)), task('today', at(4, 20)), task('a', at(5)), task('c', at(7, 18))],
      NOW,
    );
    expect(
      items.map((item) => (item.kind === 'header' ? `# ${item.label}` : item.task.id)),
    ).toEqual(['# Tomorrow', 'a', expect.stringMatching(/^# /), 'b', 'c']);
  });
});
