// The explorer: a read-only view of a node and its channels, in a browser (/explorer) and as JSON
// (/api/explorer/...). Everything here reads what any reader of the node can read; it holds no key,
// decrypts nothing secret and only ever decodes what a channel makes public (headers, announces,
// sequence messages, and keyload recipient lists masked under a public state).
//
// Separated from the HTTP server: a route is one call from (path, query) to a Reply, whatever
// server carries it. Every request's cost is bounded (caps below), whatever the node holds: a
// channel of 100 k messages is walked page by page with a cursor, and a flood at one index yields
// at most a page of candidates.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "iota_streams/transports/storage.h"
#include "node_api.h"

namespace iota_streams::node::explorer {

// The caps on one request (each can be lowered, never raised, by a query parameter).
struct Limits {
  size_t recent_page = 100;  // messages per /recent page
  size_t index_page = 50;    // candidates per /index or /address page
  size_t index_window =
      1000;                  // candidates reachable at one index by paging (as Chrysalis nodes cap)
  size_t graph_nodes = 500;  // nodes per /channel page
  size_t graph_lookups = 2000;  // index lookups per /channel page (each probe of an address is one)
  size_t candidates_per_address = 8;  // messages read at one address while walking a channel
  size_t cursor_probes = 64;          // pending probes a /channel cursor carries to the next page
  size_t cursor_ids = 32;             // publishers a /channel cursor carries
};

// What a route needs from the request: its path and a lookup of its query parameters.
struct Request {
  std::string_view path;
  std::function<std::optional<std::string>(std::string_view)> param;
};

// Serves /explorer (the page and its files, compiled into the binary) and /api/explorer/... (JSON).
// Answers 404 with a reason for any other path under them.
class Explorer {
 public:
  explicit Explorer(transports::MessageStorage& storage, Limits limits = {})
      : storage_(storage), limits_(limits) {}

  // /explorer, /explorer/, /explorer/<file>
  Reply page(std::string_view path) const;
  // /api/explorer/<route>: recent, stats, message/<id>, index/<hex>, address/<channel:msgid>,
  // channel/<channel>, and lookup/<text> (any of the last four, told apart by their form; a
  // 64-digit text is a message id when the node holds one, else an index).
  Reply api(const Request& request);

 private:
  Reply recent(const Request& request);
  Reply stats();
  Reply message(std::string_view id_hex);
  Reply index(std::string_view index_hex, const Request& request);
  Reply address(std::string_view text, const Request& request);
  Reply channel(std::string_view channel_hex, const Request& request);
  Reply lookup(std::string_view text, const Request& request);

  transports::MessageStorage& storage_;
  Limits limits_;
};

}  // namespace iota_streams::node::explorer
