// PSK and PSK ids from seeds and strings, against the 1.2.0 source's answers and the official
// files.
#include <gtest/gtest.h>

#include "iota_streams/crypto/psk.h"
#include "support/vectors.h"

namespace iota_streams::crypto {
namespace {

TEST(Psk, FromSeedMatchesOfficialSource) {
  const auto vectors = test::load_vectors("streams-core.json")["psk"];
  ASSERT_EQ(vectors.size(), 3u);
  for (const auto& v : vectors) {
    const std::string seed = v["seed"];
    const Psk psk = psk_from_seed(as_bytes(seed));
    EXPECT_EQ(to_hex(psk.view()), v["psk"].get<std::string>()) << seed;
    EXPECT_EQ(to_hex(pskid_from_psk(psk).bytes), v["pskid"].get<std::string>()) << seed;
    EXPECT_EQ(pskid_from_seed(as_bytes(seed)), pskid_from_psk(psk));
  }
}

TEST(Psk, IdFromStringMatchesOfficialSource) {
  const auto vectors = test::load_vectors("streams-core.json")["pskid_from_str"];
  ASSERT_EQ(vectors.size(), 3u);  // shorter than 16 (padded), exactly 16 and longer (hashed)
  for (const auto& v : vectors) {
    EXPECT_EQ(to_hex(pskid_from_str(v["id"].get<std::string>()).bytes),
              v["pskid"].get<std::string>());
  }
}

TEST(Psk, EveryPskIdInTheOfficialFiles) {
  for (const auto& file : test::official_vector_files()) {
    const auto scenario = test::load_vectors(file);
    for (const auto& step : scenario["steps"]) {
      if (step["cmd"] != "store-psk") continue;
      const std::string seed = step["args"];
      EXPECT_EQ(to_hex(pskid_from_seed(as_bytes(seed)).bytes), step["result"].get<std::string>())
          << file;
    }
  }
}

}  // namespace
}  // namespace iota_streams::crypto
