/**
 * The commands about any node: show, context, log, tags, links, projects and
 * search (SPEC.md, TASK-*). Ids are full ids or unique prefixes, resolved by
 * the replica, which raises 'not_found' or 'ambiguous_prefix' itself.
 */
import { OplogError } from '../errors.ts';
import type { RpcParams } from '../protocol.ts';
import type { LogEntry, NodeView, SearchHit } from '../replica.ts';
import type { CommandContext } from './context.ts';
import { createProjectDraft } from './projects.ts';
import { normalizeTag } from './task-fields.ts';

export interface NodeDetails {
  node: NodeView;
  context: string;
  log: LogEntry[];
  links: { outgoing: string[]; incoming: string[] };
}

type Ok = { ok: true };
const OK: Ok = { ok: true };

export async function showNode(
  ctx: CommandContext,
  params: RpcParams['node.show'],
): Promise<NodeDetails> {
  const id = await ctx.replica.resolveId(params.id);
  const node = await ctx.replica.getNode(id);
  if (!node) throw new OplogError('not_found', `no node ${id}`, { prefix: params.id });

  const [context, log, links] = await Promise.all([
    ctx.replica.getContext(id),
    ctx.replica.getLog(id),
    ctx.replica.links(id),
  ]);
  return { node, context, log, links };
}

export async function getContext(
  ctx: CommandContext,
  params: RpcParams['context.get'],
): Promise<{ text: string }> {
  const id = await ctx.replica.resolveId(params.id);
  return { text: await ctx.replica.getContext(id) };
}

export async function writeContext(
  ctx: CommandContext,
  params: RpcParams['context.set'],
  mode: 'set' | 'append',
): Promise<Ok> {
  const node = await ctx.replica.resolveId(params.id);
  await ctx.replica.commit([{ kind: `context.${mode}`, node, text: params.text }]);
  return OK;
}

export async function appendLog(ctx: CommandContext, params: RpcParams['log.append']): Promise<Ok> {
  const node = await ctx.replica.resolveId(params.id);
  await ctx.replica.commit([{ kind: 'log.append', node, text: params.text }]);
  return OK;
}

export async function listLog(
  ctx: CommandContext,
  params: RpcParams['log.list'],
): Promise<{ entries: LogEntry[] }> {
  const id = await ctx.replica.resolveId(params.id);
  return { entries: await ctx.replica.getLog(id) };
}

export async function listProjects(ctx: CommandContext): Promise<{ projects: NodeView[] }> {
  return { projects: await ctx.replica.listProjects() };
}

/** [TASK-4] Creating a project whose title exists already returns that project. */
export async function createProject(
  ctx: CommandContext,
  params: RpcParams['project.create'],
): Promise<{ node_id: string }> {
  const existing = await findProjectByTitle(ctx, params.title);
  if (existing) return { node_id: existing };

  const id = ctx.newId();
  await ctx.replica.commit([createProjectDraft(id, params.title.trim())]);
  return { node_id: id };
}

export async function changeTag(
  ctx: CommandContext,
  params: RpcParams['tag.add'],
  change: 'add' | 'remove',
): Promise<Ok> {
  const node = await ctx.replica.resolveId(params.id);
  await ctx.replica.commit([{ kind: `tag.${change}`, node, tag: normalizeTag(params.tag) }]);
  return OK;
}

export async function changeLink(
  ctx: CommandContext,
  params: RpcParams['link.add'],
  change: 'add' | 'remove',
): Promise<Ok> {
  const node = await ctx.replica.resolveId(params.from);
  const target = await ctx.replica.resolveId(params.to);
  if (node === target) {
    throw new OplogError('invalid_value', 'a node cannot link to itself', {
      field: 'to',
      value: params.to,
    });
  }
  await ctx.replica.commit([{ kind: `link.${change}`, node, target }]);
  return OK;
}

export async function search(
  ctx: CommandContext,
  params: RpcParams['search'],
): Promise<{ hits: SearchHit[] }> {
  return { hits: await ctx.replica.search(params.query, params.limit) };
}

async function findProjectByTitle(ctx: CommandContext, title: string): Promise<string | null> {
  const wanted = title.trim().toLowerCase();
  const projects = await ctx.replica.listProjects();
  const match = projects
    .filter((project) => project.title.trim().toLowerCase() === wanted)
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  return match?.id ?? null;
}
