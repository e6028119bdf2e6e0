/** The app's entry: start the database worker and the service worker, render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHephClient } from './client/heph-client.ts';
import { updates } from './pwa/updates.ts';
import { App } from './ui/App.tsx';
import './ui/styles.css';

const client = createHephClient();
// The e2e suite and the benchmarks drive the app through this handle.
(window as unknown as { __heph: unknown }).__heph = { client };
void client.requestPersistence();
updates.start();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
