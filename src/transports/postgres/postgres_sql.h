// Every statement PostgresStorage runs, in one place (the tests EXPLAIN these very strings on a large
// table to show that each is served by an index). Parameters are binary bytea, bytea[] or text bigint.
#pragma once

namespace iota_streams::transports::pg_sql {

// Created when missing. The identity gives arrival order; ids and indexes are bytea as the SQLite store
// keeps them as blobs.
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
// Whether an administrator (or an earlier start) created every table: then a role without CREATE on the
// schema can run the node.
inline constexpr const char* kTablesExist =
    "SELECT to_regclass('streams_messages') IS NOT NULL AND to_regclass('streams_parents') IS NOT NULL "
    "AND to_regclass('streams_tips') IS NOT NULL AND to_regclass('streams_counters') IS NOT NULL";

// ---- one group's write transaction, in this order ----
inline constexpr const char* kLockWriters =
    "SELECT value FROM streams_counters WHERE name = 'messages' FOR UPDATE";
// $1 ids, $2 indexes (NULL: none), $3 raw bytes; returns the ids stored now.
inline constexpr const char* kInsertMessages =
    "INSERT INTO streams_messages (id, idx, raw) SELECT * FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) "
    "ON CONFLICT (id) DO NOTHING RETURNING id";
// $1 parents, $2 children.
inline constexpr const char* kInsertParents =
    "INSERT INTO streams_parents (parent, child) SELECT * FROM unnest($1::bytea[], $2::bytea[]) "
    "ON CONFLICT DO NOTHING";
// $1 the parents of the new messages: tips no more.
inline constexpr const char* kUntip = "DELETE FROM streams_tips WHERE id = ANY($1::bytea[])";
// $1 the new messages: each a tip unless something already names it (a child may have come first, or in
// the same group).
inline constexpr const char* kTip =
    "INSERT INTO streams_tips (seq, id) SELECT m.seq, m.id FROM streams_messages m WHERE m.id = ANY($1::bytea[]) "
    "AND NOT EXISTS (SELECT 1 FROM streams_parents p WHERE p.parent = m.id) ON CONFLICT DO NOTHING";
// $1 how many were stored now.
inline constexpr const char* kAddCount =
    "UPDATE streams_counters SET value = value + $1::bigint WHERE name = 'messages'";

// ---- reads ----
inline constexpr const char* kGet = "SELECT raw FROM streams_messages WHERE id = $1";
inline constexpr const char* kByIndex = "SELECT id FROM streams_messages WHERE idx = $1 ORDER BY seq LIMIT $2::bigint";
inline constexpr const char* kChildren = "SELECT child FROM streams_parents WHERE parent = $1 LIMIT $2::bigint";
inline constexpr const char* kTips = "SELECT id FROM streams_tips ORDER BY seq DESC LIMIT $1::bigint";
inline constexpr const char* kRecent =
    "SELECT seq, id, (extract(epoch FROM arrived) * 1000)::bigint FROM streams_messages "
    "ORDER BY seq DESC LIMIT $1::bigint";
inline constexpr const char* kRecentBefore =
    "SELECT seq, id, (extract(epoch FROM arrived) * 1000)::bigint FROM streams_messages "
    "WHERE seq < $2::bigint ORDER BY seq DESC LIMIT $1::bigint";
inline constexpr const char* kCount = "SELECT value FROM streams_counters WHERE name = 'messages'";
// Writable means: not a read-only standby or session, and the tables still there.
inline constexpr const char* kHealth =
    "SELECT current_setting('transaction_read_only') = 'on', to_regclass('streams_messages') IS NULL";

}  // namespace iota_streams::transports::pg_sql
