// Every statement PostgresStorage runs, in one place (the tests EXPLAIN these very strings on a
// large table to show that each is served by an index). Parameters are binary bytea, bytea[] or
// text bigint.
#pragma once

namespace iota_streams::transports::pg_sql {

// Created when missing. The identity gives arrival order; ids and indexes are bytea as the SQLite
// store keeps them as blobs.
inline constexpr const char* kSchema = R"sql(
  CREATE TABLE IF NOT EXISTS streams_messages (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id bytea NOT NULL UNIQUE,
    idx bytea,
    raw bytea NOT NULL,
    arrived timestamptz NOT NULL DEFAULT clock_timestamp());
  CREATE INDEX IF NOT EXISTS streams_messages_by_index ON streams_messages (idx, seq);
  CREATE TABLE IF NOT EXISTS streams_parents (
    parent bytea NOT NULL, child bytea NOT NULL, PRIMARY KEY (parent, child));
  CREATE TABLE IF NOT EXISTS streams_tips (seq bigint PRIMARY KEY, id bytea NOT NULL UNIQUE);
  CREATE TABLE IF NOT EXISTS streams_counters (name text PRIMARY KEY, value bigint NOT NULL);
)sql";
// The counter row; counted once if the messages table was filled without it (at open, never on a
// request).
inline constexpr const char* kCounterRow = R"sql(
  INSERT INTO streams_counters (name, value)
    SELECT 'messages', (SELECT count(*) FROM streams_messages)
    WHERE NOT EXISTS (SELECT 1 FROM streams_counters WHERE name = 'messages')
    ON CONFLICT DO NOTHING
)sql";
// Whether an administrator (or an earlier start) created every table: then a role without CREATE on
// the schema can run the node.
inline constexpr const char* kTablesExist =
    "SELECT to_regclass('streams_messages') IS NOT NULL AND to_regclass('streams_parents') IS NOT "
    "NULL "
    "AND to_regclass('streams_tips') IS NOT NULL AND to_regclass('streams_counters') IS NOT NULL";

// ---- one group's write transaction, sent in one round trip: kBegin, kLockWriters, kStoreMessages,
// kUpdateTips, kCommit ----
inline constexpr const char* kBegin = "BEGIN";
// Takes the writers' turn (see store_rows in postgres_storage.cpp).
inline constexpr const char* kLockWriters =
    "SELECT value FROM streams_counters WHERE name = 'messages' FOR UPDATE";
// $1 ids, $2 indexes (NULL: none), $3 raw bytes; $4, $5 (parent, child) of those messages. Stores
// the messages not stored yet, their parent links and the count; returns the ids stored now.
inline constexpr const char* kStoreMessages = R"sql(
  WITH new AS (
    INSERT INTO streams_messages (id, idx, raw) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bytea[])
    ON CONFLICT (id) DO NOTHING RETURNING id),
  links AS (
    INSERT INTO streams_parents (parent, child)
    SELECT l.parent, l.child FROM unnest($4::bytea[], $5::bytea[]) AS l (parent, child)
    WHERE l.child IN (SELECT id FROM new) ON CONFLICT DO NOTHING),
  counted AS (
    UPDATE streams_counters SET value = value + (SELECT count(*) FROM new) WHERE name = 'messages')
  SELECT id FROM new
)sql";
// $1 the group's ids, $2 their parents; runs after kStoreMessages, so it sees the new links. The
// parents are tips no more; each message of the group is a tip unless something names it (a child
// may have come first, or in the same group). The two sets never meet: a message named as a parent
// is not inserted. A message of the group stored before (a repeat) changes nothing: it has a child
// and is no tip, or has none and is a tip already.
inline constexpr const char* kUpdateTips = R"sql(
  WITH untipped AS (DELETE FROM streams_tips WHERE id = ANY($2::bytea[]))
  INSERT INTO streams_tips (seq, id) SELECT m.seq, m.id FROM streams_messages m WHERE m.id = ANY($1::bytea[])
  AND NOT EXISTS (SELECT 1 FROM streams_parents p WHERE p.parent = m.id) ON CONFLICT DO NOTHING
)sql";
inline constexpr const char* kCommit = "COMMIT";

// ---- reads ----
inline constexpr const char* kGet = "SELECT raw FROM streams_messages WHERE id = $1";
inline constexpr const char* kByIndex =
    "SELECT id FROM streams_messages WHERE idx = $1 ORDER BY seq LIMIT $2::bigint";
inline constexpr const char* kChildren =
    "SELECT child FROM streams_parents WHERE parent = $1 LIMIT $2::bigint";
inline constexpr const char* kTips =
    "SELECT id FROM streams_tips ORDER BY seq DESC LIMIT $1::bigint";
inline constexpr const char* kRecent =
    "SELECT seq, id, (extract(epoch FROM arrived) * 1000)::bigint FROM streams_messages "
    "ORDER BY seq DESC LIMIT $1::bigint";
inline constexpr const char* kRecentBefore =
    "SELECT seq, id, (extract(epoch FROM arrived) * 1000)::bigint FROM streams_messages "
    "WHERE seq < $2::bigint ORDER BY seq DESC LIMIT $1::bigint";
inline constexpr const char* kCount = "SELECT value FROM streams_counters WHERE name = 'messages'";
// Writable means: not a read-only standby or session, and the tables still there.
inline constexpr const char* kHealth =
    "SELECT current_setting('transaction_read_only') = 'on', to_regclass('streams_messages') IS "
    "NULL";

}  // namespace iota_streams::transports::pg_sql
