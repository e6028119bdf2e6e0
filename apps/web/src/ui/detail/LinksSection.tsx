/** Links from this node and backlinks to it; new links are found by searching. */
import type { NodeView } from '@heph/oplog';
import { useState } from 'react';
import { useHephClient, useLiveQuery } from '../../client/react.ts';
import { useNodeSearch } from '../components/useNodeSearch.ts';
import { routeHref } from '../router.ts';

async function nodesOf(client: ReturnType<typeof useHephClient>, ids: string[]) {
  const nodes = await Promise.all(ids.map((id) => client.query('getNode', id)));
  return nodes.filter((node): node is NodeView => node !== null && !node.deleted);
}

export function LinksSection({ id }: { id: string }) {
  const client = useHephClient();
  const { data } = useLiveQuery(
    async (c) => {
      const links = await c.query('links', id);
      const [outgoing, incoming] = await Promise.all([
        nodesOf(c, links.outgoing),
        nodesOf(c, links.incoming),
      ]);
      return { outgoing, incoming };
    },
    [id],
  );
  const [query, setQuery] = useState('');
  const { data: found } = useNodeSearch(query, 10);
  const linked = new Set([id, ...(data?.outgoing ?? []).map((node) => node.id)]);
  const candidates = [
    ...new Map(
      (found ?? []).filter(({ node }) => !linked.has(node.id)).map(({ node }) => [node.id, node]),
    ).values(),
  ];

  async function add(target: string) {
    await client.call('link.add', { from: id, to: target });
    setQuery('');
  }

  return (
    <section className="detail-section" aria-labelledby="links-heading">
      <h3 id="links-heading">Links</h3>
      <ul className="link-list" aria-label="Links to">
        {data?.outgoing.map((node) => (
          <li key={node.id} data-testid="link-out">
            <a href={routeHref('task', node.id)}>{node.title}</a>
            <button
              type="button"
              aria-label={`Remove link to ${node.title}`}
              onClick={() => void client.call('link.remove', { from: id, to: node.id })}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="link-search">
        <input
          type="search"
          aria-label="Find a task or note to link"
          placeholder="Search to add a link"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        {candidates.length > 0 && (
          <ul className="link-candidates" aria-label="Link candidates">
            {candidates.map((node) => (
              <li key={node.id}>
                <button type="button" onClick={() => void add(node.id)}>
                  Link to {node.title}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <h4>Linked from</h4>
      {data && data.incoming.length > 0 ? (
        <ul className="link-list" aria-label="Linked from">
          {data.incoming.map((node) => (
            <li key={node.id} data-testid="link-in">
              <a href={routeHref('task', node.id)}>{node.title}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">Nothing links here yet.</p>
      )}
    </section>
  );
}
