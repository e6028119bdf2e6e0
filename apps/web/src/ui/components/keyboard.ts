/**
 * Laptop keys: n new task, / search, j/k move, x done, e edit, ? the list of
 * keys, Escape back. Keys typed into a field stay the field's.
 */
import { useEffect, useRef } from 'react';

export const KEYS: ReadonlyArray<{ key: string; does: string }> = [
  { key: 'n', does: 'New task (focus the quick-add bar)' },
  { key: '/', does: 'Search' },
  { key: 'j / k', does: 'Move down / up the list' },
  { key: 'x', does: 'Mark the selected task done' },
  { key: 'e', does: 'Open the selected task to edit' },
  { key: '?', does: 'Show these keys' },
  { key: 'Esc', does: 'Close, or go back from a task' },
];

export type KeyAction = 'new' | 'search' | 'down' | 'up' | 'done' | 'edit' | 'help' | 'escape';

const BINDINGS: Record<string, KeyAction> = {
  n: 'new',
  '/': 'search',
  j: 'down',
  k: 'up',
  x: 'done',
  e: 'edit',
  '?': 'help',
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useKeyboard(onAction: (action: KeyAction) => void): void {
  const handler = useRef(onAction);
  handler.current = onAction;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === 'Escape') {
        if (isTyping(event.target)) (event.target as HTMLElement).blur();
        else handler.current('escape');
        return;
      }
      if (isTyping(event.target)) return;
      const action = BINDINGS[event.key];
      if (!action) return;
      event.preventDefault();
      handler.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
