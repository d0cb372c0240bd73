// Fuzz target: a user reads an arbitrary message where a real one of a flow stands. Whatever the
// bytes, reading must not crash, and a refused message must leave the user's state exactly as it
// was, with an error that says why.
//
// Input: the first byte picks a case (a user just before it reads one message of a flow, in one of
// the three channel types); the rest is the message. The real messages of the flow are written as
// seeds to the folder named by STREAMS_FUZZ_SEEDS.
#include "flows.h"
#include "support/override_transport.h"

using namespace iota_streams;
using namespace iota_streams::fuzz;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* folder = std::getenv("STREAMS_FUZZ_SEEDS")) write_seeds(folder);
  if (flows().cases().size() > 256) fail("more cases than one selector byte can pick");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& cases = flows().cases();
  const Case& c = cases[data[0] % cases.size()];
  test::OverrideTransport fuzzed(flows().bucket(), c.link, MessageBytes(data + 1, data + size));
  User trial = c.reader;
  trial.set_transport(fuzzed);
  const auto result = read_as(trial, c.read, c.link);
  if (!result.ok()) {
    if (result.error().message().empty()) fail("an error without a message");
    if (!(trial.state() == c.reader.state()))
      fail("a refused message changed the state: " + result.error().message());
  }
  return 0;
}
