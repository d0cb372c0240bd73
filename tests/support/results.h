// Test support: unwrapping results that a test cannot go on without, and payloads from text.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "iota_streams/base/error.h"

namespace iota_streams::test {

inline std::vector<uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

// The value of a step the rest of the test depends on; a failed step reports its error and aborts,
// since every later expectation would only repeat it.
template <class T>
T must(Result<T> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.error().message();
    std::abort();
  }
  return std::move(r).value();
}

inline void must(Result<void> r) {
  if (!r.ok()) {
    ADD_FAILURE() << r.error().message();
    std::abort();
  }
}

}  // namespace iota_streams::test
