/**
 * contract.html: starts the contract worker and publishes its results on
 * `window.__contractResults` for the e2e test to read.
 */
import type { CaseResult } from './contract.worker.ts';

declare global {
  interface Window {
    __contractResults?: CaseResult[];
  }
}

const out = document.getElementById('out') as HTMLElement;
const worker = new Worker(new URL('./contract.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = (event: MessageEvent<CaseResult[]>) => {
  window.__contractResults = event.data;
  out.textContent = event.data
    .map(
      (result) =>
        `${result.ok ? 'ok  ' : 'FAIL'} ${result.name}${result.error ? `: ${result.error}` : ''}`,
    )
    .join('\n');
};
worker.onerror = (event) => {
  window.__contractResults = [{ name: 'worker', ok: false, error: event.message, ms: 0 }];
  out.textContent = `worker failed: ${event.message}`;
};
worker.postMessage('run');
