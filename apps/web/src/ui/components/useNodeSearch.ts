/** Full-text search over titles, context documents and logs, with each hit's node. */
import type { NodeView, SearchHit } from '@heph/oplog';
import { useLiveQuery } from '../../client/react.ts';

export interface FoundNode {
  hit: SearchHit;
  node: NodeView;
}

export function useNodeSearch(query: string, limit = 50) {
  return useLiveQuery(
    async (client): Promise<FoundNode[]> => {
      if (query.trim() === '') return [];
      const hits = await client.query('search', query, limit);
      const nodes = await Promise.all(hits.map((hit) => client.query('getNode', hit.node)));
      return hits.flatMap((hit, index) => {
        const node = nodes[index];
        return node && !node.deleted ? [{ hit, node }] : [];
      });
    },
    [query, limit],
  );
}
