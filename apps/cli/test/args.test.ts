/**
 * What each command sends to /rpc and how answers turn into output and exit
 * statuses, against a loopback stub of the hub that records every call.
 */
import { RPC_ERRORS } from '@heph/oplog/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../src/errors.ts';
import { runHeph, tempHome } from './helpers/run.ts';
import { type StubHub, startStubHub } from './helpers/stub-hub.ts';

let hub: StubHub;
let home: ReturnType<typeof tempHome>;

beforeAll(async () => {
  hub = await startStubHub();
  home = tempHome();
});
afterAll(async () => {
  await hub.stop();
  home.remove();
});
beforeEach(() => {
  hub.calls.length = 0;
  hub.setHandler(() => ({ result: { ok: true } }));
});

function heph(args: string[], stdin?: string) {
  return runHeph(['--hub-url', hub.url, ...args], { env: home.env, stdin });
}

const NODE = {
  id: '01KBX3QZ8RT4AAAAAAAAAAAAAA',
  kind: 'task',
  title: 'Water plants',
  createdAt: 0,
  updatedAt: 0,
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
};

describe('heph task', () => {
  it('sends the title as quick-add text with every field flag, and prints the id', async () => {
    hub.setHandler(() => ({ result: { node_id: NODE.id } }));

    const result = await heph([
      'task',
      'Water',
      'the plants',
      '--project',
      'home',
      '--do-date',
      'tomorrow 9am',
      '--late-on',
      'friday',
      '--attention',
      'orange',
      '--recur',
      'every 3 days',
      '--tag',
      'garden',
      '-t',
      'green',
    ]);

    expect(result).toMatchObject({ code: EXIT.ok, stdout: `${NODE.id}\n` });
    expect(hub.calls).toEqual([
      {
        method: 'task.create',
        params: {
          text: 'Water the plants',
          project: 'home',
          doDate: 'tomorrow 9am',
          lateOn: 'friday',
          attention: 'orange',
          recurrence: 'every 3 days',
          tags: ['garden', 'green'],
        },
        authorization: undefined,
      },
    ]);
  });

  it('prints {"node_id"} with --json', async () => {
    hub.setHandler(() => ({ result: { node_id: NODE.id } }));
    const result = await heph(['task', 'x', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ node_id: NODE.id });
  });

  it('refuses an unknown attention colour as a usage error without calling the hub', async () => {
    const result = await heph(['task', 'x', '--attention', 'purple']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('purple');
    expect(hub.calls).toEqual([]);
  });
});

describe('edit, list and the close commands', () => {
  it('passes none through to clear fields', async () => {
    hub.setHandler(() => ({ result: { node: NODE } }));
    const result = await heph([
      'edit',
      '01KB',
      '--late-on',
      'none',
      '--attention',
      'none',
      '--title',
      'T',
    ]);
    expect(result.code).toBe(EXIT.ok);
    expect(hub.calls[0]).toMatchObject({
      method: 'task.edit',
      params: { id: '01KB', lateOn: 'none', attention: 'none', title: 'T' },
    });
    expect(result.stdout).toBe(`Edited: Water plants (${NODE.id})\n`);
  });

  it('refuses an edit with nothing to change', async () => {
    const result = await heph(['edit', '01KB']);
    expect(result.code).toBe(EXIT.usage);
    expect(hub.calls).toEqual([]);
  });

  it('sends list filters only when given', async () => {
    hub.setHandler(() => ({ result: { tasks: [] } }));
    await heph(['list']);
    await heph(['list', '--project', 'home', '--tag', 'g', '--due', '--state', 'done', '-n', '5']);
    expect(hub.calls.map((call) => call.params)).toEqual([
      {},
      { project: 'home', tag: 'g', state: 'done', due: true, limit: 5 },
    ]);
  });

  it('refuses a limit that is not a positive whole number', async () => {
    expect((await heph(['list', '-n', 'lots'])).code).toBe(EXIT.usage);
    expect((await heph(['next', '-n', '0'])).code).toBe(EXIT.usage);
  });

  it('maps done, drop and skip to their methods', async () => {
    hub.setHandler(() => ({ result: { node: NODE } }));
    for (const name of ['done', 'drop', 'skip']) await heph([name, 'ABC']);
    expect(hub.calls.map((call) => [call.method, call.params])).toEqual([
      ['task.done', { id: 'ABC' }],
      ['task.drop', { id: 'ABC' }],
      ['task.skip', { id: 'ABC' }],
    ]);
  });
});

describe('context, log, tag, link', () => {
  it('reads standard input for -', async () => {
    await heph(['context', 'ABC', '--body', '-'], '# Notes\nline two\n');
    await heph(['context', 'ABC', '--append', 'more']);
    await heph(['log', 'ABC', '-'], 'piped entry');
    expect(hub.calls.map((call) => [call.method, call.params])).toEqual([
      ['context.set', { id: 'ABC', text: '# Notes\nline two\n' }],
      ['context.append', { id: 'ABC', text: 'more' }],
      ['log.append', { id: 'ABC', text: 'piped entry' }],
    ]);
  });

  it('refuses --append with --body', async () => {
    const result = await heph(['context', 'ABC', '--append', 'a', '--body', 'b']);
    expect(result.code).toBe(EXIT.usage);
    expect(hub.calls).toEqual([]);
  });

  it('prints the context document as it is', async () => {
    hub.setHandler(() => ({ result: { text: 'line one\nline two' } }));
    expect((await heph(['context', 'ABC'])).stdout).toBe('line one\nline two\n');
  });

  it('adds +tags and bare tags and removes -tags', async () => {
    const result = await heph(['tag', 'ABC', '+urgent', '-someday', 'home', '@phone']);
    expect(result.code).toBe(EXIT.ok);
    expect(hub.calls.map((call) => [call.method, call.params])).toEqual([
      ['tag.add', { id: 'ABC', tag: 'urgent' }],
      ['tag.add', { id: 'ABC', tag: 'home' }],
      ['tag.add', { id: 'ABC', tag: 'phone' }],
      ['tag.remove', { id: 'ABC', tag: 'someday' }],
    ]);
    expect(result.stdout).toBe('Added @urgent @home @phone, removed @someday.\n');
  });

  it('links and unlinks', async () => {
    await heph(['link', 'A', 'B']);
    await heph(['link', 'A', 'B', '--remove']);
    expect(hub.calls.map((call) => [call.method, call.params])).toEqual([
      ['link.add', { from: 'A', to: 'B' }],
      ['link.remove', { from: 'A', to: 'B' }],
    ]);
  });
});

describe('hub errors become exit statuses', () => {
  it('exits 2 for not_found and ambiguous_prefix, with the message on stderr', async () => {
    hub.setHandler(() => ({
      status: 409,
      error: {
        code: RPC_ERRORS.ambiguous_prefix,
        message: 'the prefix 01 matches 2 nodes',
        data: { code: 'ambiguous_prefix', matches: ['01AAA', '01BBB'] },
      },
    }));
    const ambiguous = await heph(['show', '01']);
    expect(ambiguous).toMatchObject({ code: EXIT.notFound, stdout: '' });
    expect(ambiguous.stderr).toBe('heph: the prefix 01 matches 2 nodes: 01AAA, 01BBB\n');

    hub.setHandler(() => ({
      status: 404,
      error: { code: RPC_ERRORS.not_found, message: 'no node ZZ' },
    }));
    expect((await heph(['done', 'ZZ'])).code).toBe(EXIT.notFound);
  });

  it('exits 1 for an invalid value', async () => {
    hub.setHandler(() => ({
      status: 400,
      error: {
        code: RPC_ERRORS.invalid_value,
        message: 'cannot read the date "someday"',
        data: { code: 'invalid_value' },
      },
    }));
    const result = await heph(['edit', 'A', '--do-date', 'someday']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toContain('someday');
  });

  it('exits 3 with the login hint on a 401 when no token is stored', async () => {
    hub.setHandler(() => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      error: { code: RPC_ERRORS.unauthorized, message: 'no token' },
    }));
    const result = await heph(['list']);
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toContain(`heph auth login --hub-url ${hub.url}`);
  });

  it('exits 3 when the hub refuses the account (403, the hub error shape)', async () => {
    hub.setHandler(() => ({
      status: 403,
      raw: { error: { code: 'forbidden', message: 'subject stranger is not authorized here' } },
    }));
    const result = await heph(['list']);
    expect(result.code).toBe(EXIT.auth);
    expect(result.stderr).toBe('heph: subject stranger is not authorized here\n');
  });

  it('exits 4 when nothing listens at the hub URL', async () => {
    const closed = await startStubHub();
    const url = closed.url;
    await closed.stop();
    const result = await runHeph(['--hub-url', url, 'list'], { env: home.env });
    expect(result.code).toBe(EXIT.unreachable);
    expect(result.stderr).toContain(`cannot reach the hub at ${url}`);
  });

  it('exits 1 for a hub URL that is not http or https', async () => {
    const result = await runHeph(['--hub-url', 'ftp://127.0.0.1', 'list'], { env: home.env });
    expect(result.code).toBe(EXIT.usage);
  });
});

describe('status', () => {
  it('says which side to update when the hub speaks another protocol', async () => {
    hub.setConfig({ protocol: 2 });
    try {
      const result = await heph(['status']);
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout).toContain('reachable, hephd 0.0.0-stub, protocol 2');
      expect(result.stdout).toContain('this heph speaks protocol 1: update this heph');
    } finally {
      hub.setConfig({ protocol: 1 });
    }
  });

  it('says auth is not needed on a hub without auth', async () => {
    const result = await heph(['status', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({
      reachable: true,
      hubVersion: '0.0.0-stub',
      auth: { ok: true, state: 'off' },
    });
  });
});

describe('help', () => {
  it('lists every command, the exit statuses and examples', async () => {
    const result = await runHeph(['--help'], { env: home.env });
    expect(result.code).toBe(EXIT.ok);
    for (const command of [
      'task',
      'list',
      'next',
      'show',
      'done',
      'drop',
      'skip',
      'edit',
      'context',
      'log',
      'project',
      'search',
      'tag',
      'link',
      'auth',
      'status',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(result.stdout).toContain('Exit status:');
    expect(result.stdout).toContain('Examples:');
  });

  it('gives each command its own help with examples', async () => {
    const result = await runHeph(['task', '--help'], { env: home.env });
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('Usage: heph task [options] <title...>');
    expect(result.stdout).toContain('$ heph task');
  });

  it('exits 1 on an unknown command or option', async () => {
    expect((await runHeph(['frobnicate'], { env: home.env })).code).toBe(EXIT.usage);
    expect((await runHeph(['list', '--bogus'], { env: home.env })).code).toBe(EXIT.usage);
  });
});
