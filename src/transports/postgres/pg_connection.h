// One libpq connection with what PostgresStorage needs: parameters in binary (bytea as it is,
// arrays of bytea), results in binary, errors as values with libpq's message, and reconnection
// after a loss.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "iota_streams/base/bytes.h"
#include "iota_streams/base/error.h"

struct pg_conn;
struct pg_result;

namespace iota_streams::transports {

// The parameters of one statement, $1 first. Owns copies of what it is given.
class PgParams {
 public:
  PgParams& bytes(ByteSpan value);  // bytea
  PgParams& null();
  PgParams& integer(int64_t value);  // as text: the statement casts ($n::bigint)
  // A one-dimensional bytea[] in PostgreSQL's binary array format; nullopt elements are NULL.
  PgParams& bytea_array(const std::vector<std::optional<ByteSpan>>& elements);

  size_t size() const { return values_.size(); }
  const std::vector<std::string>& values() const { return values_; }
  const std::vector<bool>& nulls() const { return nulls_; }
  const std::vector<int>& formats() const { return formats_; }

 private:
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> formats_;
};

// A result that clears itself; columns read in binary format.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&&) = delete;
  PgResult(const PgResult&) = delete;

  int rows() const;
  bool is_null(int row, int column) const;
  ByteSpan bytes(int row, int column) const;
  // A bigint column (8 bytes, big-endian in binary results).
  int64_t int64(int row, int column) const;

 private:
  pg_result* result_;
};

class PgConnection {
 public:
  // Connects and prepares the session (synchronous_commit on, READ COMMITTED).
  static Result<std::unique_ptr<PgConnection>> connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Reconnects when the connection was lost; the reason when that fails.
  Result<void> ensure_connected();
  // Runs one statement; `what` names it in the error ("PostgreSQL: cannot <what>: <libpq
  // message>").
  Result<PgResult> exec(const char* sql, const PgParams& params, const char* what);
  // Runs statements without parameters (several separated by ';').
  Result<void> exec_script(const char* sql, const char* what);
  // Sends every statement at once (libpq's pipeline mode: one round trip), then reads their results
  // in order. The first failure is the error (the server skips the rest); the results when all
  // succeed.
  struct Statement {
    const char* sql;
    const PgParams* params;
  };
  Result<std::vector<PgResult>> exec_pipeline(const std::vector<Statement>& statements,
                                              const char* what);
  // Whether a transaction block is open (also when it failed and waits for ROLLBACK).
  bool in_transaction() const;
  // The SQLSTATE of the last failed statement ("" when none).
  const std::string& last_sqlstate() const { return last_sqlstate_; }

 private:
  explicit PgConnection(pg_conn* connection) : connection_(connection) {}
  Result<void> prepare_session();
  Error failure(pg_result* result, const char* what);
  // The name of `sql` prepared on this session (parsed and planned once, not per call: the
  // server's CPU per statement), preparing it on first use; the error when it does not prepare.
  Result<const std::string*> prepared(const char* sql, const PgParams& params, const char* what);

  pg_conn* connection_;
  std::string last_sqlstate_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

}  // namespace iota_streams::transports
