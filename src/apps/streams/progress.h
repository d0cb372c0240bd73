// A progress line on stderr for long work (proof of work, fetches): drawn only when stderr is a
// terminal and the output is not JSON, refreshed with the elapsed time from a thread of its own,
// and erased when the work is over, so that the terminal is left as it was and nothing reaches a
// pipe or a log.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace iota_streams::apps {

class Progress {
 public:
  // Whether progress lines may be drawn at all: stderr a terminal and `json` off.
  static bool wanted(bool json);

  // Draws `label` now (when `enabled`), then redraws it with the time elapsed until destroyed.
  Progress(bool enabled, std::string label);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

 private:
  void run();
  void draw(double seconds);

  bool enabled_;
  std::string label_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace iota_streams::apps
