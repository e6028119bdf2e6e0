/**
 * Naming a project in a command: by id, by unique id prefix, or by title
 * (SPEC.md, TASK-4). A title that names no project creates one, so a
 * quick-add line like "Buy paint #garage" works on the first try.
 */
import { OplogError } from '../errors.ts';
import { normalizeIdPrefix } from '../ids.ts';
import type { OpDraft } from '../replica.ts';
import type { CommandContext } from './context.ts';

export interface ProjectChoice {
  id: string;
  /** Ops that create the project when it did not exist yet (empty otherwise). */
  drafts: OpDraft[];
}

/** The project `name` refers to, creating it from the title when nothing matches. */
export async function chooseProject(ctx: CommandContext, name: string): Promise<ProjectChoice> {
  const found = await findProject(ctx, name);
  if (found) return { id: found, drafts: [] };

  const id = ctx.newId();
  return { id, drafts: [createProjectDraft(id, name.trim())] };
}

/**
 * [TASK-4] A project whose title equals `name` ignoring case (the oldest when
 * several do), else a project whose id `name` is or starts with; null if neither.
 */
export async function findProject(ctx: CommandContext, name: string): Promise<string | null> {
  const wanted = name.trim().toLowerCase();
  const projects = await ctx.replica.listProjects();
  const byTitle = projects
    .filter((project) => project.title.trim().toLowerCase() === wanted)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  if (byTitle[0]) return byTitle[0].id;

  if (normalizeIdPrefix(name) === null) return null;
  const id = await resolveOrNull(ctx, name);
  if (id === null) return null;
  if (projects.some((project) => project.id === id)) return id;
  throw new OplogError('invalid_value', `${name} is not a project`, {
    field: 'project',
    value: name,
  });
}

export function createProjectDraft(id: string, title: string): OpDraft {
  return { kind: 'node.create', node: id, nodeKind: 'project', fields: { title } };
}

async function resolveOrNull(ctx: CommandContext, prefix: string): Promise<string | null> {
  try {
    return await ctx.replica.resolveId(prefix);
  } catch (error) {
    if (error instanceof OplogError && error.code === 'not_found') return null;
    throw error;
  }
}
