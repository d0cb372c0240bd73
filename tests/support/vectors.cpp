#include "support/vectors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace iota_streams::test {

nlohmann::json load_vectors(const std::string& relative_path) {
  const std::string path = std::string(STREAMS_VECTORS_DIR) + "/" + relative_path;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open vector file " << path;
    return nullptr;
  }
  return nlohmann::json::parse(in);
}

std::vector<std::string> official_vector_files() {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(STREAMS_VECTORS_DIR) + "/official")) {
    if (entry.path().extension() == ".json")
      files.push_back("official/" + entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<uint8_t> hex_bytes(const std::string& hex) {
  auto bytes = from_hex(hex);
  if (!bytes) {
    ADD_FAILURE() << "bad hex: " << hex;
    return {};
  }
  return std::vector<uint8_t>(bytes->begin(), bytes->end());
}

}  // namespace iota_streams::test
