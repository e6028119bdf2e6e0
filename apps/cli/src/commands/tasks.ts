/**
 * Task commands: task (create), list, next, show, done, drop, skip, edit.
 * Each sends one /rpc call; `--json` prints the hub's result as it came.
 */
import type { NodeView, TaskFieldsInput } from '@heph/oplog';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError } from '../errors.ts';
import { formatDate, formatNode, formatTaskList, type ShownNode } from '../format.ts';
import type { Session } from '../session.ts';
import type { CommandKit } from './kit.ts';

const ATTENTION = ['red', 'orange', 'white', 'blue'] as const;
const STATES = ['outstanding', 'done', 'dropped'] as const;

interface FieldOptions {
  project?: string;
  doDate?: string;
  lateOn?: string;
  attention?: TaskFieldsInput['attention'];
  recur?: string;
  title?: string;
  tag?: string[];
  json?: boolean;
}

export function addTaskCommands(program: Command, kit: CommandKit): void {
  program
    .command('task')
    .description('Create a task and print its id')
    .argument(
      '<title...>',
      'the title; quick-add words are understood: "tomorrow 9am", "by friday", "every monday", "#project", "@tag", "!red"',
    )
    .option('-p, --project <project>', 'project id, id prefix or title')
    .option('--do-date <date>', 'when to do it ("tomorrow 9am", "2026-12-24")')
    .option('--late-on <date>', 'when it becomes late')
    .addOption(new Option('-a, --attention <level>', 'attention colour').choices(ATTENTION))
    .option('--recur <rule>', 'recurrence ("every 3 days", "weekdays" or an RRULE)')
    .option('-t, --tag <tag>', 'add a tag (repeatable)', collect)
    .option('--json', 'print {"node_id": ...}')
    .addHelpText(
      'after',
      examples([
        'heph task "Water the plants tomorrow"',
        'heph task "Pay rent every month on the 1st #home @money !orange"',
        'heph task "Renew passport" --late-on 2027-01-31 --attention red',
        'heph task "Sync game state" --project chores --tag bot --json',
      ]),
    )
    .action(
      kit.run(async (session, words: string[], options: FieldOptions) => {
        const result = await session.rpc.call('task.create', {
          text: words.join(' '),
          ...taskFields(options),
        });
        if (options.json) return kit.json(result);
        kit.print(String(result.node_id));
      }),
    );

  program
    .command('list')
    .description('List tasks (outstanding ones unless --state says otherwise)')
    .option('-p, --project <project>', 'only tasks in this project')
    .option('-t, --tag <tag>', 'only tasks with this tag')
    .option('--due', 'only tasks whose do date or late-on date has come')
    .addOption(new Option('-s, --state <state>', 'task state').choices(STATES))
    .option('-n, --limit <count>', 'at most this many', positiveInteger)
    .option('--json', 'print {"tasks": [...]}')
    .addHelpText('after', examples(['heph list --due', 'heph list --project chores --json']))
    .action(
      kit.run(async (session, options: ListOptions) => {
        const result = await session.rpc.call('task.list', {
          ...defined({ project: options.project, tag: options.tag, state: options.state }),
          ...defined({ due: options.due, limit: options.limit }),
        });
        if (options.json) return kit.json(result);
        await printTasks(session, kit, result.tasks as NodeView[]);
      }),
    );

  program
    .command('next')
    .description('Show what to do next, most pressing first')
    .option('-n, --limit <count>', 'at most this many', positiveInteger)
    .option('--json', 'print {"tasks": [...]}')
    .action(
      kit.run(async (session, options: { limit?: number; json?: boolean }) => {
        const result = await session.rpc.call('task.next', defined({ limit: options.limit }));
        if (options.json) return kit.json(result);
        await printTasks(session, kit, result.tasks as NodeView[]);
      }),
    );

  program
    .command('show')
    .description('Show a node: its fields, links, context document and log')
    .argument('<id>', 'node id or a unique prefix of it')
    .option('--json', 'print {"node", "context", "log", "links"}')
    .action(
      kit.run(async (session, id: string, options: { json?: boolean }) => {
        const result = await session.rpc.call('node.show', { id });
        if (options.json) return kit.json(result);

        const shown = result as unknown as ShownNode;
        const projectTitle = await projectTitleOf(session, shown.node.project);
        kit.print(formatNode({ ...shown, projectTitle }, session.io.now()));
      }),
    );

  addCloseCommand(program, kit, 'done', 'task.done', 'Mark a task done (a recurring one moves on)');
  addCloseCommand(program, kit, 'drop', 'task.drop', 'Drop a task: it will not be done');
  addCloseCommand(program, kit, 'skip', 'task.skip', 'Skip this occurrence of a recurring task');

  program
    .command('edit')
    .description('Change fields of a task; the value "none" clears a field')
    .argument('<id>', 'task id or a unique prefix of it')
    .option('--title <title>', 'new title')
    .option('-p, --project <project>', 'project id, id prefix or title, or none')
    .option('--do-date <date>', 'do date, or none')
    .option('--late-on <date>', 'late-on date, or none')
    .option('--recur <rule>', 'recurrence, or none')
    .addOption(
      new Option('-a, --attention <level>', 'attention colour, or none').choices([
        ...ATTENTION,
        'none',
      ]),
    )
    .option('--json', 'print {"node": ...}')
    .addHelpText(
      'after',
      examples([
        'heph edit 01KBX3 --do-date "next monday"',
        'heph edit 01KBX3 --late-on none --attention none',
      ]),
    )
    .action(
      kit.run(async (session, id: string, options: FieldOptions) => {
        const fields = taskFields(options);
        if (Object.keys(fields).length === 0) {
          throw new CliError(
            'usage',
            'nothing to change: give at least one field option (see heph edit --help)',
          );
        }
        const result = await session.rpc.call('task.edit', { id, ...fields });
        if (options.json) return kit.json(result);
        kit.print(nodeLine('Edited', result.node as NodeView));
      }),
    );
}

interface ListOptions {
  project?: string;
  tag?: string;
  due?: boolean;
  state?: (typeof STATES)[number];
  limit?: number;
  json?: boolean;
}

function addCloseCommand(
  program: Command,
  kit: CommandKit,
  name: string,
  method: 'task.done' | 'task.drop' | 'task.skip',
  description: string,
): void {
  const verb = { done: 'Done', drop: 'Dropped', skip: 'Skipped' }[name] ?? name;
  program
    .command(name)
    .description(description)
    .argument('<id>', 'task id or a unique prefix of it')
    .option('--json', 'print {"node": ...}')
    .action(
      kit.run(async (session, id: string, options: { json?: boolean }) => {
        const result = await session.rpc.call(method, { id });
        if (options.json) return kit.json(result);

        const node = result.node as NodeView;
        const next =
          node.state === 'outstanding' && node.doDate !== null
            ? `, next on ${formatDate(node.doDate)}`
            : '';
        kit.print(`${nodeLine(verb, node)}${next}`);
      }),
    );
}

function taskFields(options: FieldOptions): TaskFieldsInput {
  return defined({
    title: options.title,
    project: options.project,
    doDate: options.doDate,
    lateOn: options.lateOn,
    attention: options.attention,
    recurrence: options.recur,
    tags: options.tag && options.tag.length > 0 ? options.tag : undefined,
  });
}

/** Prints tasks as a table, naming their projects (one project.list call, only when needed). */
async function printTasks(session: Session, kit: CommandKit, tasks: NodeView[]): Promise<void> {
  const titles = new Map<string, string>();
  if (tasks.some((task) => task.project !== null)) {
    const result = await session.rpc.call('project.list', {});
    for (const project of result.projects as NodeView[]) titles.set(project.id, project.title);
  }
  kit.print(formatTaskList(tasks, session.io.now(), titles));
}

/** The title of a task's project for display; null when the project is gone. */
async function projectTitleOf(session: Session, project: string | null): Promise<string | null> {
  if (project === null) return null;
  try {
    const result = await session.rpc.call('node.show', { id: project });
    return (result.node as NodeView).title;
  } catch (error) {
    if (error instanceof CliError && error.code === 'not_found') return null;
    throw error;
  }
}

function nodeLine(verb: string, node: NodeView): string {
  return `${verb}: ${node.title} (${node.id})`;
}

export function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError('expected a positive whole number.');
  }
  return value;
}

export function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}`;
}
