/**
 * Commands around a node rather than its task fields: the context document,
 * the log, tags, links, projects and search. A TEXT of `-` is read from
 * standard input, so a script can pipe a whole document in.
 */
import type { LogEntry, NodeView, SearchHit } from '@heph/oplog';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { formatHits, formatLog, formatProjectList } from '../format.ts';
import type { Session } from '../session.ts';
import type { CommandKit } from './kit.ts';
import { defined, examples, positiveInteger } from './tasks.ts';

export function addNoteCommands(program: Command, kit: CommandKit): void {
  program
    .command('context')
    .description("Print a node's context document, or replace or extend it")
    .argument('<id>', 'node id or a unique prefix of it')
    .option('--append <text>', 'add TEXT at the end (- reads standard input)')
    .option('--body <text>', 'replace the whole document with TEXT (- reads standard input)')
    .option('--json', 'print {"text": ...} or {"ok": true}')
    .addHelpText(
      'after',
      examples([
        'heph context 01KBX3',
        'heph context 01KBX3 --append "Called the plumber, back Friday."',
        'cat notes.md | heph context 01KBX3 --body -',
      ]),
    )
    .action(
      kit.run(async (session, id: string, options: ContextOptions) => {
        if (options.append !== undefined && options.body !== undefined) {
          throw new CliError('usage', 'give --append or --body, not both');
        }

        if (options.append === undefined && options.body === undefined) {
          const result = await session.rpc.call('context.get', { id });
          if (options.json) return kit.json(result);
          return session.io.stdout(ensureNewline(String(result.text ?? '')));
        }

        const method = options.body !== undefined ? 'context.set' : 'context.append';
        const text = await textOrStdin(session, (options.body ?? options.append) as string);
        const result = await session.rpc.call(method, { id, text });
        if (options.json) return kit.json(result);
        kit.print(method === 'context.set' ? 'Context replaced.' : 'Context appended.');
      }),
    );

  program
    .command('log')
    .description("List a node's log, or append an entry to it")
    .argument('<id>', 'node id or a unique prefix of it')
    .argument('[text...]', 'entry to append (- reads standard input)')
    .option('--json', 'print {"entries": [...]} or {"ok": true}')
    .addHelpText('after', examples(['heph log 01KBX3', 'heph log 01KBX3 "Synced 42 items"']))
    .action(
      kit.run(async (session, id: string, words: string[], options: { json?: boolean }) => {
        if (words.length === 0) {
          const result = await session.rpc.call('log.list', { id });
          if (options.json) return kit.json(result);
          return kit.print(formatLog(result.entries as LogEntry[]));
        }

        const text = await textOrStdin(session, words.join(' '));
        const result = await session.rpc.call('log.append', { id, text });
        if (options.json) return kit.json(result);
        kit.print('Logged.');
      }),
    );

  const project = program.command('project').description('List or add projects');
  project
    .command('list')
    .description('List projects')
    .option('--json', 'print {"projects": [...]}')
    .action(
      kit.run(async (session, options: { json?: boolean }) => {
        const result = await session.rpc.call('project.list', {});
        if (options.json) return kit.json(result);
        kit.print(formatProjectList(result.projects as NodeView[]));
      }),
    );
  project
    .command('add')
    .description('Add a project and print its id')
    .argument('<name...>', 'the project title')
    .option('--json', 'print {"node_id": ...}')
    .action(
      kit.run(async (session, words: string[], options: { json?: boolean }) => {
        const result = await session.rpc.call('project.create', { title: words.join(' ') });
        if (options.json) return kit.json(result);
        kit.print(String(result.node_id));
      }),
    );

  program
    .command('search')
    .description('Search titles, context documents and logs')
    .argument('<query...>', 'words to look for')
    .option('-n, --limit <count>', 'at most this many hits', positiveInteger)
    .option('--json', 'print {"hits": [...]}')
    .action(
      kit.run(async (session, words: string[], options: { limit?: number; json?: boolean }) => {
        const query = words.join(' ');
        const result = await session.rpc.call('search', {
          query,
          ...defined({ limit: options.limit }),
        });
        if (options.json) return kit.json(result);
        kit.print(formatHits(result.hits as SearchHit[]));
      }),
    );

  program
    .command('tag')
    .description('Add (+tag or tag) and remove (-tag) tags on a node')
    .argument('<id>', 'node id or a unique prefix of it')
    .argument('<changes...>', '+tag adds, -tag removes, a bare tag adds')
    .option('--json', 'print {"added": [...], "removed": [...]}')
    .allowUnknownOption()
    .addHelpText(
      'after',
      examples(['heph tag 01KBX3 +urgent -someday', 'heph tag 01KBX3 phone errands']),
    )
    .action(
      kit.run(async (session, id: string, changes: string[], options: { json?: boolean }) => {
        const { added, removed } = parseTagChanges(changes);
        for (const tag of added) await session.rpc.call('tag.add', { id, tag });
        for (const tag of removed) await session.rpc.call('tag.remove', { id, tag });
        if (options.json) return kit.json({ added, removed });
        kit.print(describeTagChanges(added, removed));
      }),
    );

  program
    .command('link')
    .description('Link node A to node B (or remove the link)')
    .argument('<a>', 'id or prefix of the node the link starts from')
    .argument('<b>', 'id or prefix of the node it points to')
    .option('--remove', 'remove the link instead')
    .option('--json', 'print {"ok": true}')
    .action(
      kit.run(async (session, from: string, to: string, options: LinkOptions) => {
        const method = options.remove ? 'link.remove' : 'link.add';
        const result = await session.rpc.call(method, { from, to });
        if (options.json) return kit.json(result);
        kit.print(options.remove ? 'Unlinked.' : 'Linked.');
      }),
    );
}

interface ContextOptions {
  append?: string;
  body?: string;
  json?: boolean;
}

interface LinkOptions {
  remove?: boolean;
  json?: boolean;
}

export function parseTagChanges(changes: readonly string[]): {
  added: string[];
  removed: string[];
} {
  const added: string[] = [];
  const removed: string[] = [];
  for (const change of changes) {
    const tag = change.replace(/^[+-]/, '').replace(/^[@#]/, '');
    if (tag === '') throw new CliError('usage', `not a tag: ${JSON.stringify(change)}`);
    if (change.startsWith('-')) removed.push(tag);
    else added.push(tag);
  }
  return { added, removed };
}

function describeTagChanges(added: readonly string[], removed: readonly string[]): string {
  const parts: string[] = [];
  if (added.length > 0) parts.push(`added ${added.map((tag) => `@${tag}`).join(' ')}`);
  if (removed.length > 0) parts.push(`removed ${removed.map((tag) => `@${tag}`).join(' ')}`);
  const sentence = parts.join(', ');
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

async function textOrStdin(session: Session, text: string): Promise<string> {
  if (text !== '-') return text;
  if (session.io.stdinIsTty) {
    session.io.stderr('Reading from standard input; end with Ctrl-D.\n');
  }
  const read = await session.io.readStdin();
  // An empty pipe is far more often a mistake (a missing file, < /dev/null)
  // than a wish to wipe the document; clearing it takes an explicit ''.
  if (read === '') {
    throw new CliError(
      'usage',
      "standard input was empty, so nothing was changed; to clear the context on purpose, give --body ''",
    );
  }
  return read;
}

function ensureNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
