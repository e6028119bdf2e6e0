/** bench.html: exposes `window.__bench.run(request)` for the benchmark driver. */
import type { BenchRequest, BenchResult } from './bench.worker.ts';

declare global {
  interface Window {
    __bench?: { run(request: BenchRequest): Promise<BenchResult> };
  }
}

function run(request: BenchRequest): Promise<BenchResult> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (
      event: MessageEvent<{ ok: boolean; result?: BenchResult; error?: string }>,
    ) => {
      worker.terminate();
      if (event.data.ok && event.data.result) resolve(event.data.result);
      else reject(new Error(event.data.error ?? 'benchmark failed'));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message));
    };
    worker.postMessage(request);
  });
}

window.__bench = { run };
(document.getElementById('out') as HTMLElement).textContent = 'ready';
