/** The always-visible sync state: what is happening, when it last worked, what is waiting. */
import { useEffect, useState } from 'react';
import { useSpokeStatus } from '../client/react.ts';
import type { SpokeStatus } from '../worker/protocol.ts';

export function describeSync(status: SpokeStatus): string {
  if (status.phase === 'sign-in-needed') return 'Sign-in needed';
  if (status.phase === 'syncing') {
    const progress = status.progress;
    if (!progress) return 'Syncing…';
    const total = progress.total ? ` of ${progress.total.toLocaleString()}` : '';
    return `Syncing ${progress.pulled.toLocaleString()}${total}…`;
  }
  if (status.phase === 'offline' || !status.online) return 'Offline';
  if (status.phase === 'error') return 'Sync problem';
  if (status.lastSyncAt === null) return 'Not synced yet';
  return status.pending === 0 ? 'Synced' : 'Changes waiting';
}

function formatTime(epochMs: number, now: number): string {
  const date = new Date(epochMs);
  const sameDay = new Date(now).toDateString() === date.toDateString();
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${date.toLocaleDateString()} ${time}`;
}

export function StatusArea() {
  const status = useSpokeStatus();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  if (!status) return <output className="status">Starting…</output>;
  const state = describeSync(status);
  return (
    <output className={`status status-${status.phase}`} aria-live="polite" data-testid="status">
      <span className="status-state" data-testid="status-sync" data-phase={status.phase}>
        {state}
      </span>
      <span className="status-pending" data-testid="status-pending" data-count={status.pending}>
        {status.pending} pending
      </span>
      <span className="status-last" data-testid="status-last-sync">
        {status.lastSyncAt ? `Last sync ${formatTime(status.lastSyncAt, now)}` : 'Never synced'}
      </span>
      {status.error && status.phase !== 'offline' && (
        <span className="status-error" role="alert" data-testid="status-error">
          {status.error.message}
        </span>
      )}
      {status.clockWarning && status.clockSkewMs !== null && (
        <span className="status-clock" role="alert" data-testid="status-clock">
          This device’s clock is {Math.round(Math.abs(status.clockSkewMs) / 60_000)} min{' '}
          {status.clockSkewMs > 0 ? 'ahead of' : 'behind'} the hub’s.
        </span>
      )}
    </output>
  );
}
