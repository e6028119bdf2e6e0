/**
 * One toast at a time at the bottom of the screen, with an optional Undo.
 * A new toast replaces the old one; it leaves on its own after a while, so
 * the undo window is generous but not forever.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';

export interface ToastMessage {
  text: string;
  undo?: () => Promise<unknown> | undefined;
}

type ShowToast = (message: ToastMessage) => void;

interface ToastState {
  toast: (ToastMessage & { key: number }) | null;
  dismiss: () => void;
}

const ToastContext = createContext<ShowToast>(() => undefined);
const ToastStateContext = createContext<ToastState>({ toast: null, dismiss: () => undefined });

const TOAST_MS = 8_000;

export function useToast(): ShowToast {
  return useContext(ToastContext);
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<(ToastMessage & { key: number }) | null>(null);
  const show = useCallback<ShowToast>(
    (message) => setToast({ ...message, key: Date.now() + Math.random() }),
    [],
  );

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const dismiss = useCallback(() => setToast(null), []);
  return (
    <ToastContext.Provider value={show}>
      <ToastStateContext.Provider value={{ toast, dismiss }}>{children}</ToastStateContext.Provider>
    </ToastContext.Provider>
  );
}

/** Where the toast shows: the shell puts this just above the dock, at the thumb. */
export function ToastOutlet() {
  const { toast, dismiss } = useContext(ToastStateContext);

  async function undo() {
    const current = toast;
    dismiss();
    await current?.undo?.();
  }

  return (
    <div className="toast-area" aria-live="polite">
      {toast && (
        <div className="toast" role="status" data-testid="toast" key={toast.key}>
          <span>{toast.text}</span>
          {toast.undo && (
            <button type="button" className="toast-undo" onClick={() => void undo()}>
              Undo
            </button>
          )}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={dismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
