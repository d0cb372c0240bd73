// The explorer's page and its files, compiled into streams-node (explorer_assets.cmake writes the
// definition from src/apps/node/explorer/ at build time).
#pragma once

#include <span>
#include <string_view>

namespace iota_streams::node::explorer {

struct Asset {
  std::string_view name;  // file name under /explorer/
  std::string_view content_type;
  std::string_view body;
};

std::span<const Asset> assets();

}  // namespace iota_streams::node::explorer
