/**
 * The test issuer as its own process, for suites that start servers from a config (a
 * Playwright webServer, a shell script): `node --import tsx src/serve.ts [--port N]
 * [--audience A] [--client-id C] [--access-token-ttl S] [--device-code-ttl S]`.
 * It prints one JSON line ({ issuer, port, clientId, audience }) once it listens, and stops on
 * SIGTERM or SIGINT. Approving codes from another process works over HTTP with
 * approveUserCode/denyUserCode from the package's index.
 */
import { parseArgs } from 'node:util';
import { startTestIssuer } from './issuer.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    audience: { type: 'string' },
    'client-id': { type: 'string' },
    'access-token-ttl': { type: 'string' },
    'device-code-ttl': { type: 'string' },
  },
  strict: true,
});

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

const issuer = await startTestIssuer({
  port: number(values.port),
  audience: values.audience,
  clientId: values['client-id'],
  accessTokenTtl: number(values['access-token-ttl']),
  deviceCodeTtl: number(values['device-code-ttl']),
});

const { port, clientId, audience } = issuer;
process.stdout.write(`${JSON.stringify({ issuer: issuer.issuer, port, clientId, audience })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    issuer.stop().then(() => process.exit(0));
  });
}
