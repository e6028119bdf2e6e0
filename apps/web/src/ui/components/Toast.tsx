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

const ToastContext = createContext<ShowToast>(() => undefined);

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

  async function undo() {
    const current = toast;
    setToast(null);
    await current?.undo?.();
  }

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toast-area" aria-live="polite">
        {toast && (
          <div className="toast" role="status" data-testid="toast" key={toast.key}>
            <span>{toast.text}</span>
            {toast.undo && (
              <button type="button" className="toast-undo" onClick={() => void undo()}>
                Undo
              </button>
            )}
            <button
              type="button"
              className="toast-close"
              aria-label="Dismiss"
              onClick={() => setToast(null)}
            >
              ×
            </button>
          </div>
        )}
      </div>
    </ToastContext.Provider>
  );
}
