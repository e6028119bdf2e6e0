/**
 * The operations every surface shares: one function per /rpc method of
 * protocol.ts, over the Replica interface only. A surface calls
 * `commands[method](ctx, params)` or `runCommand(ctx, method, params)`; params
 * are checked first (params.ts), so a command body only sees well-formed input.
 */
import { OplogError } from '../errors.ts';
import { RPC_METHODS, type RpcMethod, type RpcParams } from '../protocol.ts';
import type { LogEntry, NodeView, SearchHit } from '../replica.ts';
import type { CommandContext } from './context.ts';
import * as node from './node-commands.ts';
import { parseParams } from './params.ts';
import * as task from './task-commands.ts';

export type { CommandContext } from './context.ts';

/** What each method returns (the comment at the end of protocol.ts). */
export interface RpcResults {
  'task.create': { node_id: string };
  'task.list': { tasks: NodeView[] };
  'task.next': { tasks: NodeView[] };
  'task.done': { node: NodeView };
  'task.drop': { node: NodeView };
  'task.skip': { node: NodeView };
  'task.edit': { node: NodeView };
  'task.reopen': { node: NodeView };
  'node.show': node.NodeDetails;
  'context.get': { text: string };
  'context.set': { ok: true };
  'context.append': { ok: true };
  'log.append': { ok: true };
  'log.list': { entries: LogEntry[] };
  'project.list': { projects: NodeView[] };
  'project.create': { node_id: string };
  'tag.add': { ok: true };
  'tag.remove': { ok: true };
  'link.add': { ok: true };
  'link.remove': { ok: true };
  search: { hits: SearchHit[] };
}

export type Command<M extends RpcMethod> = (
  ctx: CommandContext,
  params: RpcParams[M],
) => Promise<RpcResults[M]>;

/** The command bodies; each expects params already checked by parseParams. */
const BODIES: { [M in RpcMethod]: Command<M> } = {
  'task.create': task.createTask,
  'task.list': task.listTasks,
  'task.next': task.nextTasks,
  'task.done': task.completeTask,
  'task.drop': task.dropTask,
  'task.skip': task.skipTask,
  'task.edit': task.editTask,
  'task.reopen': task.reopenTask,
  'node.show': node.showNode,
  'context.get': node.getContext,
  'context.set': (ctx, params) => node.writeContext(ctx, params, 'set'),
  'context.append': (ctx, params) => node.writeContext(ctx, params, 'append'),
  'log.append': node.appendLog,
  'log.list': node.listLog,
  'project.list': (ctx) => node.listProjects(ctx),
  'project.create': node.createProject,
  'tag.add': (ctx, params) => node.changeTag(ctx, params, 'add'),
  'tag.remove': (ctx, params) => node.changeTag(ctx, params, 'remove'),
  'link.add': (ctx, params) => node.changeLink(ctx, params, 'add'),
  'link.remove': (ctx, params) => node.changeLink(ctx, params, 'remove'),
  search: node.search,
};

/**
 * [TASK-1] One function per /rpc method. Each checks its params first, so a
 * surface may pass what it received from the wire as it is.
 */
export const commands = Object.fromEntries(
  RPC_METHODS.map((method) => [method, checked(method)]),
) as { [M in RpcMethod]: Command<M> };

function checked<M extends RpcMethod>(method: M): Command<M> {
  const body = BODIES[method] as Command<M>;
  return (ctx, params) => body(ctx, parseParams(method, params));
}

export function isRpcMethod(method: unknown): method is RpcMethod {
  return typeof method === 'string' && (RPC_METHODS as readonly string[]).includes(method);
}

/** Checks the params of `method`, then runs it. Errors are OplogErrors with a stable code. */
export async function runCommand<M extends RpcMethod>(
  ctx: CommandContext,
  method: M,
  params: unknown,
): Promise<RpcResults[M]> {
  if (!isRpcMethod(method)) {
    throw new OplogError('invalid_value', `unknown method ${String(method)}`, {
      field: 'method',
      value: method,
    });
  }
  const command = commands[method] as Command<M>;
  return command(ctx, params as RpcParams[M]);
}
