// Test support: loading the known-answer files under tests/vectors and hex helpers.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "iota_streams/base/text.h"

namespace iota_streams::test {

// Parses tests/vectors/<relative_path>; fails the test (and returns null) when unreadable.
nlohmann::json load_vectors(const std::string& relative_path);

// Every official scenario file (tests/vectors/official/*.json), sorted by name.
std::vector<std::string> official_vector_files();

std::vector<uint8_t> hex_bytes(const std::string& hex);

template <size_t N>
Bytes<N> hex_array(const std::string& hex) {
  Bytes<N> out{};
  if (!from_hex(hex, out))
    ADD_FAILURE_AT(__FILE__, __LINE__) << "bad hex of " << N << " bytes: " << hex;
  return out;
}

}  // namespace iota_streams::test
