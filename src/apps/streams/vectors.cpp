// `streams vectors parse FILE`: reads a file in the format of the official vector files and prints
// every stored message's address, type and header fields.
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.h"
#include "replay.h"
#include "vector_file.h"
#include "iota_streams/message/message.h"

namespace iota_streams::apps {
namespace {

int parse_file(const char* path) {
  const auto file = VectorFile::load(path);
  const auto addresses = file.addresses_by_index();
  int failures = 0;
  for (const auto& m : file.messages) {
    auto it = addresses.find(m.index);
    if (it == addresses.end()) {
      if (json_output()) {
        std::printf("%s\n",
                    nlohmann::json{{"index", m.index}, {"error", "no step gives its address"}}
                        .dump()
                        .c_str());
      } else {
        std::printf("index %s: no step gives its address\n", m.index.c_str());
      }
      ++failures;
      continue;
    }
    auto bytes = m.data;
    auto parsed = message::Preparsed::parse(bytes, it->second, message::Strictness::kLenient);
    if (!parsed.ok()) {
      if (json_output()) {
        std::printf("%s\n", nlohmann::json{{"address", it->second.to_string()},
                                           {"error", parsed.error().message()}}
                                .dump()
                                .c_str());
      } else {
        std::printf("%s: %s\n", it->second.to_string().c_str(), parsed.error().message().c_str());
      }
      ++failures;
      continue;
    }
    const auto& h = parsed->header();
    const auto strict = message::check_unauthenticated_fields(h);
    if (!strict.ok()) ++failures;
    if (json_output()) {
      std::printf(
          "%s\n",
          nlohmann::ordered_json{
              {"address", it->second.to_string()},
              {"type", std::string(message::content_type_name(h.content_type))},
              {"bytes", bytes.size()},
              {"seq", h.seq_num},
              {"sender", (h.sender.is_psk() ? "psk:" : "") + h.sender.to_hex()},
              {"prev",
               h.previous_link.empty()
                   ? nlohmann::json(nullptr)
                   : nlohmann::json(message::Address::from_bytes(h.previous_link)->msgid.to_hex())},
              {"error",
               strict.ok() ? nlohmann::json(nullptr) : nlohmann::json(strict.error().message())}}
              .dump()
              .c_str());
      continue;
    }
    std::printf("%s %-13s %4zu bytes seq %llu sender %s%s prev %s%s\n",
                it->second.to_string().c_str(),
                std::string(message::content_type_name(h.content_type)).c_str(), bytes.size(),
                static_cast<unsigned long long>(h.seq_num), h.sender.is_psk() ? "psk:" : "",
                h.sender.to_hex().c_str(),
                h.previous_link.empty()
                    ? "-"
                    : message::Address::from_bytes(h.previous_link)->msgid.to_hex().c_str(),
                strict.ok() ? "" : ("  [" + strict.error().message() + "]").c_str());
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

int check_file(const char* path) {
  const auto report = replay(VectorFile::load(path));
  if (json_output()) {
    for (const auto& c : report.checks)
      std::printf("%s\n", nlohmann::ordered_json{{"check", c.text}, {"ok", c.ok}}.dump().c_str());
    std::printf("%s\n",
                nlohmann::ordered_json{
                    {"file", path}, {"checks", report.checks.size()}, {"failed", report.failures()}}
                    .dump()
                    .c_str());
    return report.ok() ? 0 : 1;
  }
  for (const auto& c : report.checks)
    std::printf("%s %s\n", c.ok ? "ok  " : "FAIL", c.text.c_str());
  std::printf("%s: %zu checks, %zu failed\n", path, report.checks.size(), report.failures());
  return report.ok() ? 0 : 1;
}

int run_vectors(int argc, char** argv) {
  drop_json_flag(argc, argv);
  if (argc == 2 && std::strcmp(argv[0], "parse") == 0) return parse_file(argv[1]);
  if (argc == 2 && std::strcmp(argv[0], "check") == 0) return check_file(argv[1]);
  return usage_error_of("vectors");
}

}  // namespace iota_streams::apps
