// `streams demo`: the original proof-of-concept flow on the in-memory bucket, printed step by step
// as the PoC printed it, with the time each step took and the memory the flow used (heap in use and
// its peak; the peak stack, measured by running the flow on a stack painted with a pattern).
#include <pthread.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.h"
#include "flow.h"
#include "heap_meter.h"

namespace iota_streams::apps {
namespace {

class PrintingObserver : public FlowObserver {
 public:
  void begin(const char*) override {
    heap_meter::reset_peak();
    started_ = std::chrono::steady_clock::now();
  }
  void done(const char* step, const std::string& detail) override {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    total_ms_ += ms;
    ++steps_;
    peak_heap_ = std::max(peak_heap_, heap_meter::peak() - baseline_);
    if (json_output()) {
      std::printf("%s\n", nlohmann::ordered_json{{"step", step},
                                                 {"detail", detail},
                                                 {"ms", ms},
                                                 {"heap_in_use", heap_meter::in_use() - baseline_},
                                                 {"step_peak_heap", heap_meter::peak() - baseline_}}
                              .dump()
                              .c_str());
      return;
    }
    if (detail.empty()) {
      std::printf("%s\n", step);
    } else if (std::strcmp(step, "GENERATED SEED") == 0) {
      std::printf("%s %s\n", step, detail.c_str());
    } else {
      std::printf("%s: %s\n", step, detail.c_str());
    }
    std::printf("    [%.3f ms; heap in use %zu bytes, step peak %zu bytes]\n", ms,
                heap_meter::in_use() - baseline_, heap_meter::peak() - baseline_);
  }
  void failed(const char* step, const std::string& reason) override {
    if (json_output()) {
      std::printf("%s\n", nlohmann::json{{"failed", step}, {"reason", reason}}.dump().c_str());
      return;
    }
    std::printf("FAILED at %s: %s\n", step, reason.c_str());
  }

  void set_baseline() { baseline_ = heap_meter::in_use(); }
  int steps() const { return steps_; }
  double total_ms() const { return total_ms_; }
  size_t peak_heap() const { return peak_heap_; }

 private:
  std::chrono::steady_clock::time_point started_;
  size_t baseline_ = 0;
  size_t peak_heap_ = 0;
  double total_ms_ = 0;
  int steps_ = 0;
};

struct FlowRun {
  FlowOptions options;
  PrintingObserver observer;
  bool ok = false;
  const unsigned char* stack_start = nullptr;  // where the thread's own frames begin
};

void* run_on_thread(void* arg) {
  auto* run = static_cast<FlowRun*>(arg);
  run->stack_start = static_cast<const unsigned char*>(
      __builtin_frame_address(0));  // the real frame, even under ASan
  run->observer.set_baseline();
  run->ok = run_original_flow(run->options, run->observer);
  return nullptr;
}

constexpr size_t kStackSize = 1 << 20;
constexpr unsigned char kPaint = 0xA5;

// Runs the flow on a thread whose stack we own and painted, then finds how deep it went.
bool run_measuring_stack(FlowRun& run, size_t& peak_stack) {
  std::vector<unsigned char> stack(kStackSize, kPaint);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, stack.data(), stack.size());
  pthread_t thread;
  if (pthread_create(&thread, &attr, run_on_thread, &run) != 0) return false;
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  // The stack grows down from the end of the buffer. glibc keeps the thread's descriptor and static
  // TLS (the library's thread_local PoW scratch among it) at that end, so depth counts from the
  // thread's first frame, not from the end of the buffer.
  size_t untouched = 0;
  while (untouched < stack.size() && stack[untouched] == kPaint) ++untouched;
  peak_stack = static_cast<size_t>(run.stack_start - (stack.data() + untouched));
  return true;
}

}  // namespace

int run_demo(int argc, char** argv) {
  FlowRun run;
  drop_json_flag(argc, argv);
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--type" && i + 1 < argc) {
      auto type = channels::parse_channel_type(argv[++i]);
      if (!type) {
        std::fprintf(stderr,
                     "unknown channel type %s (single-branch, multi-branch, single-depth)\n",
                     argv[i]);
        return 2;
      }
      run.options.type = *type;
    } else if (arg == "--author-seed" && i + 1 < argc) {
      run.options.author_seed = argv[++i];
    } else if (arg == "--subscriber-seed" && i + 1 < argc) {
      run.options.subscriber_seed = argv[++i];
    } else {
      return usage_error_of("demo");
    }
  }
  const std::string type(channels::channel_type_name(run.options.type));
  if (!json_output())
    std::printf("STARTING STREAMS (C++, %s channel, in-memory bucket transport)\n", type.c_str());
  size_t peak_stack = 0;
  if (!run_measuring_stack(run, peak_stack)) {
    std::fprintf(stderr, "cannot start the flow thread\n");
    return 1;
  }
  if (json_output()) {
    std::printf("%s\n", nlohmann::ordered_json{{"completed", run.ok},
                                               {"type", type},
                                               {"steps", run.observer.steps()},
                                               {"ms", run.observer.total_ms()},
                                               {"peak_heap", run.observer.peak_heap()},
                                               {"peak_stack", peak_stack}}
                            .dump()
                            .c_str());
    return run.ok ? 0 : 1;
  }
  std::printf("%s: %d steps in %.1f ms; peak heap %zu bytes; peak stack %zu bytes\n",
              run.ok ? "FLOW COMPLETED" : "FLOW FAILED", run.observer.steps(),
              run.observer.total_ms(), run.observer.peak_heap(), peak_stack);
  return run.ok ? 0 : 1;
}

}  // namespace iota_streams::apps
