// Test support: value-parameterized suites run once per channel type, named after it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "iota_streams/channels/types.h"

namespace iota_streams::test {

// Every channel type, for INSTANTIATE_TEST_SUITE_P.
inline auto all_channel_types() {
  using channels::ChannelType;
  return ::testing::Values(ChannelType::kSingleBranch, ChannelType::kMultiBranch,
                           ChannelType::kSingleDepth);
}

// A test name from a channel type ("single-branch" -> "singlebranch": test names take no '-').
inline std::string channel_type_test_name(
    const ::testing::TestParamInfo<channels::ChannelType>& info) {
  std::string name(channels::channel_type_name(info.param));
  name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
  return name;
}

}  // namespace iota_streams::test
