/**
 * What every command needs, built from the global options once per run: the
 * hub URL, the transport (with any extra CA or the Unix socket), the token
 * store, and the RPC client on top of them. The `Io` is injected so tests run
 * the whole CLI in-process with their own streams, environment and clock.
 */
import { readFile } from 'node:fs/promises';
import {
  type CliConfig,
  configFile,
  defaultTokenFile,
  type Env,
  loadConfig,
  resolveHubUrl,
} from './config.ts';
import { CliError } from './errors.ts';
import { createRpcClient, type RpcClient } from './rpc.ts';
import { createCommandTokenStore, createFileTokenStore, type TokenStore } from './token-store.ts';
import { createTransport, type Transport } from './transport.ts';

export interface Io {
  env: Env;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  stdinIsTty: boolean;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Opens a URL in the owner's browser, or null when none can be opened. */
  browser: ((url: string) => Promise<void>) | null;
}

export interface GlobalOptions {
  hubUrl?: string;
  tokenFile?: string;
  tokenLoadCmd?: string;
  tokenSaveCmd?: string;
  socket?: string;
  caFile?: string;
}

export interface Session {
  io: Io;
  hubUrl: string;
  config: CliConfig;
  configFile: string;
  transport: Transport;
  /** Null over the Unix socket, where no token is needed. */
  store: TokenStore | null;
  rpc: RpcClient;
  socket: string | null;
  now: () => number;
}

export async function openSession(io: Io, options: GlobalOptions): Promise<Session> {
  const file = configFile(io.env);
  const config = await loadConfig(file);
  const hubUrl = resolveHubUrl(options.hubUrl, io.env, config);

  const caFile = options.caFile ?? io.env.HEPH_CA_FILE;
  const extraCa = caFile ? await readCaFile(caFile) : undefined;
  const socket = options.socket ?? null;
  const transport = createTransport({ extraCa, socketPath: socket ?? undefined });

  const store = socket ? null : tokenStoreFor(io.env, options, hubUrl);
  const rpc = createRpcClient({ hubUrl, transport, store, now: io.now });
  return { io, hubUrl, config, configFile: file, transport, store, rpc, socket, now: io.now };
}

function tokenStoreFor(env: Env, options: GlobalOptions, hubUrl: string): TokenStore {
  if (options.tokenLoadCmd || options.tokenSaveCmd) {
    return createCommandTokenStore({
      loadCommand: options.tokenLoadCmd,
      saveCommand: options.tokenSaveCmd,
      hubUrl,
      env,
    });
  }
  return createFileTokenStore(options.tokenFile ?? defaultTokenFile(env), hubUrl);
}

async function readCaFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError('usage', `cannot read the CA file ${file}: ${(error as Error).message}`);
  }
}
