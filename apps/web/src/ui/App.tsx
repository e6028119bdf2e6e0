/**
 * The shell: status area, update banner, the current view and the bottom
 * navigation. Views register in VIEWS; a new screen is one entry there.
 */
import { type ReactNode, useEffect, useState } from 'react';
import type { HephClient } from '../client/heph-client.ts';
import { HephClientContext, useSpokeStatus } from '../client/react.ts';
import { NextView } from './NextView.tsx';
import { QuickAdd } from './QuickAdd.tsx';
import { SettingsView } from './SettingsView.tsx';
import { StatusArea } from './StatusArea.tsx';
import { UpdateBanner } from './UpdateBanner.tsx';

export interface ViewEntry {
  id: string;
  label: string;
  render: () => ReactNode;
}

export const VIEWS: ViewEntry[] = [
  { id: 'next', label: 'Next', render: () => <NextView /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsView /> },
];

/** `/?capture=text` and `/?capture=voice` (the app shortcuts) open into capture. */
function captureFromLocation(): 'text' | 'voice' | null {
  const capture = new URLSearchParams(window.location.search).get('capture');
  return capture === 'text' || capture === 'voice' ? capture : null;
}

export function App({ client }: { client: HephClient }) {
  const [viewId, setViewId] = useState('next');
  const view = VIEWS.find((entry) => entry.id === viewId) ?? (VIEWS[0] as ViewEntry);

  useEffect(() => {
    // Coming back to the app is the moment a phone user expects fresh data.
    const onVisible = () => document.visibilityState === 'visible' && void client.syncNow();
    const onFocus = () => void client.syncNow();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onFocus);
    // The worker hears `online` too, but the page's event is the one tests and
    // some browsers (a laptop waking up) fire reliably.
    window.addEventListener('online', onFocus);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onFocus);
      window.removeEventListener('online', onFocus);
    };
  }, [client]);

  return (
    <HephClientContext.Provider value={client}>
      <div className="app">
        <header className="app-header">
          <h1 className="app-title">heph</h1>
          <StatusArea />
        </header>
        <UpdateBanner />
        <main className="app-main">
          <StorageGate>
            {view.id === 'next' && <QuickAdd autoFocus={captureFromLocation() !== null} />}
            {view.render()}
          </StorageGate>
        </main>
        <nav className="app-nav" aria-label="Views">
          {VIEWS.map((entry) => (
            <button
              key={entry.id}
              type="button"
              aria-current={entry.id === view.id ? 'page' : undefined}
              onClick={() => setViewId(entry.id)}
            >
              {entry.label}
            </button>
          ))}
        </nav>
      </div>
    </HephClientContext.Provider>
  );
}

/** Shows why the data cannot be shown yet, instead of an empty list. */
function StorageGate({ children }: { children: ReactNode }) {
  const status = useSpokeStatus();
  if (status?.storage === 'ready') return <>{children}</>;
  if (status?.storage === 'unavailable') {
    return (
      <p className="storage-problem" role="alert" data-testid="storage-problem">
        {status.storageError} Your tasks are not lost; heph keeps trying.
      </p>
    );
  }
  return (
    <p className="storage-opening" data-testid="storage-opening">
      Opening your tasks…
    </p>
  );
}
