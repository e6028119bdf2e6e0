/**
 * "What is next?": an urgency score for each outstanding task, and the Next
 * list ordered by it (SPEC.md, RANK-*).
 *
 * The score is a plain sum of weighted signals so the owner can read why a
 * task sits where it does; every weight lives in URGENCY below and nowhere
 * else. Attention dominates by design (the owner set it on purpose); the
 * clock-driven signals (late, do date reached, age) reorder tasks within and
 * slightly across tiers. Blue ("on deck") is kept below every other tier by
 * the sort itself, not by weights, so no amount of lateness lifts it.
 */
import type { Attention, NodeView } from '../replica.ts';

const DAY_MS = 86_400_000;

export const URGENCY = {
  /** Points per attention tier; a task with no attention counts as white. */
  attention: { red: 12, orange: 6, white: 2, blue: 0 } satisfies Record<Attention, number>,
  /** Once the late-on date has passed. */
  late: 5,
  /** Per whole day past the late-on date, up to lateDaysCap days. */
  latePerDay: 0.5,
  lateDaysCap: 14,
  /** Once the do date has been reached (tasks without a do date get nothing). */
  doDateReached: 2,
  /** Per day since the task was created, up to ageDaysCap days: old tasks creep up. */
  agePerDay: 0.05,
  ageDaysCap: 60,
  /** A task filed under a project is part of a plan. */
  project: 0.5,
  /** Per tag, up to tagsCap tags: tagged tasks were sorted by the owner. */
  perTag: 0.25,
  tagsCap: 4,
} as const;

/** How urgent an outstanding task is at `now`; higher is more urgent. */
export function urgency(task: NodeView, now: number): number {
  const attention = URGENCY.attention[task.attention ?? 'white'];
  return (
    attention +
    lateScore(task, now) +
    doDateScore(task, now) +
    ageScore(task, now) +
    (task.project !== null ? URGENCY.project : 0) +
    Math.min(task.tags.length, URGENCY.tagsCap) * URGENCY.perTag
  );
}

/** True when the task may appear in Next at `now` ([RANK-1], [RANK-2]). */
export function isNextCandidate(task: NodeView, now: number): boolean {
  if (task.kind !== 'task' || task.deleted || task.state !== 'outstanding') return false;
  return task.doDate === null || task.doDate <= now;
}

/**
 * [RANK-3] Non-blue before blue, then by urgency, highest first, then by id,
 * so every replica lists equal scores in the same order ([RANK-4]).
 */
export function rankNext(tasks: readonly NodeView[], now: number): NodeView[] {
  const scored = tasks
    .filter((task) => isNextCandidate(task, now))
    .map((task) => ({ task, score: urgency(task, now), blue: task.attention === 'blue' }));

  scored.sort((a, b) => {
    if (a.blue !== b.blue) return a.blue ? 1 : -1;
    if (a.score !== b.score) return b.score - a.score;
    return a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0;
  });
  return scored.map((entry) => entry.task);
}

function lateScore(task: NodeView, now: number): number {
  if (task.lateOn === null || task.lateOn > now) return 0;
  const days = Math.min(Math.floor((now - task.lateOn) / DAY_MS), URGENCY.lateDaysCap);
  return URGENCY.late + days * URGENCY.latePerDay;
}

function doDateScore(task: NodeView, now: number): number {
  return task.doDate !== null && task.doDate <= now ? URGENCY.doDateReached : 0;
}

function ageScore(task: NodeView, now: number): number {
  const days = Math.max(0, (now - task.createdAt) / DAY_MS);
  return Math.min(days, URGENCY.ageDaysCap) * URGENCY.agePerDay;
}
