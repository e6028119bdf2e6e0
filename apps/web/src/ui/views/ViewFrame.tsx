/** The common frame of a list view: a heading, then loading, error, empty or the list. */
import type { ReactNode } from 'react';
import type { LiveQuery } from '../../client/react.ts';

interface ViewFrameProps<T> {
  title: string;
  query: LiveQuery<T>;
  isEmpty: (data: T) => boolean;
  empty: string;
  emptyTestId: string;
  children: (data: T) => ReactNode;
}

export function ViewFrame<T>({
  title,
  query,
  isEmpty,
  empty,
  emptyTestId,
  children,
}: ViewFrameProps<T>) {
  const { data, error } = query;
  return (
    <section className="view" aria-label={title}>
      <h2 className="view-title">{title}</h2>
      {error && !data && <p role="alert">Could not load tasks: {error.message}</p>}
      {!data && !error && <p className="loading">Loading…</p>}
      {data !== undefined && isEmpty(data) && (
        <p className="empty" data-testid={emptyTestId}>
          {empty}
        </p>
      )}
      {data !== undefined && !isEmpty(data) && children(data)}
    </section>
  );
}
