// The original proof-of-concept flow (an Author and a Subscriber over the in-memory bucket), completed
// with the rest of its TODO: tagged packet, subscriber publishing, unsubscribe. Shared by the host demo
// (`streams demo`), the C example and the Cortex-M4 firmware; each measures the steps its own way
// through the observer. No exceptions; output goes through the observer only.
#pragma once

#include <string>

#include "iota_streams/channels/types.h"

namespace iota_streams::apps {

class FlowObserver {
 public:
  virtual ~FlowObserver() = default;
  // Called when a step starts and when it has succeeded, with the PoC-style text of its result.
  virtual void begin(const char* step) = 0;
  virtual void done(const char* step, const std::string& detail) = 0;
  // Called once, for the step that failed, with the reason; the flow stops there.
  virtual void failed(const char* step, const std::string& reason) = 0;
};

struct FlowOptions {
  channels::ChannelType type = channels::ChannelType::kSingleBranch;  // the PoC's TODO: SingleBranching
  std::string author_seed;      // empty: 32 random bytes, hex (as the PoC generated its seeds)
  std::string subscriber_seed;  // empty: likewise
};

// Runs every step; true iff all succeeded and every payload read back is the one sent.
bool run_original_flow(const FlowOptions& options, FlowObserver& observer);

}  // namespace iota_streams::apps
