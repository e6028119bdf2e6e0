import { describe, expect, it } from 'vitest';
import { isNextCandidate, rankNext, URGENCY, urgency } from '../../src/domain/ranking.ts';
import type { NodeView } from '../../src/replica.ts';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const DAY = 86_400_000;

function task(id: string, overrides: Partial<NodeView> = {}): NodeView {
  return {
    id,
    kind: 'task',
    title: id,
    createdAt: NOW,
    updatedAt: NOW,
    deleted: false,
    state: 'outstanding',
    doDate: null,
    lateOn: null,
    attention: null,
    project: null,
    recurrence: null,
    closedAt: null,
    tags: [],
    fields: {},
    ...overrides,
  };
}

const ids = (tasks: NodeView[]) => tasks.map((entry) => entry.id);

describe('rankNext', () => {
  it('[RANK-1] done, dropped, deleted and non-task nodes never appear', () => {
    const tasks = [
      task('A'),
      task('B', { state: 'done', attention: 'red' }),
      task('C', { state: 'dropped', attention: 'red' }),
      task('D', { deleted: true, attention: 'red' }),
      task('E', { kind: 'project', state: null }),
      task('F', { kind: 'note', state: null }),
    ];
    expect(ids(rankNext(tasks, NOW))).toEqual(['A']);
  });

  it('[RANK-2] a future do date keeps a task out; a reached one or none keeps it in', () => {
    const tasks = [
      task('A', { doDate: NOW + 1 }),
      task('B', { doDate: NOW }),
      task('C'),
      task('D', { doDate: NOW + DAY, lateOn: NOW - DAY, attention: 'red' }),
    ];
    expect(ids(rankNext(tasks, NOW))).toEqual(['B', 'C']);
    expect(isNextCandidate(task('X', { doDate: NOW + 1 }), NOW + 1)).toBe(true);
  });

  it('[RANK-3] every blue task sorts after every other tier, however late', () => {
    const tasks = [
      task('BLUE', { attention: 'blue', lateOn: NOW - 30 * DAY, doDate: NOW - 30 * DAY }),
      task('WHITE', { attention: 'white' }),
      task('NONE'),
      task('RED', { attention: 'red' }),
      task('ORANGE', { attention: 'orange' }),
    ];
    expect(urgency(tasks[0] as NodeView, NOW)).toBeGreaterThan(urgency(tasks[3] as NodeView, NOW));
    expect(ids(rankNext(tasks, NOW))).toEqual(['RED', 'ORANGE', 'NONE', 'WHITE', 'BLUE']);
  });

  it('[RANK-4] equal scores are ordered by id, whatever the input order', () => {
    const tasks = [task('C'), task('A'), task('B')];
    expect(ids(rankNext(tasks, NOW))).toEqual(['A', 'B', 'C']);
    expect(ids(rankNext([...tasks].reverse(), NOW))).toEqual(['A', 'B', 'C']);
  });
});

describe('urgency', () => {
  const base = urgency(task('A'), NOW);

  it('[RANK-5] attention tiers are worth their URGENCY points; unset counts as white', () => {
    expect(base).toBe(URGENCY.attention.white);
    expect(urgency(task('A', { attention: 'red' }), NOW)).toBe(URGENCY.attention.red);
    expect(urgency(task('A', { attention: 'orange' }), NOW)).toBe(URGENCY.attention.orange);
    expect(urgency(task('A', { attention: 'blue' }), NOW)).toBe(URGENCY.attention.blue);
  });

  it('[RANK-5] a passed late-on date adds points, growing per day up to the cap', () => {
    expect(urgency(task('A', { lateOn: NOW + 1 }), NOW)).toBe(base);
    expect(urgency(task('A', { lateOn: NOW }), NOW)).toBe(base + URGENCY.late);
    expect(urgency(task('A', { lateOn: NOW - 3 * DAY }), NOW)).toBe(
      base + URGENCY.late + 3 * URGENCY.latePerDay,
    );
    expect(urgency(task('A', { lateOn: NOW - 100 * DAY }), NOW)).toBe(
      base + URGENCY.late + URGENCY.lateDaysCap * URGENCY.latePerDay,
    );
  });

  it('[RANK-5] a reached do date, age, a project and tags each add their points', () => {
    expect(urgency(task('A', { doDate: NOW }), NOW)).toBe(base + URGENCY.doDateReached);
    expect(urgency(task('A', { createdAt: NOW - 10 * DAY }), NOW)).toBeCloseTo(
      base + 10 * URGENCY.agePerDay,
    );
    expect(urgency(task('A', { createdAt: NOW - 1000 * DAY }), NOW)).toBeCloseTo(
      base + URGENCY.ageDaysCap * URGENCY.agePerDay,
    );
    expect(urgency(task('A', { project: 'P' }), NOW)).toBe(base + URGENCY.project);
    expect(urgency(task('A', { tags: ['a', 'b', 'c', 'd', 'e', 'f'] }), NOW)).toBe(
      base + URGENCY.tagsCap * URGENCY.perTag,
    );
  });

  it('[RANK-5] a long-late orange task can pass a fresh red one', () => {
    const orange = task('A', { attention: 'orange', lateOn: NOW - 14 * DAY, doDate: NOW - DAY });
    const red = task('B', { attention: 'red' });
    expect(ids(rankNext([red, orange], NOW))).toEqual(['A', 'B']);
  });
});
