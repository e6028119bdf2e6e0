import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/domain/commands.ts';
import { OplogError } from '../../src/errors.ts';
import type { Op } from '../../src/op.ts';
import { createWorld, exchange, type World } from './world.ts';

/** Friday 2026-12-04, 15:30 in Berlin. */
const NOW = Date.parse('2026-12-04T14:30:00Z');
const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;
const iso = (instant: number | null | undefined) =>
  instant === null || instant === undefined ? instant : new Date(instant).toISOString();

const world = (seed = 1) => createWorld(seed, NOW, ZONE);

async function failure(run: () => Promise<unknown>): Promise<OplogError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(OplogError);
    return error as OplogError;
  }
  throw new Error('the command succeeded');
}

async function create(w: World, params: Record<string, unknown>) {
  const { node_id } = await w.call('task.create', params);
  return (await w.call('node.show', { id: node_id })).node;
}

async function ownOps(w: World): Promise<Op[]> {
  const page = await w.replica.opsAfter(0, { limit: 10_000 });
  return page.items.map((stored) => stored.op);
}

describe('params', () => {
  it.each([
    ['task.edit', { id: 'X', do_date: 'tomorrow' }, 'do_date'],
    ['task.create', { title: 'T', attention: 'purple' }, 'attention'],
    ['task.create', {}, 'title'],
    ['task.create', { title: '   ' }, 'title'],
    ['task.next', { limit: 0 }, 'limit'],
    ['task.list', { limit: 'ten' }, 'limit'],
    ['task.create', { title: 'T', tags: ['ok', 3] }, 'tags.1'],
    ['link.add', { from: 'A' }, 'to'],
    ['task.done', undefined, 'id'],
    ['task.create', { title: 'x'.repeat(2001) }, 'title'],
    ['tag.add', { id: 'X', tag: 't'.repeat(101) }, 'tag'],
  ] as const)('[TASK-1] %s with %j is invalid_value on %s', async (method, params, field) => {
    const w = await world();
    const error = await failure(() => w.call(method, params));
    expect(error.code).toBe('invalid_value');
    expect(error.data.field).toBe(field);
  });

  it('[TASK-1] bad dates and rules fail on their field before any op is written', async () => {
    const w = await world();
    const before = await w.replica.lastSeq();
    expect(
      (await failure(() => w.call('task.create', { title: 'T', doDate: 'soon' }))).data.field,
    ).toBe('doDate');
    const rule = await failure(() => w.call('task.create', { title: 'T', recurrence: 'often' }));
    expect(rule.data.field).toBe('recurrence');
    expect(await w.replica.lastSeq()).toBe(before);
  });

  it('[TASK-1] runCommand refuses an unknown method by name', async () => {
    const w = await world();
    const error = await failure(() => runCommand(w.ctx, 'task.explode' as 'task.next', {}));
    expect(error.data).toEqual({ field: 'method', value: 'task.explode' });
  });
});

describe('task.create', () => {
  it('[TASK-2] reads quick-add text into fields, tags and a new project', async () => {
    const w = await world();
    const task = await create(w, {
      text: 'Call the plumber tomorrow 9am #home !red every 3 months @Phone',
    });
    expect(task.title).toBe('Call the plumber');
    expect(task.state).toBe('outstanding');
    expect(iso(task.doDate)).toBe('2026-12-05T08:00:00.000Z');
    expect(task.attention).toBe('red');
    expect(task.recurrence).toBe('FREQ=MONTHLY;INTERVAL=3');
    expect(task.tags).toEqual(['phone']);
    expect(task.fields.timezone).toBe(ZONE);

    const { projects } = await w.call('project.list', {});
    expect(projects.map((project) => [project.id, project.title])).toEqual([
      [task.project, 'home'],
    ]);
  });

  it('[TASK-2] explicit fields override the text; none removes what the text gave', async () => {
    const w = await world();
    const task = await create(w, {
      text: 'Pay rent tomorrow !red @bills',
      title: 'Pay the rent',
      attention: 'none',
      lateOn: '2026-12-10',
      tags: ['money'],
    });
    expect(task.title).toBe('Pay the rent');
    expect(task.attention).toBeNull();
    expect(iso(task.doDate)).toBe('2026-12-04T23:00:00.000Z');
    expect(iso(task.lateOn)).toBe('2026-12-09T23:00:00.000Z');
    expect(task.tags).toEqual(['money']);
  });

  it('[TASK-2] text with nothing but tokens has no title', async () => {
    const w = await world();
    const error = await failure(() => w.call('task.create', { text: '#home tomorrow' }));
    expect(error.data.field).toBe('title');
  });

  it('[TASK-2] title plus fields, with epoch ms dates', async () => {
    const w = await world();
    const task = await create(w, { title: 'Renew passport', doDate: NOW + HOUR });
    expect(task.doDate).toBe(NOW + HOUR);
    expect(task.project).toBeNull();
  });
});

describe('projects', () => {
  it('[TASK-4] a title names an existing project ignoring case; a new title creates one', async () => {
    const w = await world();
    const first = await create(w, { text: 'Sweep #Garage' });
    const second = await create(w, { title: 'Oil hinges', project: 'garage' });
    const third = await create(w, { title: 'Dig', project: 'Garden' });
    expect(second.project).toBe(first.project);
    expect(third.project).not.toBe(first.project);
    expect((await w.call('project.list', {})).projects).toHaveLength(2);
  });

  it('[TASK-4] a project id or unique prefix names it; a task id is refused', async () => {
    const w = await world();
    const { node_id: project } = await w.call('project.create', { title: 'House' });
    const task = await create(w, { title: 'Paint', project });
    expect(task.project).toBe(project);
    expect((await w.call('project.create', { title: 'house' })).node_id).toBe(project);

    const error = await failure(() => w.call('task.create', { title: 'X', project: task.id }));
    expect(error.code).toBe('invalid_value');
    expect(error.data.field).toBe('project');
  });

  it('[TASK-4] task.list names a project without creating one; none lists tasks without one', async () => {
    const w = await world();
    const filed = await create(w, { text: 'Sweep #garage' });
    const loose = await create(w, { title: 'Read' });
    const inGarage = await w.call('task.list', { project: 'GARAGE' });
    expect(inGarage.tasks.map((task) => task.id)).toEqual([filed.id]);
    const without = await w.call('task.list', { project: 'none' });
    expect(without.tasks.map((task) => task.id)).toEqual([loose.id]);
    expect((await failure(() => w.call('task.list', { project: 'attic' }))).code).toBe('not_found');
    expect((await w.call('project.list', {})).projects).toHaveLength(1);
  });
});

describe('task.edit', () => {
  it('[TASK-3] changes only the named fields; none clears them', async () => {
    const w = await world();
    const task = await create(w, { text: 'Fix gate tomorrow !red #home by 2026-12-10' });
    const { node } = await w.call('task.edit', {
      id: task.id,
      doDate: 'none',
      attention: 'orange',
      project: 'none',
    });
    expect(node.doDate).toBeNull();
    expect(node.attention).toBe('orange');
    expect(node.project).toBeNull();
    expect(node.lateOn).toBe(task.lateOn);
    expect(node.title).toBe('Fix gate');
  });

  it('[TASK-3] a title cannot be cleared; unchanged values write no op', async () => {
    const w = await world();
    const task = await create(w, { title: 'Fix gate', attention: 'red' });
    expect(
      (await failure(() => w.call('task.edit', { id: task.id, title: 'none' }))).data.field,
    ).toBe('title');
    const before = await w.replica.lastSeq();
    await w.call('task.edit', { id: task.id, attention: 'red', title: 'Fix gate' });
    expect(await w.replica.lastSeq()).toBe(before);
  });

  it('[TASK-3] [TASK-6] tags replace the tag set, stored without @ in lower case', async () => {
    const w = await world();
    const task = await create(w, { text: 'Plan @Trip @work' });
    const { node } = await w.call('task.edit', { id: task.id, tags: ['@WORK', 'urgent'] });
    expect(node.tags).toEqual(['urgent', 'work']);
    const error = await failure(() => w.call('tag.add', { id: task.id, tag: 'two words' }));
    expect(error.data.field).toBe('tag');
  });
});

describe('done, drop, skip', () => {
  it('[TASK-5] done sets state and closedAt; repeating it writes nothing', async () => {
    const w = await world();
    const task = await create(w, { title: 'Renew passport' });
    w.clock.advance(HOUR);
    const { node } = await w.call('task.done', { id: task.id });
    expect(node.state).toBe('done');
    expect(node.closedAt).toBe(NOW + HOUR);
    const before = await w.replica.lastSeq();
    expect((await w.call('task.done', { id: task.id })).node.state).toBe('done');
    expect(await w.replica.lastSeq()).toBe(before);
  });

  it('[TASK-5] drop sets dropped; done or skip on a dropped task is refused on state', async () => {
    const w = await world();
    const task = await create(w, { title: 'Learn the banjo', recurrence: 'weekly' });
    const { node } = await w.call('task.drop', { id: task.id });
    expect(node.state).toBe('dropped');
    expect(node.closedAt).toBe(NOW);
    for (const method of ['task.done', 'task.skip'] as const) {
      const error = await failure(() => w.call(method, { id: task.id }));
      expect(error.data).toEqual({ field: 'state', value: 'dropped' });
    }
  });

  it('[TASK-9] reopen takes done and dropped tasks back to outstanding; outstanding writes nothing', async () => {
    const w = await world();
    const task = await create(w, { title: 'Renew passport' });
    await w.call('task.done', { id: task.id });
    const reopened = (await w.call('task.reopen', { id: task.id })).node;
    expect(reopened.state).toBe('outstanding');
    expect(reopened.closedAt).toBeNull();

    await w.call('task.drop', { id: task.id });
    expect((await w.call('task.reopen', { id: task.id })).node.state).toBe('outstanding');
    const before = await w.replica.lastSeq();
    await w.call('task.reopen', { id: task.id });
    expect(await w.replica.lastSeq()).toBe(before);
  });

  it('[TASK-9] a recurring done is undone by a do date just after the closed occurrence', async () => {
    const w = await world();
    const task = await create(w, { text: 'Water plants tomorrow 8am every 3 days' });
    await w.call('task.done', { id: task.id });
    const { node } = await w.call('task.edit', {
      id: task.id,
      doDate: (task.doDate as number) + 1,
    });
    expect(node.doDate).toBe((task.doDate as number) + 1);
    const next = (await w.call('task.done', { id: task.id })).node;
    expect(iso(next.doDate)).toBe('2026-12-08T07:00:00.001Z');
  });

  it('[REC-1] done on a recurring task closes its occurrence and moves the do date on', async () => {
    const w = await world();
    const task = await create(w, { text: 'Water plants tomorrow 8am every 3 days' });
    const { node } = await w.call('task.done', { id: task.id });
    expect(node.state).toBe('outstanding');
    expect(iso(node.doDate)).toBe('2026-12-08T07:00:00.000Z');

    const closes = (await ownOps(w)).filter((op) => op.kind === 'occurrence.close');
    expect(closes).toMatchObject([{ node: task.id, occurrence: task.doDate, outcome: 'done' }]);
  });

  it('[REC-1] two replicas closing the same occurrence offline give one closing and one next', async () => {
    const a = await world(1);
    const b = await world(2);
    const task = await create(a, { text: 'Take out bins tomorrow 7am weekly' });
    await exchange(a.replica, b.replica);

    await a.call('task.done', { id: task.id });
    b.clock.advance(HOUR);
    await b.call('task.done', { id: task.id });
    await exchange(a.replica, b.replica);

    const onA = (await a.call('node.show', { id: task.id })).node;
    const onB = (await b.call('node.show', { id: task.id })).node;
    expect(onA).toEqual(onB);
    expect(iso(onA.doDate)).toBe('2026-12-12T06:00:00.000Z');
    for (const side of [a, b]) {
      const rows = await side.replica.executor.all('SELECT occurrence FROM occurrences');
      expect(rows).toEqual([{ occurrence: task.doDate }]);
    }
  });

  it('[REC-2] skip closes the occurrence as skipped; a plain task cannot skip', async () => {
    const w = await world();
    const task = await create(w, { text: 'Gym tomorrow 7am every monday and friday' });
    const { node } = await w.call('task.skip', { id: task.id });
    expect(iso(node.doDate)).toBe('2026-12-07T06:00:00.000Z');
    const closes = (await ownOps(w)).filter((op) => op.kind === 'occurrence.close');
    expect(closes).toMatchObject([{ outcome: 'skipped' }]);

    const plain = await create(w, { title: 'Once' });
    const error = await failure(() => w.call('task.skip', { id: plain.id }));
    expect(error.data).toEqual({ field: 'recurrence', value: null });
  });

  it('[REC-5] a recurring task without a do date starts on the rule first day from today', async () => {
    const w = await world();
    const monday = await create(w, { text: 'Weekly review every monday' });
    expect(iso(monday.doDate)).toBe('2026-12-06T23:00:00.000Z');
    const daily = await create(w, { text: 'Stretch daily' });
    expect(iso(daily.doDate)).toBe('2026-12-03T23:00:00.000Z');

    const plain = await create(w, { title: 'Floss' });
    const { node } = await w.call('task.edit', { id: plain.id, recurrence: 'weekdays' });
    expect(iso(node.doDate)).toBe('2026-12-03T23:00:00.000Z');
  });

  it('[REC-10] a new do date after the latest closing becomes the next do date', async () => {
    const w = await world();
    const task = await create(w, { text: 'Water plants tomorrow 8am every 3 days' });
    await w.call('task.done', { id: task.id });
    const { node } = await w.call('task.edit', { id: task.id, doDate: '2026-12-20 10am' });
    expect(iso(node.doDate)).toBe('2026-12-20T09:00:00.000Z');
    const next = await w.call('task.done', { id: task.id });
    expect(iso(next.node.doDate)).toBe('2026-12-23T09:00:00.000Z');

    const back = await w.call('task.edit', { id: task.id, doDate: '2026-12-01 10am' });
    expect(iso(back.node.doDate)).toBe('2026-12-22T09:00:00.000Z');
  });

  it('[REC-8] closing the last occurrence of a counted series leaves the task done', async () => {
    const w = await world();
    const task = await create(w, {
      title: 'Two doses',
      doDate: NOW,
      recurrence: 'FREQ=DAILY;COUNT=2',
    });
    expect((await w.call('task.done', { id: task.id })).node.state).toBe('outstanding');
    expect((await w.call('task.done', { id: task.id })).node.state).toBe('done');
  });
});

describe('lists', () => {
  it('[TASK-7] task.list shows outstanding tasks unless told; due means reached', async () => {
    const w = await world();
    const later = await create(w, { text: 'Later +3d' });
    const now = await create(w, { text: 'Now-ish today' });
    const done = await create(w, { title: 'Done' });
    await w.call('task.done', { id: done.id });

    const ids = async (params: Record<string, unknown>) =>
      (await w.call('task.list', params)).tasks.map((task) => task.id);
    expect(await ids({})).toEqual([later.id, now.id]);
    expect(await ids({ due: true })).toEqual([now.id]);
    expect(await ids({ state: 'done' })).toEqual([done.id]);
    expect(await ids({ limit: 1 })).toEqual([later.id]);
  });

  it('[TASK-7] task.next ranks reached outstanding tasks, blue last, with a limit', async () => {
    const w = await world();
    const blue = await create(w, { text: 'On deck !blue' });
    const white = await create(w, { text: 'Plain' });
    const red = await create(w, { text: 'Urgent !red' });
    await create(w, { text: 'Future !red +3d' });
    const next = await w.call('task.next', {});
    expect(next.tasks.map((task) => task.id)).toEqual([red.id, white.id, blue.id]);
    expect((await w.call('task.next', { limit: 1 })).tasks.map((task) => task.id)).toEqual([
      red.id,
    ]);
  });
});

describe('other nodes', () => {
  it('[TASK-8] ids resolve by prefix; a task command on a project is refused on id', async () => {
    const w = await world();
    const task = await create(w, { title: 'Paint #house' });
    const shown = await w.call('node.show', { id: task.id.toLowerCase() });
    expect(shown.node.id).toBe(task.id);
    const error = await failure(() => w.call('task.done', { id: task.project as string }));
    expect(error.data.field).toBe('id');
    expect((await failure(() => w.call('node.show', { id: 'ZZZZZZ' }))).code).toBe('not_found');
  });

  it('[TASK-8] context, log, tags, links and search go through the replica', async () => {
    const w = await world();
    const a = await create(w, { title: 'Re-file taxes' });
    const b = await create(w, { title: 'Find receipts' });

    await w.call('context.set', { id: a.id, text: 'Last year in the blue folder.' });
    await w.call('context.append', { id: a.id, text: 'Ask the accountant.' });
    expect((await w.call('context.get', { id: a.id })).text).toBe(
      'Last year in the blue folder.\nAsk the accountant.',
    );
    await w.call('log.append', { id: a.id, text: 'called the office' });
    expect((await w.call('log.list', { id: a.id })).entries.map((entry) => entry.text)).toEqual([
      'called the office',
    ]);

    await w.call('tag.add', { id: a.id, tag: '@Money' });
    await w.call('link.add', { from: a.id, to: b.id });
    const shown = await w.call('node.show', { id: a.id });
    expect(shown.node.tags).toEqual(['money']);
    expect(shown.links.outgoing).toEqual([b.id]);
    expect(shown.log).toHaveLength(1);

    await w.call('tag.remove', { id: a.id, tag: 'money' });
    await w.call('link.remove', { from: a.id, to: b.id });
    expect((await w.call('node.show', { id: a.id })).links.outgoing).toEqual([]);
    expect((await failure(() => w.call('link.add', { from: a.id, to: a.id }))).data.field).toBe(
      'to',
    );

    const { hits } = await w.call('search', { query: 're-file' });
    expect(hits.map((hit) => hit.node)).toContain(a.id);
  });
});
