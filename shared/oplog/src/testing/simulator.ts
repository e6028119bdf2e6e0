/**
 * The seeded convergence simulator (SPEC.md, SIM-*).
 *
 * One hub and two to five spokes, each a real Replica over its own SQLite
 * database, make random ops and sync them over a transport that loses,
 * doubles, delays and reorders messages. Spokes restart from their stored
 * state and run on clocks up to two days off. After a bounded number of
 * steps the network heals, everything is delivered until nothing moves, and
 * every replica must then hold every op ever made and show the same state.
 *
 * Everything random comes from one seed, so a failing seed replays exactly.
 * The sync client and the hub's handlers here follow SPEC.md SYNC-* with the
 * Replica interface alone, so the run exercises the op-log core and nothing
 * else.
 */
import { ulid } from 'ulidx';
import { createOrigin, HybridClock, timestampToString } from '../clock.ts';
import type { Executor } from '../executor.ts';
import { type CreateNodeOp, OP_FORMAT_VERSION, type Op } from '../op.ts';
import {
  type HubStamp,
  MAX_OPS_PER_REQUEST,
  PROTOCOL_VERSION,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
} from '../protocol.ts';
import type { OpDraft, Replica, ReplicaOptions } from '../replica.ts';
import { canonicalJson, firstDifference } from './simulator-compare.ts';
import {
  closeOccurrenceDraft,
  FIELDS_BY_KIND,
  randomDraft,
  type SimNode,
  setFieldDraft,
} from './simulator-ops.ts';
import { oracleProblem } from './simulator-oracle.ts';
import { createRandom, type Random } from './simulator-random.ts';
import { storedOps, visibleState } from './simulator-state.ts';
import { SimTransport, type TransportStats } from './simulator-transport.ts';

export type OpenReplica = (options: ReplicaOptions) => Promise<Replica>;

/** One host's SQLite database, as the simulator needs it to restart the host. */
export interface SimStore {
  executor: Executor;
  /** The stored bytes, exactly what a restarted process would find. */
  snapshot(): Promise<Uint8Array>;
  /** Frees the database if closing the executor did not. */
  release(): Promise<void>;
}

/** Opens a store: empty, or holding `image` (a snapshot taken before a restart). */
export type OpenStore = (image: Uint8Array | null, host: string) => Promise<SimStore>;

/**
 * A canonical dump of a replica's whole materialized state (for example
 * testing/dump.ts): a JSON string, compared as text and parsed only to name a
 * difference.
 */
export type DumpState = (replica: Replica, executor: Executor) => Promise<string>;

export interface SimulationOptions {
  seed: number;
  openReplica: OpenReplica;
  /** Opens the store of each host (`hub`, `s0`, `s1`, ...) at every start. */
  openStore: OpenStore;
  /** Compared across replicas beside the state read through the Replica interface. */
  dumpState?: DumpState;
  /** Wraps every replica as it opens; tests pass a faulty wrapper to prove detection. */
  wrapReplica?: (replica: Replica, name: string) => Replica;
  /** Overrides the seed's choice of the number of random steps. */
  steps?: number;
  /** Overrides the seed's choice of the number of spokes (2-5). */
  spokes?: number;
  /**
   * Also back the hub up now and then and restore it from a backup under a
   * new hub id (SYNC reset). Off by default: see SPEC.md SIM-9.
   */
  hubRestores?: boolean;
  /**
   * On a reset, a spoke re-sends every op it holds, not only its own:
   * `markAllPending({ allOrigins: true })`, the remedy SIM-9 describes.
   */
  resendAllOnReset?: boolean;
}

export interface SimulationStats {
  spokes: number;
  steps: number;
  ops: number;
  opsByKind: Record<string, number>;
  restarts: number;
  hubRestarts: number;
  hubRestores: number;
  /** Ops that only the hub held when it was restored from an older backup. */
  lostToRestores: number;
  /** Steps in which several spokes wrote one register while apart. */
  contended: number;
  messages: TransportStats;
  healRounds: number;
  skewsMs: number[];
}

export interface SimulationResult {
  seed: number;
  /** The options that shape the run besides the seed, to replay it. */
  replay: Record<string, string>;
  ok: boolean;
  /** Why the run failed: the first check that did not hold. */
  failure: string | null;
  stats: SimulationStats;
  /** The last events before the end, oldest first. */
  trace: string[];
}

const START_MS = Date.UTC(2026, 11, 1, 8);
const HOUR_MS = 3_600_000;
const MAX_SKEW_MS = 2 * 24 * HOUR_MS;
const CURSOR_KEY = 'sim.hubCursor';
const HUB_ID_KEY = 'sim.hubId';
const TRACE_LINES = 30;
/** Bounds on the healing phase: messages drained per flush, sync rounds, pull pages per round. */
const MAX_DRAIN = 20_000;
const MAX_HEAL_ROUNDS = 12;
const MAX_PULL_PAGES = 200;

type Message =
  | { type: 'push'; spoke: number; request: PushRequest }
  | { type: 'push-ack'; spoke: number; clocks: string[]; response: PushResponse }
  | { type: 'pull'; spoke: number; request: PullRequest }
  | { type: 'pull-response'; spoke: number; response: PullResponse };

interface Host {
  name: string;
  store: SimStore;
  executor: Executor;
  replica: Replica;
  skewMs: number;
  random: Random;
  /** Nodes whose create op this replica holds. */
  nodes: Map<string, SimNode>;
}

/** A client of a newer version, pushing op kinds and fields this version does not know. */
interface NewerClient {
  clock: HybridClock;
}

const ACTIONS = [
  [26, 'commit'],
  [6, 'contend'],
  [14, 'push'],
  [14, 'pull'],
  [32, 'deliver'],
  [3, 'restart'],
  [3, 'hub-commit'],
  [2, 'newer-push'],
  [2, 'hub-backup'],
  [1, 'hub-restore'],
] as const;
type Action = (typeof ACTIONS)[number][1];

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const simulation = new Simulation(options);
  let failure: string | null;
  try {
    failure = await simulation.run();
  } catch (error) {
    failure = `threw at step ${simulation.step}: ${describeError(error)}`;
  }
  await simulation.closeAll();
  return {
    seed: options.seed,
    replay: replayEnvironment(options),
    ok: failure === null,
    failure,
    stats: simulation.stats(),
    trace: simulation.trace,
  };
}

/** The environment test/simulator/convergence.test.ts reads to rerun these options. */
function replayEnvironment(options: SimulationOptions): Record<string, string> {
  const environment: Record<string, string> = {};
  if (options.hubRestores) environment.HEPH_SIM_RESTORES = options.resendAllOnReset ? 'all' : 'own';
  if (options.steps !== undefined) environment.HEPH_SIM_STEPS = String(options.steps);
  if (options.spokes !== undefined) environment.HEPH_SIM_SPOKES = String(options.spokes);
  return environment;
}

function replayCommand(result: SimulationResult): string {
  const extra = Object.entries(result.replay).map(([key, value]) => `${key}=${value} `);
  return `HEPH_SIM_SEED=${result.seed} ${extra.join('')}npx vitest run test/simulator/convergence.test.ts`;
}

/** A short report of a failed run: the seed first, so it can be pinned. */
export function formatFailure(result: SimulationResult): string {
  const { stats } = result;
  const kinds = Object.entries(stats.opsByKind)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const skews = stats.skewsMs.map(hours).join(' ');
  const messages = Object.entries(stats.messages)
    .map(([what, count]) => `${count} ${what}`)
    .join(', ');
  return [
    `simulation failed: seed ${result.seed}`,
    `  ${result.failure}`,
    `  ${stats.spokes} spokes, ${stats.steps} steps, ${stats.ops} ops (${kinds})`,
    `  skews ${skews}; ${stats.restarts} restarts (${stats.hubRestarts} of the hub); ` +
      `${stats.contended} contended writes; ${stats.healRounds} heal rounds`,
    `  messages: ${messages}`,
    `  last events:`,
    ...result.trace.map((line) => `    ${line}`),
    `  replay: ${replayCommand(result)}`,
  ].join('\n');
}

class Simulation {
  step = 0;
  readonly trace: string[] = [];
  readonly #options: SimulationOptions;
  readonly #random: Random;
  readonly #transport: SimTransport<Message>;
  readonly #steps: number;
  #hubId: string;
  readonly #hubBackups: Uint8Array[] = [];
  #hubRestoreCount = 0;
  #time = START_MS;
  #hub: Host | null = null;
  #spokes: Host[] = [];
  #newer: NewerClient;
  /** Every op ever made, by clock. */
  readonly #made = new Map<string, Op>();
  /**
   * The ops every replica must end up holding: all of `#made`, less those a
   * hub restore left on no replica (SIM-9). A later restore from a newer
   * backup may bring some back.
   */
  #ops = new Map<string, Op>();
  /** Every node ever created. */
  readonly #nodes: SimNode[] = [];
  readonly #shortNames = new Map<string, string>();
  #restarts = 0;
  #hubRestarts = 0;
  #contended = 0;
  #healRounds = 0;
  #healing = false;
  /** `more` of the last pull response delivered (healing pulls page by page). */
  #lastPullMore: boolean | null = null;

  constructor(options: SimulationOptions) {
    this.#options = options;
    this.#random = createRandom(options.seed);
    this.#steps = options.steps ?? this.#random.int(40, 110);
    this.#transport = new SimTransport(this.#random.fork(), {
      drop: this.#random.next() * 0.3,
      duplicate: this.#random.next() * 0.2,
      maxDelay: this.#random.int(0, 8),
    });
    this.#hubId = `hub${options.seed}`;
    const newerOrigin = createOrigin((length) => this.#random.bytes(length));
    const newerStart = { millis: 0, counter: 0, origin: newerOrigin };
    this.#newer = { clock: new HybridClock(newerStart, () => this.#time) };
  }

  async run(): Promise<string | null> {
    const spokeCount = this.#options.spokes ?? this.#random.int(2, 5);
    this.#hub = await this.#openHost('hub', 0, null);
    for (let i = 0; i < spokeCount; i++) {
      const skew = this.#random.int(-MAX_SKEW_MS, MAX_SKEW_MS);
      this.#spokes.push(await this.#openHost(`s${i}`, skew, null));
    }

    for (this.step = 0; this.step < this.#steps; this.step++) {
      this.#advanceTime();
      await this.#act(this.#pickAction());
    }

    const unhealed = await this.#heal();
    if (unhealed) return unhealed;
    return this.#check();
  }

  stats(): SimulationStats {
    const opsByKind: Record<string, number> = {};
    for (const op of this.#made.values()) opsByKind[op.kind] = (opsByKind[op.kind] ?? 0) + 1;
    return {
      spokes: this.#spokes.length,
      steps: this.#steps,
      ops: this.#made.size,
      opsByKind,
      restarts: this.#restarts,
      hubRestarts: this.#hubRestarts,
      hubRestores: this.#hubRestoreCount,
      lostToRestores: this.#made.size - this.#ops.size,
      contended: this.#contended,
      messages: { ...this.#transport.stats },
      healRounds: this.#healRounds,
      skewsMs: this.#spokes.map((spoke) => spoke.skewMs),
    };
  }

  async closeAll(): Promise<void> {
    for (const host of [this.#hub, ...this.#spokes]) {
      if (host) await closeHost(host, true).catch(() => undefined);
    }
  }

  // --- hosts -------------------------------------------------------------

  async #openHost(name: string, skewMs: number, image: Uint8Array | null): Promise<Host> {
    const store = await this.#options.openStore(image, name);
    const { executor } = store;
    const random = this.#random.fork();
    const now = () => this.#time + skewMs;
    const opened = await this.#options.openReplica({
      executor,
      now,
      randomBytes: (length) => random.bytes(length),
    });
    const replica = this.#options.wrapReplica?.(opened, name) ?? opened;
    return { name, store, executor, replica, skewMs, random, nodes: new Map() };
  }

  /** Closes a host and reopens it over the same stored bytes, as after a crash or a quit. */
  async #restart(host: Host): Promise<Host> {
    const image = await host.store.snapshot();
    const graceful = this.#random.chance(0.5);
    await closeHost(host, graceful);

    // A device whose clock was set right (or wrong) comes back on another skew.
    const moveClock = host.name !== 'hub' && this.#random.chance(0.3);
    const skew = moveClock ? this.#random.int(-MAX_SKEW_MS, MAX_SKEW_MS) : host.skewMs;
    const reopened = await this.#openHost(host.name, skew, image);
    reopened.nodes = host.nodes;
    this.#restarts++;
    this.#log(host, `restart (${graceful ? 'quit' : 'crash'}, skew ${hours(skew)})`);
    return reopened;
  }

  // --- random steps ------------------------------------------------------

  #advanceTime(): void {
    const jump = this.#random.chance(0.03);
    this.#time += jump ? this.#random.int(HOUR_MS, 12 * HOUR_MS) : this.#random.int(0, 20_000);
  }

  #pickAction(): Action {
    const total = ACTIONS.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.#random.int(1, total);
    for (const [weight, action] of ACTIONS) {
      roll -= weight;
      if (roll <= 0) return action;
    }
    return 'deliver';
  }

  async #act(action: Action): Promise<void> {
    const spokeIndex = this.#random.int(0, this.#spokes.length - 1);
    const spoke = this.#spokes[spokeIndex] as Host;

    switch (action) {
      case 'commit':
        return this.#commitRandom(spoke, this.#random.int(1, 3));
      case 'contend':
        return this.#contend();
      case 'push':
        await this.#spokePush(spokeIndex, this.#random.int(1, 12));
        return;
      case 'pull':
        return this.#spokePull(spokeIndex, this.#random.int(1, 15));
      case 'deliver':
        return this.#deliverSome(this.#random.int(1, 3));
      case 'restart':
        return this.#restartRandom();
      case 'hub-commit':
        return this.#commitRandom(this.#hubHost(), 1);
      case 'newer-push':
        return this.#newerPush();
      case 'hub-backup':
        return this.#hubBackup();
      case 'hub-restore':
        return this.#hubRestore();
    }
  }

  async #commitRandom(host: Host, count: number): Promise<void> {
    const drafts: OpDraft[] = [];
    for (let i = 0; i < count; i++) {
      drafts.push(randomDraft(this.#draftContext(host, drafts)));
    }
    await this.#commit(host, drafts);
  }

  /** Two or more spokes write the same field, or close the same occurrence, while apart. */
  async #contend(): Promise<void> {
    const shared = this.#nodes.filter(
      (node) => this.#spokes.filter((spoke) => spoke.nodes.has(node.id)).length >= 2,
    );
    if (shared.length === 0) return this.#commitRandom(this.#spokes[0] as Host, 1);

    const node = this.#random.pick(shared);
    const holders = this.#spokes.filter((spoke) => spoke.nodes.has(node.id));
    const closing = node.kind === 'task' && this.#random.chance(0.25);
    const field = this.#random.pick(FIELDS_BY_KIND[node.kind]);
    const day = this.#random.int(0, 3);
    this.#contended++;

    for (const host of holders) {
      const draft = closing
        ? closeOccurrenceDraft(node, day, this.#random.chance(0.5))
        : setFieldDraft(this.#draftContext(host, []), node, field);
      await this.#commit(host, [draft]);
    }
  }

  async #commit(host: Host, drafts: OpDraft[]): Promise<void> {
    const ops = await host.replica.commit(drafts);
    for (const op of ops) this.#record(op);
    this.#learn(host, ops);
    this.#log(host, `commit ${ops.map((op) => this.#describeOp(op)).join('; ')}`);
  }

  #record(op: Op): void {
    const previous = this.#made.get(op.clock);
    if (previous && canonicalJson(previous) !== canonicalJson(op)) {
      throw new Error(`clock ${op.clock} was issued twice, for different ops`);
    }
    this.#made.set(op.clock, op);
    this.#ops.set(op.clock, op);
  }

  #draftContext(host: Host, pending: readonly OpDraft[]) {
    const local = [...host.nodes.values()];
    // Drafts made earlier in the same batch may create nodes the later ones use.
    for (const draft of pending) {
      if (draft.kind !== 'node.create') continue;
      const create = draft as Omit<CreateNodeOp, 'v' | 'clock'>;
      local.push({ id: create.node, kind: create.nodeKind });
    }
    const everywhere = [...this.#nodes, ...local.filter((node) => !this.#isKnownNode(node.id))];
    const now = this.#time + host.skewMs;
    return {
      random: this.#random,
      now,
      newNodeId: () => ulid(now, () => this.#random.next()),
      local,
      everywhere,
    };
  }

  async #newerPush(): Promise<void> {
    const ops = this.#newerOps();
    for (const op of ops) this.#record(op);
    const result = await this.#hubHost().replica.apply(ops);
    this.#learn(this.#hubHost(), ops);
    this.#log(this.#hubHost(), `newer client pushed ${ops.length}, inserted ${result.inserted}`);
  }

  /** Ops from a newer version: an unknown kind, and an unknown field on a known kind. */
  #newerOps(): Op[] {
    const base = () => ({
      v: OP_FORMAT_VERSION,
      clock: timestampToString(this.#newer.clock.send()),
    });
    if (this.#nodes.length === 0) {
      const node = ulid(this.#time, () => this.#random.next());
      const fields = { title: 'from a newer client', estimate: 3 };
      return [{ ...base(), kind: 'node.create', node, nodeKind: 'note', fields }];
    }

    const node = this.#random.pick(this.#nodes).id;
    const pinned = this.#random.chance(0.5);
    return [
      { ...base(), kind: 'pin.set', node, pinned, weight: this.#random.int(1, 9) },
      { ...base(), kind: 'field.set', node, field: 'estimate', value: this.#random.int(1, 8) },
    ];
  }

  async #hubBackup(): Promise<void> {
    if (!this.#options.hubRestores) return;
    this.#hubBackups.push(await this.#hubHost().store.snapshot());
    this.#log(this.#hubHost(), `backup ${this.#hubBackups.length}`);
  }

  /**
   * The owner restores the hub from a backup: the hub loses what came after
   * it and gets a new hub id. Connections to the old process die with it.
   * Ops that then survive nowhere are lost by the owner's choice; every other
   * op must still reach every replica.
   */
  async #hubRestore(): Promise<void> {
    if (!this.#options.hubRestores || this.#hubBackups.length === 0) return;
    const image = this.#random.pick(this.#hubBackups);
    const old = this.#hubHost();
    await closeHost(old, true);
    this.#transport.clear();

    this.#hubRestoreCount++;
    this.#hubId = `hub${this.#options.seed}r${this.#hubRestoreCount}`;
    const restored = await this.#openHost('hub', 0, image);
    restored.nodes = old.nodes;
    this.#hub = restored;
    await this.#expectSurvivors();
    this.#log(restored, `restored from a backup as ${this.#hubId}`);
  }

  /** After a restore, the expected ops are those some replica (the restored hub included) holds. */
  async #expectSurvivors(): Promise<void> {
    const held = new Set<string>();
    for (const host of [this.#hubHost(), ...this.#spokes]) {
      for (const clock of (await storedOps(host.replica)).keys()) held.add(clock);
    }
    this.#ops = new Map([...this.#made].filter(([clock]) => held.has(clock)));
  }

  async #restartRandom(): Promise<void> {
    const index = this.#random.int(-1, this.#spokes.length - 1);
    if (index < 0) {
      this.#hubRestarts++;
      this.#hub = await this.#restart(this.#hubHost());
      return;
    }
    this.#spokes[index] = await this.#restart(this.#spokes[index] as Host);
  }

  // --- sync: spoke side (SPEC.md SYNC-*) -------------------------------

  async #spokePush(index: number, limit: number): Promise<number> {
    const spoke = this.#spokes[index] as Host;
    const ops = await spoke.replica.pendingOps(limit);
    if (ops.length === 0) return 0;
    const request: PushRequest = { protocol: PROTOCOL_VERSION, origin: spoke.replica.origin, ops };
    this.#transport.send({ type: 'push', spoke: index, request }, this.step);
    this.#log(spoke, `push ${ops.length}`);
    return ops.length;
  }

  async #spokePull(index: number, limit: number): Promise<void> {
    const spoke = this.#spokes[index] as Host;
    const cursor = await this.#cursor(spoke);
    const request: PullRequest = {
      protocol: PROTOCOL_VERSION,
      origin: spoke.replica.origin,
      cursor,
      hubId: await spoke.replica.getMeta(HUB_ID_KEY),
      limit,
      excludeOwn: true,
    };
    this.#transport.send({ type: 'pull', spoke: index, request }, this.step);
    this.#log(spoke, `pull after ${cursor}, limit ${limit}`);
  }

  async #onPushAck(index: number, clocks: string[], response: PushResponse): Promise<void> {
    const spoke = this.#spokes[index] as Host;
    if (await this.#observeHub(spoke, response)) return;
    await spoke.replica.markPushed(clocks);
    this.#log(spoke, `ack ${clocks.length}`);
  }

  /** Adopts the hub's owner and id on first contact; true when the hub id changed (a reset). */
  async #observeHub(spoke: Host, stamp: HubStamp): Promise<boolean> {
    const known = await spoke.replica.getMeta(HUB_ID_KEY);
    if (known === null) {
      if (spoke.replica.ownerId !== stamp.ownerId) await spoke.replica.adoptOwner(stamp.ownerId);
      await spoke.replica.setMeta(HUB_ID_KEY, stamp.hubId);
      return false;
    }
    if (known === stamp.hubId) return false;
    await this.#reset(spoke, stamp.hubId);
    return true;
  }

  /** The hub was replaced: send everything again and pull from the start. */
  async #reset(spoke: Host, hubId: string): Promise<void> {
    await spoke.replica.markAllPending({ allOrigins: this.#options.resendAllOnReset === true });
    await spoke.replica.setMeta(CURSOR_KEY, '0');
    await spoke.replica.setMeta(HUB_ID_KEY, hubId);
    this.#log(spoke, `reset to ${hubId}`);
  }

  async #onPullResponse(index: number, response: PullResponse): Promise<number> {
    const spoke = this.#spokes[index] as Host;
    if (response.reset) {
      await this.#reset(spoke, response.hubId);
      return 1;
    }
    if (await this.#observeHub(spoke, response)) return 1;

    const result = await spoke.replica.apply(response.ops);
    this.#learn(spoke, response.ops);

    // Responses may arrive out of order: a cursor only ever moves forward.
    const cursor = await this.#cursor(spoke);
    if (response.cursor > cursor) await spoke.replica.setMeta(CURSOR_KEY, String(response.cursor));
    this.#log(
      spoke,
      `pulled ${response.ops.length} (${result.inserted} new) to ${response.cursor}`,
    );
    return response.ops.length;
  }

  async #cursor(spoke: Host): Promise<number> {
    return Number((await spoke.replica.getMeta(CURSOR_KEY)) ?? 0);
  }

  // --- sync: hub side ----------------------------------------------------

  async #onPush(index: number, request: PushRequest): Promise<void> {
    const hub = this.#hubHost();
    const result = await hub.replica.apply(request.ops);
    this.#learn(hub, request.ops);
    const response: PushResponse = {
      ...(await this.#stamp()),
      inserted: result.inserted,
      lastSeq: await hub.replica.lastSeq(),
    };
    const clocks = request.ops.map((op) => op.clock);
    this.#transport.send({ type: 'push-ack', spoke: index, clocks, response }, this.step);
    this.#log(hub, `push from s${index}: ${request.ops.length} ops, ${result.inserted} new`);
  }

  async #onPull(index: number, request: PullRequest): Promise<void> {
    const hub = this.#hubHost();
    const limit = Math.min(request.limit ?? MAX_OPS_PER_REQUEST, MAX_OPS_PER_REQUEST);
    const lastSeq = await hub.replica.lastSeq();
    if ((request.hubId !== null && request.hubId !== this.#hubId) || request.cursor > lastSeq) {
      const reset = { ...(await this.#stamp()), ops: [], cursor: 0, more: true, reset: true };
      this.#transport.send({ type: 'pull-response', spoke: index, response: reset }, this.step);
      return;
    }
    const page = await hub.replica.opsAfter(request.cursor, {
      limit,
      excludeOrigin: request.excludeOwn === false ? undefined : request.origin,
    });
    const response: PullResponse = {
      ...(await this.#stamp()),
      ops: page.items.map((item) => item.op),
      cursor: page.cursor,
      more: page.more,
      reset: false,
    };
    this.#transport.send({ type: 'pull-response', spoke: index, response }, this.step);
  }

  async #stamp(): Promise<HubStamp> {
    const hub = this.#hubHost().replica;
    return {
      hubId: this.#hubId,
      protocol: PROTOCOL_VERSION,
      hubTime: this.#time,
      ownerId: hub.ownerId,
    };
  }

  // --- delivery ------------------------------------------------------------

  async #deliverSome(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const message = this.#transport.take(this.step);
      if (!message) return;
      await this.#deliver(message);
    }
  }

  async #deliver(message: Message): Promise<number> {
    switch (message.type) {
      case 'push':
        await this.#onPush(message.spoke, message.request);
        return 0;
      case 'push-ack':
        await this.#onPushAck(message.spoke, message.clocks, message.response);
        return 0;
      case 'pull':
        await this.#onPull(message.spoke, message.request);
        return 0;
      case 'pull-response':
        this.#lastPullMore = message.response.more;
        return this.#onPullResponse(message.spoke, message.response);
    }
  }

  // --- healing and the final check -------------------------------------

  /** Delivers everything reliably until a whole round moves nothing. Null when quiescent. */
  async #heal(): Promise<string | null> {
    this.#transport.heal();
    this.#note(`network healed, ${this.#transport.size} messages in flight`);
    this.#healing = true;
    await this.#drain();

    for (let round = 1; round <= MAX_HEAL_ROUNDS; round++) {
      this.#healRounds = round;
      let moved = 0;
      for (let index = 0; index < this.#spokes.length; index++) {
        moved += await this.#spokePush(index, MAX_OPS_PER_REQUEST);
        await this.#drain();
        moved += await this.#pullToEnd(index);
      }
      this.#note(`heal round ${round}: ${moved} ops pushed or pulled`);
      if (moved === 0) return null;
    }
    return `no quiescence after ${MAX_HEAL_ROUNDS} heal rounds`;
  }

  async #pullToEnd(index: number): Promise<number> {
    let moved = 0;
    for (let page = 0; page < MAX_PULL_PAGES; page++) {
      await this.#spokePull(index, 100);
      this.#lastPullMore = null;
      moved += await this.#drain();
      if (this.#lastPullMore === null) throw new Error('a pull went unanswered after healing');
      if (!this.#lastPullMore) return moved;
    }
    throw new Error(`pull from s${index} still had more after ${MAX_PULL_PAGES} pages`);
  }

  /** Delivers every message in flight, oldest first; returns the ops pulled. */
  async #drain(): Promise<number> {
    let moved = 0;
    for (let i = 0; i < MAX_DRAIN; i++) {
      const message = this.#transport.takeOldest();
      if (!message) return moved;
      moved += await this.#deliver(message);
    }
    throw new Error(`messages still in flight after ${MAX_DRAIN} deliveries`);
  }

  /** Null when every replica holds every op and shows the hub's state. */
  async #check(): Promise<string | null> {
    const hosts = [this.#hubHost(), ...this.#spokes];
    for (const host of hosts) {
      const problem = opSetProblem(this.#ops, await storedOps(host.replica));
      if (problem) return `${host.name} ${problem}`;
    }

    const written = writtenFields(this.#ops.values());
    const reference = await this.#states(this.#hubHost(), written);
    for (const host of this.#spokes) {
      const state = await this.#states(host, written);
      if (state.visible === reference.visible && state.dump === reference.dump) continue;
      const difference = firstDifference(parseStates(state), parseStates(reference));
      return `${host.name} differs from the hub at ${this.#shorten(difference ?? 'an unknown place')}`;
    }

    // They agree; now they must agree on what the merge rules say.
    const wrong = await oracleProblem(this.#hubHost().replica, this.#ops.values());
    return (
      wrong && `every replica shows a state the merge rules do not give: ${this.#shorten(wrong)}`
    );
  }

  /** What a host shows, as canonical JSON text: through the interface, and its dump. */
  async #states(host: Host, written: Map<string, string[]>): Promise<States> {
    const visible = canonicalJson(await visibleState(host.replica, written));
    const dump = this.#options.dumpState;
    return { visible, dump: dump ? await dump(host.replica, host.executor) : null };
  }

  // --- bookkeeping -----------------------------------------------------

  #hubHost(): Host {
    if (!this.#hub) throw new Error('the hub is not open');
    return this.#hub;
  }

  /** Notes the nodes whose create op `host` now holds. */
  #learn(host: Host, ops: readonly Op[]): void {
    for (const op of ops) {
      if (op.kind !== 'node.create') continue;
      const node = { id: op.node, kind: (op as CreateNodeOp).nodeKind };
      host.nodes.set(node.id, node);
      if (!this.#isKnownNode(node.id)) this.#addNode(node);
    }
  }

  #isKnownNode(id: string): boolean {
    return this.#shortNames.has(id);
  }

  #addNode(node: SimNode): void {
    this.#shortNames.set(node.id, `n${this.#nodes.length}`);
    this.#nodes.push(node);
  }

  #describeOp(op: Op): string {
    const node = this.#shortNames.get(op.node) ?? op.node.slice(-6);
    const detail = 'field' in op ? ` ${String(op.field)}` : 'tag' in op ? ` ${String(op.tag)}` : '';
    return `${op.kind} ${node}${detail} @${op.clock.slice(0, 17)}`;
  }

  #shorten(text: string): string {
    let out = text;
    for (const [id, short] of this.#shortNames) out = out.replaceAll(id, short);
    return out;
  }

  /** Traces one event; while healing only round summaries are kept, so the faults stay in view. */
  #log(host: Host, event: string): void {
    if (!this.#healing) this.#note(`${host.name} ${event}`);
  }

  #note(event: string): void {
    const elapsed = ((this.#time - START_MS) / HOUR_MS).toFixed(2);
    this.trace.push(`#${this.step} t+${elapsed}h ${this.#shorten(event)}`);
    if (this.trace.length > TRACE_LINES) this.trace.shift();
  }
}

/** A quit closes the replica; a crash abandons it, and only the connection is released. */
async function closeHost(host: Host, graceful: boolean): Promise<void> {
  if (graceful) await host.replica.close();
  else await host.executor.close();
  await host.store.release();
}

/** For every node an op was made about, the fields any op wrote (so their history is read). */
function writtenFields(ops: Iterable<Op>): Map<string, string[]> {
  const fields = new Map<string, Set<string>>();
  for (const op of ops) {
    const set = fields.get(op.node) ?? new Set<string>();
    fields.set(op.node, set);
    if (op.kind === 'node.create')
      for (const field of Object.keys((op as CreateNodeOp).fields)) set.add(field);
    if (op.kind === 'field.set') set.add(String((op as { field?: unknown }).field));
  }
  return new Map([...fields].map(([node, set]) => [node, [...set].sort()]));
}

/** What is wrong with the ops a replica stores, compared with every op made; null when nothing. */
function opSetProblem(expected: Map<string, Op>, stored: Map<string, Op>): string | null {
  const missing = [...expected.keys()].filter((clock) => !stored.has(clock));
  const extra = [...stored.keys()].filter((clock) => !expected.has(clock));
  const changed = [...expected].filter(([clock, op]) => {
    const held = stored.get(clock);
    return held !== undefined && !sameOp(held, op);
  });

  if (missing.length > 0) return `is missing ${missing.length} ops, first ${missing[0]}`;
  if (extra.length > 0) return `stores ${extra.length} ops nobody made, first ${extra[0]}`;
  if (changed.length > 0) {
    const [clock, op] = changed[0] as [string, Op];
    const held = canonicalJson(stored.get(clock));
    return `stores op ${clock} altered: ${held} instead of ${canonicalJson(op)}`;
  }
  return null;
}

/** Ops cross as JSON, which keeps key order, so plain text is equal unless something changed. */
function sameOp(a: Op, b: Op): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || canonicalJson(a) === canonicalJson(b);
}

interface States {
  visible: string;
  dump: string | null;
}

function parseStates(states: States): unknown {
  return { visible: JSON.parse(states.visible), dump: states.dump && JSON.parse(states.dump) };
}

function hours(ms: number): string {
  return `${(ms / HOUR_MS).toFixed(1)}h`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error ? ` [${String(error.code)}]` : '';
  const frame = error.stack?.split('\n')[1]?.trim() ?? '';
  return `${error.name}${code}: ${error.message} ${frame}`;
}
