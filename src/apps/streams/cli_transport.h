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
};

Result<std::unique_ptr<channels::Transport>> make_cli_transport(const GlobalOptions& options);

}  // namespace iota_streams::apps
