/** Settings: which build runs, where sync goes, how the local storage stands. */
import { type FormEvent, useEffect, useState } from 'react';
import type { StorageInfo } from '../client/heph-client.ts';
import { useHephClient, useSpokeStatus } from '../client/react.ts';
import { BUILD } from '../pwa/build-info.ts';
import { updates } from '../pwa/updates.ts';
import { AccountSection } from './signin/AccountSection.tsx';

function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function SettingsView() {
  const client = useHephClient();
  const status = useSpokeStatus();
  const [storage, setStorage] = useState<StorageInfo | null>(null);
  const [hubUrl, setHubUrl] = useState('');
  const [hubMessage, setHubMessage] = useState<string | null>(null);

  useEffect(() => {
    void client.storageInfo().then(setStorage);
  }, [client]);
  useEffect(() => {
    if (status && !status.hubUrlIsDefault) setHubUrl(status.hubUrl);
  }, [status?.hubUrl, status?.hubUrlIsDefault, status]);

  async function saveHub(event: FormEvent) {
    event.preventDefault();
    try {
      await client.setHubUrl(hubUrl.trim() === '' ? null : hubUrl);
      setHubMessage('Saved; syncing with the new hub.');
    } catch (error) {
      setHubMessage(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <section className="settings" aria-label="Settings">
      <h2>Settings</h2>
      <dl>
        <dt>Version</dt>
        <dd data-testid="app-version">{BUILD.version}</dd>
        <dt>Build</dt>
        <dd data-testid="build-id">{BUILD.buildId}</dd>
        <dt>Storage</dt>
        <dd data-testid="storage-persisted">
          {storage === null
            ? '…'
            : storage.persisted
              ? 'Persistent'
              : 'Not persistent (the browser may clear it)'}
        </dd>
        <dt>Used</dt>
        <dd data-testid="storage-usage">
          {storage ? `${formatBytes(storage.usage)} of ${formatBytes(storage.quota)}` : '…'}
        </dd>
        <dt>Device</dt>
        <dd>{status?.origin ?? '…'}</dd>
      </dl>
      <button type="button" onClick={() => void updates.check()}>
        Check for updates
      </button>

      <form className="hub-form" onSubmit={saveHub}>
        <label htmlFor="hub-url">Hub URL</label>
        <input
          id="hub-url"
          placeholder={status?.hubUrlIsDefault ? status.hubUrl : 'this page’s own address'}
          value={hubUrl}
          onChange={(event) => setHubUrl(event.target.value)}
        />
        <button type="submit">Save</button>
        <p className="hint">Leave empty to sync with the hub that serves this page.</p>
        {hubMessage && <p role="status">{hubMessage}</p>}
        {status?.error && <p role="alert">{status.error.message}</p>}
      </form>
      <AccountSection />
    </section>
  );
}
