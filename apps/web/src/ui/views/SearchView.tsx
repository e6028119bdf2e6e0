/** Search: full text over titles, context documents and logs, matches highlighted. */
import { useState } from 'react';
import { Snippet } from '../components/Snippet.tsx';
import { useNodeSearch } from '../components/useNodeSearch.ts';
import { routeHref } from '../router.ts';

const SOURCE_LABEL = { title: 'Title', context: 'Context', log: 'Log' } as const;

export function SearchView() {
  const [query, setQuery] = useState('');
  const { data, error } = useNodeSearch(query);

  return (
    <section className="view" aria-label="Search">
      <h2 className="view-title">Search</h2>
      <input
        type="search"
        className="search-input"
        aria-label="Search"
        placeholder="Words in titles, context and logs"
        value={query}
        // biome-ignore lint/a11y/noAutofocus: opening Search means typing into it
        autoFocus
        data-search-field
        onChange={(event) => setQuery(event.target.value)}
      />
      {error && <p role="alert">{error.message}</p>}
      {query.trim() !== '' && data?.length === 0 && (
        <p className="empty" data-testid="search-empty">
          Nothing found for “{query}”.
        </p>
      )}
      <ul className="search-results" aria-label="Search results">
        {data?.map(({ hit, node }) => (
          <li key={`${hit.node}-${hit.source}`} data-testid="search-hit" data-source={hit.source}>
            <a href={routeHref('task', node.id)}>
              <span className="search-title">{node.title}</span>
              <span className="search-source">{SOURCE_LABEL[hit.source]}</span>
              <Snippet text={hit.snippet} />
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
