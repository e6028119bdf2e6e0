/**
 * `hephd --mode server`: open the store, build the app, listen, and stop
 * cleanly on SIGTERM or SIGINT.
 *
 * Without an issuer the hub has no auth, which is acceptable only where no
 * one but this machine's users can reach it: a loopback address. It says so
 * in a warning at start, and refuses any other address outright.
 */
import { randomUUID } from 'node:crypto';
import { createIdFactory } from '@heph/oplog';
import { createHubApp, createSocketApp, type HubAppOptions } from './app.ts';
import { createAuthMount } from './auth-mount.ts';
import { formatAddress, type HubConfig, isLoopback } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { listenTcp, listenUnix, type RunningServer } from './server.ts';
import { isWebRootBuilt } from './static.ts';
import { openHubStore, type StoreOptions } from './store.ts';
import { hubVersion } from './version.ts';

export class StartError extends Error {
  override name = 'StartError';
}

export interface RunOptions extends StoreOptions {
  env: NodeJS.ProcessEnv;
  logger?: Logger;
}

export async function runServer(config: HubConfig, options: RunOptions): Promise<void> {
  const logger = options.logger ?? createLogger(undefined, options.env.HEPHD_LOG_LEVEL ?? 'info');
  checkAuthSafety(config, logger);

  const store = await openHubStore(config.dbPath, options);
  const appOptions: HubAppOptions = {
    hub: { replica: store.replica, hubId: store.hubId, now: options.now },
    auth: await createAuthMount(config.auth, logger),
    authConfig: config.auth,
    webRoot: config.webRoot,
    logger,
    version: hubVersion(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    newId: createIdFactory(options.now, options.randomBytes),
    newRequestId: randomUUID,
  };

  const servers: RunningServer[] = [];
  try {
    servers.push(await listenTcp(createHubApp(appOptions), config.address).catch(explainInUse));
    if (config.socketPath)
      servers.push(await listenUnix(createSocketApp(appOptions), config.socketPath));
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop(0)));
    await store.close();
    throw error;
  }

  const port = servers[0]?.port ?? config.address.port;
  if (!isWebRootBuilt(config.webRoot)) {
    logger.warn(
      { webRoot: config.webRoot },
      'PWA not built yet: run npm run build (the API is served)',
    );
  }
  logger.info(
    {
      address: formatAddress({ host: config.address.host, port }),
      port,
      db: config.dbPath,
      socket: config.socketPath,
      hubId: store.hubId,
      origin: store.replica.origin,
      authRequired: config.auth.issuer !== null,
    },
    'hephd listening',
  );
  // The log lines are for machines; a person starting the hub wants the URL.
  if (process.stderr.isTTY) {
    process.stderr.write(
      `\nheph is up: open http://${formatAddress({ ...config.address, port })}/\n\n`,
    );
  }

  await waitForSignal();
  logger.info('stopping: finishing in-flight requests');
  await Promise.all(servers.map((server) => server.stop()));
  await store.close();
  logger.info('stopped; database closed');
}

function explainInUse(error: unknown): never {
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  const { address, port } = error as NodeJS.ErrnoException & { address: string; port: number };
  throw new StartError(
    `${formatAddress({ host: address, port })} is in use by another program: ` +
      'stop it, or pick another address with --http-addr 127.0.0.1:PORT',
  );
}

function checkAuthSafety(config: HubConfig, logger: Logger): void {
  if (config.auth.issuer !== null) return;
  const address = formatAddress(config.address);
  if (!isLoopback(config.address.host)) {
    throw new StartError(
      `refusing to listen on ${address} without auth: give --oidc-issuer and --oidc-audience, ` +
        'or listen on a loopback address such as 127.0.0.1',
    );
  }
  logger.warn(
    { address },
    'NO AUTH: no --oidc-issuer given, so anyone who can reach this loopback address can read and change everything',
  );
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
