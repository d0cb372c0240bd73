// What the C API's handles hold, shared by its source files (not installed).
#pragma once

#include <memory>
#include <new>
#include <string_view>
#include <utility>

#include "iota_streams/base/error.h"
#include "iota_streams/channels.h"
#include "iota_streams/channels/author.h"
#include "iota_streams/channels/subscriber.h"
#include "iota_streams/channels/transport.h"

struct streams_transport {
  std::unique_ptr<iota_streams::channels::Transport> impl;
};
struct streams_author {
  iota_streams::channels::Author user;
};
struct streams_subscriber {
  iota_streams::channels::Subscriber user;
};

// Every handle and buffer the C API hands out is allocated here, without throwing: nullptr when the
// allocation fails (the caller returns STREAMS_ERR_NO_MEMORY).
template <class T, class... Args>
std::unique_ptr<T> streams_c_make(Args&&... args) {
  return std::unique_ptr<T>(new (std::nothrow) T{std::forward<Args>(args)...});
}

// The C code of a library error kind: each kind its own code (kOk gives STREAMS_ERR_OK).
streams_err_t streams_c_code(iota_streams::Errc code);
// Records `reason` as the thread's last error (cut to the buffer) and returns `code`.
streams_err_t streams_c_fail(streams_err_t code, std::string_view reason);
// Records "<kind>: <message>" and returns the kind's code.
streams_err_t streams_c_fail(const iota_streams::Error& error);
// "<function>: out of memory", STREAMS_ERR_NO_MEMORY.
streams_err_t streams_c_no_memory(const char* function);
