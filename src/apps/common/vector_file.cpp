#include "vector_file.h"

#include <cctype>
#include <fstream>
#include <stdexcept>

namespace iota_streams::apps {
namespace {

std::vector<uint8_t> hex_field(const nlohmann::json& object, const char* key) {
  auto bytes = from_hex(object.at(key).get<std::string>());
  if (!bytes) throw std::runtime_error(std::string("field '") + key + "' is not hex");
  return std::vector<uint8_t>(bytes->begin(), bytes->end());
}

bool all_hex(std::string_view text) {
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

VectorFile VectorFile::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  const auto json = nlohmann::json::parse(in);
  VectorFile file;
  file.scenario = json.value("scenario", "");
  for (const auto& s : json.at("steps")) {
    file.steps.push_back({s.at("who"), s.at("cmd"), s.value("args", ""), s.value("result", "")});
  }
  for (const auto& m : json.at("messages")) {
    file.messages.push_back({m.value("messageId", ""), m.at("index"), hex_field(m, "data"),
                             m.contains("raw") ? hex_field(m, "raw") : std::vector<uint8_t>{}});
  }
  file.fetched = json.value("fetched", nlohmann::json());
  return file;
}

std::map<std::string, message::Address> VectorFile::addresses_by_index() const {
  std::map<std::string, message::Address> out;
  for (const auto& step : steps) {
    for (const std::string* text : {&step.args, &step.result}) {
      for (const auto& address : find_addresses(*text)) out[to_hex(address.index())] = address;
    }
  }
  return out;
}

std::vector<message::Address> find_addresses(std::string_view text) {
  constexpr size_t kChannelHex = 2 * message::kChannelAddressSize,
                   kMsgIdHex = 2 * message::kMsgIdSize;
  std::vector<message::Address> out;
  for (size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    if (colon < kChannelHex || text.size() - colon - 1 < kMsgIdHex) continue;
    const auto candidate = text.substr(colon - kChannelHex, kChannelHex + 1 + kMsgIdHex);
    if (!all_hex(candidate.substr(0, kChannelHex)) || !all_hex(candidate.substr(kChannelHex + 1)))
      continue;
    auto address = message::Address::parse(candidate);
    if (address.ok()) out.push_back(*address);
  }
  return out;
}

std::vector<std::string> split_args(const std::string& args) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t space = args.find(' ', start);
    out.push_back(
        args.substr(start, space == std::string::npos ? std::string::npos : space - start));
    if (space == std::string::npos) break;
    start = space + 1;
  }
  return out;
}

}  // namespace iota_streams::apps
