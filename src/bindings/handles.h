// What the C API's handles hold, shared by its source files (not installed).
#pragma once

#include <memory>
#include <string>

#include "iota_streams/channels.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/channels/transport.h"

struct Transport {
  std::unique_ptr<iota_streams::channels::Transport> impl;
};
struct Author {
  iota_streams::channels::Author user;
};
struct Subscriber {
  iota_streams::channels::Subscriber user;
};

// Records `reason` as the thread's last error and returns `code`.
err_t streams_c_fail(err_t code, std::string reason);
