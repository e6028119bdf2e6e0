/**
 * Full-text search over titles, context documents and log entries
 * (SPEC.md SEARCH-*).
 *
 * The owner's text is never handed to FTS5's query parser as syntax: every
 * token becomes a quoted phrase with a prefix star, so hyphens, quotes,
 * colons, parentheses and the words AND, OR, NEAR are just text.
 */
import { OplogError } from './errors.ts';
import type { Executor } from './executor.ts';
import { clampLimit } from './limits.ts';
import type { SearchHit } from './replica.ts';

export const MAX_QUERY_CHARS = 1000;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 500;

/** Characters the unicode61 tokenizer keeps inside a token. */
const SEARCHABLE = /[\p{L}\p{N}]/u;

const SEARCH_SQL = `SELECT d.node AS node, d.source AS source,
    snippet(search_fts, 0, char(2), char(3), '…', 16) AS snippet
  FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid
  JOIN nodes n ON n.id = d.node AND n.deleted = 0
  WHERE search_fts MATCH ? AND d.body != ''
  ORDER BY bm25(search_fts), d.node, d.source, d.ref
  LIMIT ?`;

/**
 * [SEARCH-2] The FTS5 query for the owner's text, or null when no token holds
 * a letter or digit. Tokens are split on white space; each is quoted (inner
 * quotes doubled) and matched as a prefix; all must match.
 */
export function toFtsQuery(query: string): string | null {
  const phrases = query
    .split(/\s+/u)
    .filter((token) => SEARCHABLE.test(token))
    .map((token) => `"${token.replaceAll('"', '""')}"*`);
  return phrases.length === 0 ? null : phrases.join(' ');
}

export async function search(
  executor: Executor,
  query: unknown,
  limit: number = DEFAULT_LIMIT,
): Promise<SearchHit[]> {
  if (typeof query !== 'string' || query.length > MAX_QUERY_CHARS || query.includes('\0')) {
    throw new OplogError('invalid_query', 'query must be text of at most 1000 characters', {
      query: typeof query === 'string' ? query.slice(0, 100) : null,
    });
  }
  const fts = toFtsQuery(query);
  if (fts === null) return [];

  const bounded = clampLimit(limit, DEFAULT_LIMIT, MAX_LIMIT);
  try {
    return await executor.all<{ node: string; source: SearchHit['source']; snippet: string }>(
      SEARCH_SQL,
      [fts, bounded],
    );
  } catch (error) {
    // [SEARCH-4] Quoting leaves FTS5 nothing to reject; should it still
    // refuse, the caller gets a named error rather than SQLite's.
    throw new OplogError('invalid_query', `cannot search for ${JSON.stringify(query)}`, {
      query,
      cause: error instanceof Error ? error.message : String(error),
    });
  }
}
