#include "cli_transport.h"

#include "iota_streams/transports/curl_http.h"
#include "iota_streams/transports/node.h"
#include "iota_streams/transports/store.h"

namespace iota_streams::apps {

Result<std::unique_ptr<channels::Transport>> make_cli_transport(const GlobalOptions& options) {
  if (!options.node.empty()) {
    transports::NodeOptions node_options;
    node_options.timeout_ms = options.timeout_ms;
    node_options.connect_timeout_ms = options.connect_timeout_ms;
    node_options.max_pow_score = options.max_pow_score;
    STREAMS_ASSIGN_OR_RETURN(
        auto node, transports::NodeTransport::connect(options.node, node_options,
                                                      transports::make_curl_http_client()));
    return std::unique_ptr<channels::Transport>(std::move(node));
  }
  STREAMS_ASSIGN_OR_RETURN(auto store, transports::StoreTransport::open(options.store));
  return std::unique_ptr<channels::Transport>(std::move(store));
}

}  // namespace iota_streams::apps
