// Reads a few fields out of a node's JSON answers without a JSON library (the node transport also
// runs on devices). The document is walked structurally — strings with escapes, nesting — and the
// first member with the given key, at any depth, is returned. Malformed JSON gives nullopt, never a
// crash.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace iota_streams::transports::json_scan {

std::optional<std::string> find_string(std::string_view json, std::string_view key);
std::optional<double> find_number(std::string_view json, std::string_view key);
std::optional<std::vector<std::string>> find_string_array(std::string_view json,
                                                          std::string_view key);

}  // namespace iota_streams::transports::json_scan
