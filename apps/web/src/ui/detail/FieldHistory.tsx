/**
 * A field's history from the op-log (MERGE-10): every value it held, when
 * and where it was written, which one is in effect, and which were written
 * on another device while the two were apart. Any older value can be put
 * back; that is an ordinary new edit.
 */
import type { FieldHistoryEntry, FieldValue } from '@heph/oplog';
import { clockTime, formatStamp } from '../format.ts';

interface FieldHistoryProps {
  label: string;
  entries: FieldHistoryEntry[];
  show: (value: FieldValue) => string;
  restore?: (value: FieldValue) => void;
}

export function FieldHistory({ label, entries, show, restore }: FieldHistoryProps) {
  return (
    <section className="field-history" aria-label={`History of ${label}`}>
      <ol>
        {[...entries].reverse().map((entry) => (
          <li
            key={entry.clock}
            data-testid="history-entry"
            data-winner={entry.winner || undefined}
            data-concurrent={entry.concurrent || undefined}
          >
            <span className="history-value" data-testid="history-value">
              {show(entry.value)}
            </span>
            <span className="history-when">
              {formatStamp(clockTime(entry.clock))} · device {entry.origin.slice(0, 6)}
            </span>
            {entry.winner && <span className="badge">Current</span>}
            {entry.concurrent && (
              <span
                className="badge badge-concurrent"
                data-testid="concurrent-mark"
                title="Changed on another device while the two were apart"
              >
                Concurrent edit
              </span>
            )}
            {!entry.winner && restore && (
              <button type="button" onClick={() => restore(entry.value)}>
                Restore this value
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
