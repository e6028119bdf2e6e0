/**
 * The store's tables (SPEC.md SCHEMA-*). The op-log (`ops`) is the truth;
 * every other table is materialized from it and could be rebuilt.
 *
 * Registers (fields, deletions, tags, links, occurrences) keep the clock of
 * the write in effect, so merging is one conditional upsert per op and never
 * needs the ops that came before. No foreign keys: an op may arrive before
 * the create of the node it is about (MERGE-5).
 */
import type { Executor } from './executor.ts';

/** [SCHEMA-1] Bumped when the tables change; stored in meta.schema_version. */
export const SCHEMA_VERSION = 1;

const TABLES = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS ops (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  clock TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  kind TEXT NOT NULL,
  node TEXT NOT NULL,
  body TEXT NOT NULL,
  pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ops_node ON ops (node, clock);
CREATE INDEX IF NOT EXISTS ops_pending ON ops (seq) WHERE pending = 1;

CREATE TABLE IF NOT EXISTS nodes (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  create_clock TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL DEFAULT '',
  state TEXT,
  do_date INTEGER,
  late_on INTEGER,
  attention TEXT,
  project TEXT,
  recurrence TEXT,
  closed_at INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind, deleted, state);

CREATE TABLE IF NOT EXISTS fields (
  node TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  clock TEXT NOT NULL,
  PRIMARY KEY (node, field)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS deletions (
  node TEXT PRIMARY KEY,
  deleted INTEGER NOT NULL,
  clock TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS tags (
  node TEXT NOT NULL,
  tag TEXT NOT NULL,
  present INTEGER NOT NULL,
  clock TEXT NOT NULL,
  PRIMARY KEY (node, tag)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tags_tag ON tags (tag) WHERE present = 1;

CREATE TABLE IF NOT EXISTS links (
  source TEXT NOT NULL,
  target TEXT NOT NULL,
  present INTEGER NOT NULL,
  clock TEXT NOT NULL,
  PRIMARY KEY (source, target)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_target ON links (target);

CREATE TABLE IF NOT EXISTS log_entries (
  node TEXT NOT NULL,
  clock TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (node, clock)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS context_parts (
  node TEXT NOT NULL,
  clock TEXT NOT NULL,
  mode TEXT NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (node, clock)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS occurrences (
  node TEXT NOT NULL,
  occurrence INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  clock TEXT NOT NULL,
  PRIMARY KEY (node, occurrence)
) WITHOUT ROWID;
`;

/**
 * [SEARCH-1] Searchable text lives in search_docs (one row per title,
 * context document and log entry); the FTS5 index reads it as external
 * content and triggers keep the two in step.
 */
const SEARCH = `
CREATE TABLE IF NOT EXISTS search_docs (
  id INTEGER PRIMARY KEY,
  node TEXT NOT NULL,
  source TEXT NOT NULL,
  ref TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (source, ref)
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
  body,
  content = 'search_docs',
  content_rowid = 'id',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS search_docs_insert AFTER INSERT ON search_docs BEGIN
  INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER IF NOT EXISTS search_docs_delete AFTER DELETE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER IF NOT EXISTS search_docs_update AFTER UPDATE ON search_docs BEGIN
  INSERT INTO search_fts (search_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO search_fts (rowid, body) VALUES (new.id, new.body);
END;
`;

export async function createSchema(executor: Executor): Promise<void> {
  await executor.exec(TABLES + SEARCH);
}

/** The tables a canonical dump covers, each with the columns that order its rows. */
export const MATERIALIZED_TABLES: ReadonlyArray<{ table: string; order: string }> = [
  { table: 'nodes', order: 'id' },
  { table: 'fields', order: 'node, field' },
  { table: 'deletions', order: 'node' },
  { table: 'tags', order: 'node, tag' },
  { table: 'links', order: 'source, target' },
  { table: 'log_entries', order: 'node, clock' },
  { table: 'context_parts', order: 'node, clock' },
  { table: 'occurrences', order: 'node, occurrence' },
];
