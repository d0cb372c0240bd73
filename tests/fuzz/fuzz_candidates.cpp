// Fuzz target: several messages at the address a user reads, as anyone can post on a node. Whatever
// they are, reading must not crash; a refused read leaves the state exactly as it was, with an
// error that says why; and when the real message is among them the read succeeds. For every read
// but a sequence's, the outcome is then exactly that of the real message alone, with no fork
// reported: nothing else there can carry the sender's signature or MAC. (A sequence is not
// authenticated: a forged one naming another real message of its sender may be read instead, and is
// reported as a fork.)
//
// Input: byte 0 picks a case (fuzz/flows.h); byte 1: bit 0 adds the real message, bit 1 a second
// copy of it; then up to 8 candidates, each a 2-byte little-endian length and its bytes (the last
// one takes what is left). Seeds go to the folder named by STREAMS_FUZZ_SEEDS.
#include <optional>

#include "flows.h"
#include "iota_streams/message/message.h"

using namespace iota_streams;
using namespace iota_streams::fuzz;

namespace {

constexpr size_t kMaxFuzzedCandidates = 8;

// Serves the candidates at the case's address, and the flow's messages everywhere else.
class Candidates : public channels::Transport {
 public:
  Candidates(channels::Transport& base, const Address& link, std::vector<MessageBytes> at)
      : base_(base), link_(link), at_(std::move(at)) {}
  Result<void> send_message(const Address& link, ByteSpan message) override {
    return base_.send_message(link, message);
  }
  Result<std::vector<MessageBytes>> recv_messages(const Address& link) override {
    if (link == link_) return at_;
    return base_.recv_messages(link);
  }

 private:
  channels::Transport& base_;
  Address link_;
  std::vector<MessageBytes> at_;
};

// Per case: whether its real message is a sequence, and the state after reading it alone.
struct Expected {
  bool sequence = false;
  std::optional<channels::UserState> after;
};

const std::vector<Expected>& expected() {
  static const std::vector<Expected> all = [] {
    std::vector<Expected> out;
    for (const auto& c : flows().cases()) {
      Expected e;
      MessageBytes copy = c.real;
      auto pre = message::Preparsed::parse(copy, c.link);
      e.sequence = pre.ok() && pre->content_type() == message::ContentType::kSequence;
      User alone = c.reader;
      alone.set_transport(flows().bucket());
      if (read_as(alone, c.read, c.link).ok()) e.after = alone.state();
      out.push_back(std::move(e));
    }
    return out;
  }();
  return all;
}

void write_candidate_seeds(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  const auto& cases = flows().cases();
  for (size_t i = 0; i < cases.size(); ++i) {
    // The real message beside 4 bytes of junk, and the real message as the only fuzzed candidate.
    for (int variant = 0; variant < 2; ++variant) {
      std::vector<uint8_t> seed = {static_cast<uint8_t>(i),
                                   static_cast<uint8_t>(variant == 0 ? 1 : 0)};
      const MessageBytes candidate =
          variant == 0 ? MessageBytes{0xde, 0xad, 0xbe, 0xef} : cases[i].real;
      seed.push_back(static_cast<uint8_t>(candidate.size()));
      seed.push_back(static_cast<uint8_t>(candidate.size() >> 8));
      seed.insert(seed.end(), candidate.begin(), candidate.end());
      std::ofstream out(
          folder / ("candidates-" + std::to_string(i) + "-" + std::to_string(variant)),
          std::ios::binary);
      out.write(reinterpret_cast<const char*>(seed.data()),
                static_cast<std::streamsize>(seed.size()));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* folder = std::getenv("STREAMS_FUZZ_SEEDS")) write_candidate_seeds(folder);
  if (flows().cases().size() > 256) fail("more cases than one selector byte can pick");
  (void)expected();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const auto& cases = flows().cases();
  const size_t which = data[0] % cases.size();
  const auto& c = cases[which];
  const bool with_real = (data[1] & 1) != 0;
  std::vector<MessageBytes> at;
  size_t offset = 2;
  while (offset < size && at.size() < kMaxFuzzedCandidates) {
    size_t length = size - offset;
    if (length >= 2) {
      length = std::min<size_t>(data[offset] | size_t{data[offset + 1]} << 8, size - offset - 2);
      offset += 2;
    }
    at.emplace_back(data + offset, data + offset + length);
    offset += length;
  }
  if (with_real) at.push_back(c.real);
  if ((data[1] & 2) != 0) at.insert(at.begin(), c.real);
  if (at.empty()) return 0;

  Candidates hostile(flows().bucket(), c.link, std::move(at));
  User trial = c.reader;
  trial.set_transport(hostile);
  const auto result = read_as(trial, c.read, c.link);
  if (!result.ok()) {
    if (result.error().message().empty()) fail("an error without a message");
    if (!(trial.state() == c.reader.state()))
      fail("a refused read changed the state: " + result.error().message());
    if (with_real)
      fail("the real message is there, yet the read failed: " + result.error().message());
    return 0;
  }
  const Expected& e = expected()[which];
  if (with_real && !e.sequence) {
    if (!e.after || !(trial.state() == *e.after))
      fail("junk beside the real message changed what was read");
    if (trial.last_read().forked) fail("a fork reported where only the sender's message is valid");
  }
  return 0;
}
