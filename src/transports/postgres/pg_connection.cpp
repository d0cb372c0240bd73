#include "pg_connection.h"

#include <libpq-fe.h>

#include <optional>

namespace iota_streams::transports {
namespace {

constexpr Oid kByteaOid = 17;  // pg_type.oid of bytea (catalog constant)

void append_be32(std::string& out, uint32_t value) {
  uint8_t be[4];
  store_be(value, be);
  out.append(reinterpret_cast<const char*>(be), sizeof be);
}

std::string trimmed(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text.empty() ? "unknown error" : text;
}

}  // namespace

// ---- PgParams ----

PgParams& PgParams::bytes(ByteSpan value) {
  values_.emplace_back(reinterpret_cast<const char*>(value.data()), value.size());
  nulls_.push_back(false);
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::null() {
  values_.emplace_back();
  nulls_.push_back(true);
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::integer(int64_t value) {
  values_.push_back(std::to_string(value));
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

// The binary array format (array_send in arrayfuncs.c): dimensions, a has-null flag, the element
// type, each dimension's length and lower bound, then each element as a length (-1: NULL) and its
// bytes.
PgParams& PgParams::bytea_array(const std::vector<std::optional<ByteSpan>>& elements) {
  std::string out;
  bool has_null = false;
  for (const auto& element : elements) has_null = has_null || !element;
  append_be32(out, elements.empty() ? 0 : 1);
  append_be32(out, has_null ? 1 : 0);
  append_be32(out, kByteaOid);
  if (!elements.empty()) {
    append_be32(out, static_cast<uint32_t>(elements.size()));
    append_be32(out, 1);
  }
  for (const auto& element : elements) {
    if (!element) {
      append_be32(out, 0xffffffffu);
      continue;
    }
    append_be32(out, static_cast<uint32_t>(element->size()));
    out.append(reinterpret_cast<const char*>(element->data()), element->size());
  }
  values_.push_back(std::move(out));
  nulls_.push_back(false);
  formats_.push_back(1);
  return *this;
}

// ---- PgResult ----

PgResult::~PgResult() { PQclear(result_); }

int PgResult::rows() const { return PQntuples(result_); }

bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

ByteSpan PgResult::bytes(int row, int column) const {
  const auto* data = reinterpret_cast<const uint8_t*>(PQgetvalue(result_, row, column));
  return {data, static_cast<size_t>(PQgetlength(result_, row, column))};
}

int64_t PgResult::int64(int row, int column) const {
  const ByteSpan value = bytes(row, column);
  return value.size() == 8 ? static_cast<int64_t>(load_be(value)) : 0;
}

// ---- PgConnection ----

Result<std::unique_ptr<PgConnection>> PgConnection::connect(const std::string& conninfo) {
  // The caller's string (a URI or key=value pairs) expanded as libpq does, with a default
  // application name so that a database administrator sees which sessions are the node's
  // (pg_stat_activity).
  const char* keys[] = {"dbname", "fallback_application_name", nullptr};
  const char* values[] = {conninfo.c_str(), "streams-node", nullptr};
  PGconn* connection = PQconnectdbParams(keys, values, 1);
  if (!connection)
    return Error(Errc::kTransportFailure, "PostgreSQL: cannot connect: out of memory");
  if (PQstatus(connection) != CONNECTION_OK) {
    Error error(Errc::kTransportFailure,
                "PostgreSQL: cannot connect: " + trimmed(PQerrorMessage(connection)));
    PQfinish(connection);
    return error;
  }
  std::unique_ptr<PgConnection> result(new PgConnection(connection));
  STREAMS_TRY(result->prepare_session());
  return result;
}

PgConnection::~PgConnection() { PQfinish(connection_); }

// Acknowledged means committed: synchronous_commit on whatever the server's default, and READ
// COMMITTED (each statement sees what was committed before it started) whatever the database's.
Result<void> PgConnection::prepare_session() {
  return exec_script(
      "SET synchronous_commit = on; "
      "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
      "prepare the session");
}

Result<void> PgConnection::ensure_connected() {
  if (PQstatus(connection_) == CONNECTION_OK) return ok_result();
  PQreset(connection_);
  prepared_.clear();  // a new session has none
  if (PQstatus(connection_) != CONNECTION_OK) {
    return Error(Errc::kTransportFailure, "PostgreSQL: connection lost, cannot reconnect: " +
                                              trimmed(PQerrorMessage(connection_)));
  }
  return prepare_session();
}

Error PgConnection::failure(PGresult* result, const char* what) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state ? state : "";
  std::string message =
      trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(connection_));
  if (!result || message == "unknown error") message = trimmed(PQerrorMessage(connection_));
  PQclear(result);
  const bool lost = PQstatus(connection_) != CONNECTION_OK;
  return Error(Errc::kTransportFailure, std::string("PostgreSQL: ") +
                                            (lost ? "connection lost, " : "") + "cannot " + what +
                                            ": " + message);
}

namespace {

// The parameters as libpq takes them (pointers into `params`, which must outlive the call).
struct ParamArrays {
  explicit ParamArrays(const PgParams& params) : values(params.size()), lengths(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) {
      values[i] = params.nulls()[i] ? nullptr : params.values()[i].data();
      lengths[i] = static_cast<int>(params.values()[i].size());
    }
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
};

}  // namespace

Result<const std::string*> PgConnection::prepared(const char* sql, const PgParams& params,
                                                  const char* what) {
  auto found = prepared_.find(sql);
  if (found != prepared_.end()) return &found->second;
  std::string name = "streams_" + std::to_string(prepared_.size() + 1);
  PGresult* result =
      PQprepare(connection_, name.c_str(), sql, static_cast<int>(params.size()), nullptr);
  if (!result || PQresultStatus(result) != PGRES_COMMAND_OK) return failure(result, what);
  PQclear(result);
  return &prepared_.emplace(sql, std::move(name)).first->second;
}

Result<PgResult> PgConnection::exec(const char* sql, const PgParams& params, const char* what) {
  STREAMS_ASSIGN_OR_RETURN(const std::string* name, prepared(sql, params, what));
  const ParamArrays arrays(params);
  PGresult* result =
      PQexecPrepared(connection_, name->c_str(), static_cast<int>(params.size()),
                     arrays.values.data(), arrays.lengths.data(), params.formats().data(), 1);
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return failure(result, what);
  last_sqlstate_.clear();
  return PgResult(result);
}

bool PgConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(connection_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

Result<std::vector<PgResult>> PgConnection::exec_pipeline(const std::vector<Statement>& statements,
                                                          const char* what) {
  std::vector<const std::string*> names;  // prepared before the pipeline, once per session
  for (const Statement& statement : statements) {
    STREAMS_ASSIGN_OR_RETURN(const std::string* name,
                             prepared(statement.sql, *statement.params, what));
    names.push_back(name);
  }
  if (PQenterPipelineMode(connection_) != 1) return failure(nullptr, what);
  bool sent = true;
  for (size_t i = 0; i < statements.size(); ++i) {
    const ParamArrays arrays(*statements[i].params);
    sent = sent && PQsendQueryPrepared(connection_, names[i]->c_str(),
                                       static_cast<int>(statements[i].params->size()),
                                       arrays.values.data(), arrays.lengths.data(),
                                       statements[i].params->formats().data(), 1) == 1;
  }
  sent = sent && PQpipelineSync(connection_) == 1;
  std::vector<PgResult> results;
  std::optional<Error> error;
  if (!sent) error = failure(nullptr, what);
  // Each statement's result, then a null; after the last, the sync point. On a lost connection
  // libpq answers with errors and nulls, so the loop ends there too.
  for (size_t i = 0; sent && i < statements.size(); ++i) {
    PGresult* result = PQgetResult(connection_);
    if (!result) {
      if (!error) error = failure(nullptr, what);
      break;
    }
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      results.emplace_back(result);
    } else if (status == PGRES_PIPELINE_ABORTED) {
      PQclear(result);  // skipped after the failure already recorded
    } else if (!error) {
      error = failure(result, what);
    } else {
      PQclear(result);
    }
    while ((result = PQgetResult(connection_)) != nullptr) PQclear(result);  // the null after each
  }
  if (sent && PQstatus(connection_) == CONNECTION_OK) {
    PGresult* sync = PQgetResult(connection_);  // PGRES_PIPELINE_SYNC
    PQclear(sync);
  }
  if (PQexitPipelineMode(connection_) != 1 && !error) error = failure(nullptr, what);
  if (error) return std::move(*error);
  last_sqlstate_.clear();
  return results;
}

Result<void> PgConnection::exec_script(const char* sql, const char* what) {
  PGresult* result = PQexec(connection_, sql);
  const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return failure(result, what);
  PQclear(result);
  last_sqlstate_.clear();
  return ok_result();
}

}  // namespace iota_streams::transports
