import type { NodeView } from '@heph/oplog';
import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatHits,
  formatNode,
  formatTable,
  formatTaskList,
  renderSnippet,
  shortIdLength,
} from '../src/format.ts';

const NOW = Date.UTC(2026, 11, 4, 12, 0);

function task(id: string, fields: Partial<NodeView> = {}): NodeView {
  return {
    id,
    kind: 'task',
    title: 'A task',
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
    ...fields,
  };
}

describe('ids', () => {
  it('cuts ids to 12 characters, longer only when listed ids would collide', () => {
    expect(shortIdLength(['01KBX3QZ8RT4AAAAAAAAAAAAAA', '01KBX3QZ8RT5AAAAAAAAAAAAAA'])).toBe(12);
    expect(shortIdLength(['01KBX3QZ8RT4AAAAAAAAAAAAAA', '01KBX3QZ8RT4ABAAAAAAAAAAAA'])).toBe(14);
    expect(shortIdLength([])).toBe(12);
  });
});

describe('dates', () => {
  it('shows a bare day at midnight and the time otherwise, in local time', () => {
    expect(formatDate(Date.UTC(2026, 11, 24))).toBe('2026-12-24');
    expect(formatDate(Date.UTC(2026, 11, 24, 9, 5))).toBe('2026-12-24 09:05');
    expect(formatDate(null)).toBe('-');
  });
});

describe('tables', () => {
  it('aligns columns and leaves the last one unpadded', () => {
    expect(
      formatTable(
        ['ID', 'TITLE'],
        [
          ['a', 'x'],
          ['bbbb', 'y'],
        ],
      ),
    ).toBe('ID    TITLE\na     x\nbbbb  y');
  });

  it('lists tasks with attention, dates, tags, and marks late ones', () => {
    const text = formatTaskList(
      [
        task('01KBX3QZ8RT4AAAAAAAAAAAAAA', {
          title: 'Renew passport',
          attention: 'red',
          lateOn: Date.UTC(2026, 11, 1),
          tags: ['admin'],
        }),
        task('01KBX3QZ8RT5AAAAAAAAAAAAAA', {
          title: 'Water plants',
          doDate: Date.UTC(2026, 11, 5, 9),
        }),
      ],
      NOW,
    );
    expect(text.split('\n')).toEqual([
      'ID            ATTN  DO                LATE ON            TITLE',
      '01KBX3QZ8RT4  red   -                 2026-12-01 (late)  Renew passport @admin',
      '01KBX3QZ8RT5  -     2026-12-05 09:00  -                  Water plants',
    ]);
  });

  it('adds a project column, by title, when a task has a project', () => {
    const text = formatTaskList(
      [
        task('01KBX3QZ8RT4AAAAAAAAAAAAAA', {
          title: 'Service the boiler',
          project: '01P1AAAAAAAAAAAAAAAAAAAAAA',
        }),
        task('01KBX3QZ8RT5AAAAAAAAAAAAAA', { title: 'Loose end' }),
      ],
      NOW,
      new Map([['01P1AAAAAAAAAAAAAAAAAAAAAA', 'Household']]),
    );
    expect(text.split('\n')).toEqual([
      'ID            ATTN  DO  LATE ON  PROJECT    TITLE',
      '01KBX3QZ8RT4  -     -   -        Household  Service the boiler',
      '01KBX3QZ8RT5  -     -   -        -          Loose end',
    ]);
  });

  it('adds a state column when the list mixes states', () => {
    const text = formatTaskList([task('01A1AAAAAAAAAAAAAAAAAAAAAA', { state: 'done' })], NOW);
    expect(text.split('\n')[0]).toBe('ID            ATTN  STATE  DO  LATE ON  TITLE');
    expect(formatTaskList([], NOW)).toBe('No tasks.');
  });
});

describe('show and search', () => {
  it('shows fields, links, context and log of a node', () => {
    const text = formatNode(
      {
        node: task('01KBX3QZ8RT4AAAAAAAAAAAAAA', { title: 'Fix the boiler', tags: ['home'] }),
        context: 'Model: Vaillant\nCall first.',
        log: [{ clock: 'c', origin: 'o', at: Date.UTC(2026, 11, 3, 8, 30), text: 'Called' }],
        links: { outgoing: ['01KBX3QZ8RT5AAAAAAAAAAAAAA'], incoming: [] },
      },
      NOW,
    );
    expect(text).toContain('title:       Fix the boiler');
    expect(text).toContain('tags:        @home');
    expect(text).toContain('links:\n  -> 01KBX3QZ8RT5AAAAAAAAAAAAAA');
    expect(text).toContain('context:\n  Model: Vaillant\n  Call first.');
    expect(text).toContain('log:\n  2026-12-03 08:30  Called');
  });

  it('renders match marks as brackets on one line', () => {
    expect(renderSnippet('the \u0002boiler\u0003\nis broken')).toBe('the [boiler] is broken');
    expect(
      formatHits([
        { node: '01KBX3QZ8RT4AAAAAAAAAAAAAA', source: 'context', snippet: '\u0002x\u0003' },
      ]),
    ).toBe('ID            IN       MATCH\n01KBX3QZ8RT4  context  [x]');
    expect(formatHits([])).toBe('No matches.');
  });
});
