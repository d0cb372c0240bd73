// Where the CLI's channel commands send and read messages: a Chrysalis node (--node URL) or, by
// default, a local store file (--store FILE).
#pragma once

#include <memory>
#include <string>

#include "iota_streams/base/error.h"
#include "iota_streams/channels/transport.h"

namespace iota_streams::apps {

struct GlobalOptions {
  std::string state = "streams.state";
  std::string password;
  std::string store = "streams.db";
  std::string node;  // empty: use the store
  // The node transport's bounds (streams --timeout, --connect-timeout, --max-pow-score).
  uint32_t timeout_ms = 30000;
  uint32_t connect_timeout_ms = 10000;
  double max_pow_score = 4000;
  // How long a command waits for another command that holds the state file (--lock-wait).
  uint32_t lock_wait_ms = 30000;
};

Result<std::unique_ptr<channels::Transport>> make_cli_transport(const GlobalOptions& options);

}  // namespace iota_streams::apps
