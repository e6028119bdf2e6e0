/** "A new version is ready: Reload", shown when a new service worker waits. */
import { useEffect, useState } from 'react';
import { updates } from '../pwa/updates.ts';

export function UpdateBanner() {
  const [ready, setReady] = useState(false);
  useEffect(() => updates.subscribe((state) => setReady(state.ready)), []);
  if (!ready) return null;
  return (
    <div className="update-banner" role="status" data-testid="update-banner">
      <span>A new version is ready</span>
      <button type="button" onClick={() => updates.reload()}>
        Reload
      </button>
    </div>
  );
}
