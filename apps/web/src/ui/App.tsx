/**
 * The shell: header (title, status, a slot for account and help buttons),
 * the current view or a task's detail, and the dock at the thumb: the
 * quick-add bar and the view tabs. Views register in VIEWS; a new screen
 * (sign-in, say) is one entry there and is reached at `#/<id>`.
 *
 * Launch URLs are read once: `?capture=text` and `?capture=voice` (the app
 * shortcuts) open into capture, `?share-*` (the share target) becomes a task.
 */
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { HephClient } from '../client/heph-client.ts';
import { HephClientContext, useHephClient, useSpokeStatus } from '../client/react.ts';
import { actOnTask } from './actions.ts';
import { readShare, shareToTask } from './capture/share.ts';
import { KeysHelp } from './components/KeysHelp.tsx';
import { type KeyAction, useKeyboard } from './components/keyboard.ts';
import { activeList } from './components/list-nav.ts';
import { ToastOutlet, ToastProvider, useToast } from './components/Toast.tsx';
import { TaskDetail } from './detail/TaskDetail.tsx';
import { NextView } from './NextView.tsx';
import { QuickAdd, type QuickAddHandle } from './QuickAdd.tsx';
import { navigate, openTask, useRoute } from './router.ts';
import { SettingsView } from './SettingsView.tsx';
import { StatusArea } from './StatusArea.tsx';
import { SignInSlot } from './signin/SignInSlot.tsx';
import { UpdateBanner } from './UpdateBanner.tsx';
import { TodayView, UpcomingView } from './views/DateViews.tsx';
import { InboxView, ProjectsView, TagsView } from './views/GroupViews.tsx';
import { LogbookView } from './views/LogbookView.tsx';
import { SearchView } from './views/SearchView.tsx';

export interface ViewEntry {
  id: string;
  label: string;
  render: () => ReactNode;
  /** Left out of the tab bar (reached by link or button instead). */
  hidden?: boolean;
}

export const VIEWS: ViewEntry[] = [
  { id: 'next', label: 'Next', render: () => <NextView /> },
  { id: 'today', label: 'Today', render: () => <TodayView /> },
  { id: 'upcoming', label: 'Upcoming', render: () => <UpcomingView /> },
  { id: 'inbox', label: 'Inbox', render: () => <InboxView /> },
  { id: 'projects', label: 'Projects', render: () => <ProjectsView /> },
  { id: 'tags', label: 'Tags', render: () => <TagsView /> },
  { id: 'logbook', label: 'Logbook', render: () => <LogbookView /> },
  { id: 'search', label: 'Search', render: () => <SearchView /> },
  { id: 'settings', label: 'Settings', render: () => <SettingsView /> },
];

interface Launch {
  capture: 'text' | 'voice' | null;
  share: ReturnType<typeof readShare>;
}

/** Reads the launch URL once and takes its query off, so a reload does not repeat it. */
function readLaunch(): Launch {
  const search = window.location.search;
  const capture = new URLSearchParams(search).get('capture');
  const launch: Launch = {
    capture: capture === 'text' || capture === 'voice' ? capture : null,
    share: readShare(search),
  };
  if (search !== '') {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.hash}`);
  }
  return launch;
}

export function App({ client }: { client: HephClient }) {
  const [launch] = useState(readLaunch);

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
      <ToastProvider>
        <Shell launch={launch} />
      </ToastProvider>
    </HephClientContext.Provider>
  );
}

function Shell({ launch }: { launch: Launch }) {
  const client = useHephClient();
  const toast = useToast();
  const route = useRoute();
  const quickAdd = useRef<QuickAddHandle>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const lastView = useRef('next');
  const view = VIEWS.find((entry) => entry.id === route.view);
  if (view) lastView.current = view.id;
  const closeDetail = () => navigate(lastView.current);

  useShare(launch);
  useKeyboard((action: KeyAction) => {
    const selected = activeList()?.selected() ?? null;
    if (action === 'new') quickAdd.current?.focus();
    if (action === 'search') navigate('search');
    if (action === 'down' || action === 'up') activeList()?.move(action === 'down' ? 1 : -1);
    if (action === 'done' && selected) void actOnTask(client, selected, 'done').then(toast);
    if (action === 'edit' && selected) openTask(selected.id);
    if (action === 'help') setHelpOpen(true);
    if (action === 'escape' && route.view === 'task') closeDetail();
  });

  const tabView = view ?? VIEWS.find((entry) => entry.id === lastView.current);
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header-row">
          <h1 className="app-title">heph</h1>
          <div className="header-actions" data-slot="header-actions">
            <button
              type="button"
              className="icon-button"
              aria-label="Keyboard shortcuts"
              onClick={() => setHelpOpen(true)}
            >
              ?
            </button>
          </div>
        </div>
        <StatusArea />
      </header>
      <UpdateBanner />
      {/* Sign-in (ui/signin): its banner under the header, its screen when opened. */}
      <SignInSlot />
      <main className="app-main">
        <StorageGate early={showsNext(route.view, route.param) && client.hasSavedNext()}>
          {route.view === 'task' && route.param ? (
            <TaskDetail id={route.param} onClose={closeDetail} />
          ) : (
            (view ?? (VIEWS[0] as ViewEntry)).render()
          )}
        </StorageGate>
      </main>
      <div className="app-dock">
        <ToastOutlet />
        <StorageGate quiet>
          <QuickAdd
            ref={quickAdd}
            autoFocus={launch.capture === 'text'}
            startVoice={launch.capture === 'voice'}
          />
        </StorageGate>
        <nav className="app-nav" aria-label="Views">
          {VIEWS.filter((entry) => !entry.hidden).map((entry) => (
            <button
              key={entry.id}
              type="button"
              aria-current={entry.id === tabView?.id && route.view !== 'task' ? 'page' : undefined}
              onClick={() => navigate(entry.id)}
            >
              {entry.label}
            </button>
          ))}
        </nav>
      </div>
      <KeysHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}

/** A shared text or link becomes a task once the store is open; its detail opens. */
function useShare(launch: Launch) {
  const client = useHephClient();
  const toast = useToast();
  const status = useSpokeStatus();
  const done = useRef(false);
  const ready = status?.storage === 'ready';

  useEffect(() => {
    if (!launch.share || !ready || done.current) return;
    done.current = true;
    shareToTask(client, launch.share).then(
      (id) => {
        toast({ text: 'Saved the shared item as a task' });
        openTask(id);
      },
      (error: Error) => toast({ text: `Could not save the shared item: ${error.message}` }),
    );
  }, [client, launch.share, ready, toast]);
}

/** True when the main area shows the Next view (the first screen). */
function showsNext(view: string, param: string | null): boolean {
  if (view === 'task' && param) return false;
  return (VIEWS.find((entry) => entry.id === view) ?? VIEWS[0])?.id === 'next';
}

/**
 * Shows why the data cannot be shown yet, instead of an empty list.
 * `early` lets the children in while the store is still opening: the Next
 * view then paints the list saved by the last page, never an empty one.
 */
function StorageGate({
  children,
  quiet = false,
  early = false,
}: {
  children: ReactNode;
  quiet?: boolean;
  early?: boolean;
}) {
  const status = useSpokeStatus();
  if (status?.storage === 'ready') return <>{children}</>;
  if (early && (status === null || status.storage === 'opening')) return <>{children}</>;
  if (quiet) return null;
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
