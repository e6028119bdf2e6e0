/**
 * The keyboard's handle on the list on screen: j/k move, x and e act on the
 * selected task. Only one list is on screen at a time; it registers here.
 */
import type { NodeView } from '@heph/oplog';
import { useEffect } from 'react';

export interface ListNav {
  move(delta: number): void;
  selected(): NodeView | null;
}

let current: ListNav | null = null;

export function activeList(): ListNav | null {
  return current;
}

export function useRegisterList(nav: ListNav): void {
  useEffect(() => {
    current = nav;
    return () => {
      if (current === nav) current = null;
    };
  }, [nav]);
}
