/** The heph process itself: its exit status and behaviour on a closed pipe. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/errors.ts';
import { HEPH_BIN, runHephProcess, tempHome } from './helpers/run.ts';

describe('the heph process', () => {
  it('prints its help and exits 0', async () => {
    const home = tempHome();
    try {
      const result = await runHephProcess(['--help'], { env: home.env });
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout).toMatch(/^Usage: heph \[options\] \[command\]/);
    } finally {
      home.remove();
    }
  });

  it('ends quietly when the reader has closed the pipe (heph list | head)', async () => {
    const home = tempHome();
    try {
      const child = spawn(process.execPath, [HEPH_BIN, '--help'], {
        env: home.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Closed before heph writes a byte, so its first write meets a closed pipe.
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

      expect(stderr).toBe('');
      expect(code).toBe(EXIT.ok);
    } finally {
      home.remove();
    }
  });
});
