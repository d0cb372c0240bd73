#include "progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace iota_streams::apps {

bool Progress::wanted(bool json) { return !json && ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(bool enabled, std::string label) : enabled_(enabled), label_(std::move(label)) {
  if (!enabled_) return;
  draw(0);
  thread_ = std::thread([this] { run(); });
}

Progress::~Progress() {
  if (!enabled_) return;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::fputs("\r\033[K", stderr);  // erase the line: the terminal is left as it was
  std::fflush(stderr);
}

void Progress::run() {
  const auto start = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return done_; })) {
    draw(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

void Progress::draw(double seconds) {
  std::fprintf(stderr, "\r\033[K%s... %.1f s", label_.c_str(), seconds);
  std::fflush(stderr);
}

}  // namespace iota_streams::apps
