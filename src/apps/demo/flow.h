// The original proof-of-concept flow (an Author and a Subscriber over the in-memory bucket),
// completed with the rest of its TODO: tagged packet, subscriber publishing, unsubscribe. Shared by
// the host demo
// (`streams demo`), the C example and the Cortex-M4 firmware; each measures the steps its own way
// through the observer. No exceptions; output goes through the observer only.
#pragma once

#include <memory>
#include <string>

#include "iota_streams/channels/types.h"

namespace iota_streams::channels {
class Author;
class Subscriber;
class Transport;
}  // namespace iota_streams::channels

namespace iota_streams::apps {

class FlowObserver {
 public:
  virtual ~FlowObserver() = default;
  // Called when a step starts and when it has succeeded, with the PoC-style text of its result.
  virtual void begin(const char* step) = 0;
  virtual void done(const char* step, const std::string& detail) = 0;
  // Called once, for the step that failed, with the reason; the flow stops there.
  virtual void failed(const char* step, const std::string& reason) = 0;
  // Called after each step that succeeded, once the users exist. A device keeps their state here,
  // and may "reboot": replace a user with one restored from what it saved, and the flow goes on
  // with it. Returning false stops the flow (after reporting the reason through failed()).
  virtual bool checkpoint(const char* /*step*/, std::unique_ptr<channels::Author>& /*author*/,
                          std::unique_ptr<channels::Subscriber>& /*subscriber*/,
                          channels::Transport& /*transport*/) {
    return true;
  }
};

struct FlowOptions {
  channels::ChannelType type =
      channels::ChannelType::kSingleBranch;  // the PoC's TODO: SingleBranching
  std::string author_seed;      // empty: 32 random bytes, hex (as the PoC generated its seeds)
  std::string subscriber_seed;  // empty: likewise
};

// Runs every step; true iff all succeeded and every payload read back is the one sent.
bool run_original_flow(const FlowOptions& options, FlowObserver& observer);

}  // namespace iota_streams::apps
