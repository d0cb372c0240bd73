// Replays a file in the official vector format against this library: users from the file's seeds,
// each step done by our users, every address compared, deterministic messages compared byte for
// byte, the official messages read by our users, and what they fetched compared with the file.
#pragma once

#include <string>
#include <vector>

#include "vector_file.h"

namespace iota_streams::apps {

struct ReplayCheck {
  bool ok = true;
  std::string text;
};

struct ReplayReport {
  std::vector<ReplayCheck> checks;
  bool ok() const;
  size_t failures() const;
};

ReplayReport replay(const VectorFile& file);

}  // namespace iota_streams::apps
