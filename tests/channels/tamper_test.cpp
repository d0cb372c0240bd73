// Every single-byte flip of every message of a flow, in each channel type, given to the user who
// receives it: the receive fails with an error and the user's state is exactly as before. The only
// flips a reader accepts are in bytes the protocol gives it no way to check, and there the outcome
// is exactly that of the untouched message (listed with the reason):
//  - in a keyload, the key wrapped for another recipient (never absorbed by this reader);
//  - in a keyload this reader cannot open, its content (it holds no key to check it with; it reads
//    only what the message's own address implies);
//  - in a keyload this reader can open, the recipient list before its key: a flip there can hide
//    the reader's own entry, and the reader then reads the keyload as one that left it out (the
//    list is authenticated only by the key it leads to).
// Unauthenticated header fields (sequence number, lengths, frame numbers) are checked against what
// the address and link imply, so their flips are rejected too.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "iota_streams/channels/user.h"
#include "iota_streams/transports/bucket.h"
#include "support/channel_types.h"
#include "support/override_transport.h"
#include "support/results.h"

namespace iota_streams::channels {
namespace {

using test::must;
using test::OverrideTransport;
using test::text;
using transports::BucketTransport;

// Receives one message; the value says whether the reader could open it (false only for a keyload
// that holds no key for this reader).
using Receive = std::function<Result<bool>(User&)>;

// Why a flip at an offset is harmless, and what outcome it must then give.
struct Verdict {
  std::string reason;  // empty: the flip must be rejected
  bool as_if_left_out =
      false;  // the reader takes the keyload as not addressed to it (else: as untouched)
};
using Harmless = std::function<Verdict(size_t offset)>;

Harmless nothing_harmless() {
  return [](size_t) { return Verdict{}; };
}

struct Tally {
  size_t messages = 0, flips = 0, harmless = 0;
  std::map<std::string, size_t> reasons;
};

Tally g_tally;

// Flips every byte of the message at `link` (three masks), each time on a fresh copy of `receiver`.
void expect_every_flip_rejected(const User& receiver, BucketTransport& bucket, const Address& link,
                                const Receive& receive, const Harmless& harmless,
                                const std::string& what) {
  const MessageBytes bytes = must(bucket.recv_message(link));
  User legit = receiver;
  legit.set_transport(bucket);
  const auto legit_result = receive(legit);
  ASSERT_TRUE(legit_result.ok()) << what << ": the untouched message must be read";
  const UserState after_legit = legit.state();
  std::optional<UserState> as_left_out;  // every "not addressed" flip must end in this one state
  ++g_tally.messages;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      MessageBytes flipped = bytes;
      flipped[i] ^= mask;
      OverrideTransport tampered(bucket, link, flipped);
      User trial = receiver;
      trial.set_transport(tampered);
      const auto result = receive(trial);
      ++g_tally.flips;
      if (!result.ok()) {
        ASSERT_TRUE(trial.state() == receiver.state())
            << what << ": byte " << i << " rejected but the state changed";
        ASSERT_FALSE(result.error().message().empty());
        continue;
      }
      const Verdict verdict = harmless(i);
      ASSERT_FALSE(verdict.reason.empty())
          << what << ": flip of byte " << i << " (mask " << int(mask) << ") was accepted";
      if (verdict.as_if_left_out) {
        ASSERT_FALSE(result.value())
            << what << ": byte " << i << " flipped, yet the reader opened the keyload";
        ASSERT_FALSE(trial.state() == after_legit);
        if (!as_left_out) as_left_out = trial.state();
        ASSERT_TRUE(trial.state() == *as_left_out)
            << what << ": byte " << i << " gave another outcome";
      } else {
        ASSERT_EQ(result.value(), legit_result.value());
        ASSERT_TRUE(trial.state() == after_legit)
            << what << ": harmless flip of byte " << i << " changed the outcome";
      }
      ++g_tally.harmless;
      ++g_tally.reasons[what + ": " + verdict.reason];
    }
  }
}

template <class Call>
Receive opened(Call call) {
  return [call](User& u) -> Result<bool> {
    STREAMS_TRY(call(u));
    return true;
  };
}
Receive receive_announcement(Address a) {
  return opened([a](User& u) { return u.receive_announcement(a); });
}
Receive receive_subscribe(Address a) {
  return opened([a](User& u) { return u.receive_subscribe(a); });
}
Receive receive_unsubscribe(Address a) {
  return opened([a](User& u) { return u.receive_unsubscribe(a); });
}
Receive receive_keyload(Address a) {
  return [a](User& u) { return u.receive_keyload(a); };
}
Receive receive_signed(Address a) {
  return opened([a](User& u) { return u.receive_signed_packet(a); });
}
Receive receive_tagged(Address a) {
  return opened([a](User& u) { return u.receive_tagged_packet(a); });
}
Receive receive_sequence(Address a) {
  return opened([a](User& u) { return u.receive_sequence(a); });
}

constexpr size_t kMsgId = 12, kNonce = 16;

// Where a keyload's content begins: its first field is the id of the message it joins (the header's
// link field may hold the same id earlier, so take the last occurrence).
size_t keyload_content_offset(const MessageBytes& keyload, const Address& joined) {
  const auto& id = joined.msgid.bytes;
  const auto it = std::find_end(keyload.begin(), keyload.end(), id.begin(), id.end());
  EXPECT_NE(it, keyload.end()) << "the keyload does not carry the id of the message it joins";
  return static_cast<size_t>(it - keyload.begin());
}

// Keyload layout after the joined id: nonce, count (1 + 1 byte for fewer than 256 recipients), then
// per recipient its identifier (1 + 32 | 1 + 16, masked) and its wrapped key (64 | 32).
Harmless keyload_for(size_t content, const std::vector<Identifier>& recipients,
                     const std::optional<Identifier>& reader) {
  struct Range {
    size_t begin, end;
  };
  std::vector<Range> others;
  Range own{0, 0};
  const size_t list_begin = content + kMsgId + kNonce;
  size_t at = list_begin + 2;
  for (const auto& id : recipients) {
    const size_t id_begin = at;
    at += 1 + id.bytes().size();
    const size_t blob = id.is_psk() ? 32 : 64;
    if (!reader || !(id == *reader)) {
      others.push_back({at, at + blob});
    } else {
      own = {id_begin, at};
    }
    at += blob;
  }
  const Range list{list_begin, at};
  const bool opens = reader.has_value();
  return [content, others, own, list, opens](size_t offset) -> Verdict {
    if (!opens && offset >= content + kMsgId)
      return {"content of a keyload this reader cannot open", false};
    for (const auto& r : others) {
      if (offset >= r.begin && offset < r.end) return {"key wrapped for another recipient", false};
    }
    if (offset >= own.begin && offset < own.end) {
      // The list is authenticated only by the key it leads to: a reader that no longer finds its
      // own identifier holds no key to check anything with, and reads the keyload as a left-out
      // reader does.
      return {
          "own identifier in the recipient list (unauthenticated without the key): read as left "
          "out",
          true};
    }
    if (offset >= list.begin && offset < list.end) {
      // The same for the rest of the list (its count, another recipient's identifier): a flip
      // there is mostly refused, but it can also make the reader parse the list so that its own
      // entry is not in it, with the bytes consumed exactly (a recipient's kind flipped, which
      // changes its length: seen about once in 20 runs, the keystream being random). The reader
      // then has no key to check anything with, as above.
      return {"the recipient list before this reader's key: read as left out", true};
    }
    return {};
  };
}

class Tamper : public ::testing::TestWithParam<ChannelType> {
 protected:
  static User author_of(ChannelType type, Transport& t) {
    User u("TAMPER-AUTHOR", type, t);
    must(u.create_channel(0));
    return u;
  }
};

TEST_P(Tamper, EveryFlipOfEveryMessageIsRejectedWithoutStateChange) {
  const ChannelType type = GetParam();
  const bool multi = type == ChannelType::kMultiBranch;
  BucketTransport bucket;
  User author = author_of(type, bucket);
  User a("TAMPER-A", ChannelType::kSingleBranch, bucket);
  User b("TAMPER-B", ChannelType::kSingleBranch, bucket);
  User psk_reader("TAMPER-PSK", ChannelType::kSingleBranch, bucket);

  const Address announce = must(author.send_announce());
  expect_every_flip_rejected(a, bucket, announce, receive_announcement(announce),
                             nothing_harmless(), "announce");
  for (User* u : {&a, &b, &psk_reader}) must(u->receive_announcement(announce));

  const Address sub_a = must(a.send_subscribe(announce));
  expect_every_flip_rejected(author, bucket, sub_a, receive_subscribe(sub_a), nothing_harmless(),
                             "subscribe");
  must(author.receive_subscribe(sub_a));
  must(author.receive_subscribe(must(b.send_subscribe(announce))));
  const crypto::Psk psk = crypto::psk_from_seed(as_bytes("tamper psk"));
  const crypto::PskId psk_id = crypto::pskid_from_psk(psk);
  must(author.store_psk(psk_id, psk, false));
  must(psk_reader.store_psk(psk_id, psk, true));

  // A keyload for A and the PSK; B is left out.
  const std::vector<Identifier> recipients{Identifier(a.get_public_key()), Identifier(psk_id)};
  const auto keyload = must(author.send_keyload(announce, recipients));
  const Address k = keyload.msg_link;
  const size_t content = keyload_content_offset(must(bucket.recv_message(k)), announce);
  if (multi) {
    expect_every_flip_rejected(a, bucket, *keyload.seq_link, receive_sequence(*keyload.seq_link),
                               nothing_harmless(), "sequence of keyload");
  }
  expect_every_flip_rejected(a, bucket, k, receive_keyload(k),
                             keyload_for(content, recipients, Identifier(a.get_public_key())),
                             "keyload, recipient A");
  expect_every_flip_rejected(psk_reader, bucket, k, receive_keyload(k),
                             keyload_for(content, recipients, Identifier(psk_id)),
                             "keyload, PSK recipient");
  expect_every_flip_rejected(b, bucket, k, receive_keyload(k),
                             keyload_for(content, recipients, std::nullopt), "keyload, left out B");
  for (User* u : {&a, &psk_reader}) EXPECT_TRUE(must(u->receive_keyload(k)));
  EXPECT_FALSE(must(b.receive_keyload(k)));

  const auto signed_packet = must(author.send_signed_packet(k, text("public"), text("masked")));
  expect_every_flip_rejected(a, bucket, signed_packet.msg_link,
                             receive_signed(signed_packet.msg_link), nothing_harmless(),
                             "signed packet");
  must(a.receive_signed_packet(signed_packet.msg_link));
  must(psk_reader.receive_signed_packet(signed_packet.msg_link));

  const Address tagged_link = type == ChannelType::kSingleDepth ? k : signed_packet.msg_link;
  const auto tagged = must(author.send_tagged_packet(tagged_link, text("public"), text("masked")));
  expect_every_flip_rejected(psk_reader, bucket, tagged.msg_link, receive_tagged(tagged.msg_link),
                             nothing_harmless(), "tagged packet");
  must(psk_reader.receive_tagged_packet(tagged.msg_link));
  must(a.receive_tagged_packet(tagged.msg_link));

  if (type != ChannelType::kSingleDepth) {
    // Subscribers publishing: a signed packet from A, a tagged packet under the PSK.
    const auto from_a =
        must(a.send_signed_packet(tagged.msg_link, text("from a"), text("a secret")));
    expect_every_flip_rejected(author, bucket, from_a.msg_link, receive_signed(from_a.msg_link),
                               nothing_harmless(), "signed packet from a subscriber");
    const auto from_psk =
        must(psk_reader.send_tagged_packet(tagged.msg_link, text("from psk"), text("psk secret")));
    if (multi) {
      expect_every_flip_rejected(author, bucket, *from_psk.seq_link,
                                 receive_sequence(*from_psk.seq_link), nothing_harmless(),
                                 "sequence of a PSK publisher");
    }
    expect_every_flip_rejected(author, bucket, from_psk.msg_link, receive_tagged(from_psk.msg_link),
                               nothing_harmless(), "tagged packet under a PSK");
  }

  const Address unsubscribe = must(a.send_unsubscribe(sub_a));
  expect_every_flip_rejected(author, bucket, unsubscribe, receive_unsubscribe(unsubscribe),
                             nothing_harmless(), "unsubscribe");
  must(author.receive_unsubscribe(unsubscribe));
}

INSTANTIATE_TEST_SUITE_P(AllTypes, Tamper, test::all_channel_types(), test::channel_type_test_name);

// A sequence carries no MAC: anyone can write one that names any message. What it names is checked
// before the sequence is taken, so one that names something other than a packet or keyload (here:
// itself, with the unauthenticated number and link rewritten) is refused with the reader unchanged.
class SequenceTargets : public ::testing::Test {
 protected:
  void SetUp() override {
    must(author_.create_channel(0));
    const Address announce = must(author_.send_announce());
    must(reader_.receive_announcement(announce));
    must(author_.receive_subscribe(must(reader_.send_subscribe(announce))));
    keyload_ = must(author_.send_keyload_for_everyone(announce));
    ASSERT_TRUE(keyload_.seq_link.has_value());
  }

  BucketTransport bucket_;
  User author_{"SEQUENCE-AUTHOR", ChannelType::kMultiBranch, bucket_};
  User reader_{"SEQUENCE-READER", ChannelType::kSingleBranch, bucket_};
  MessageLinks keyload_;
};

TEST_F(SequenceTargets, ASequenceNamingItselfIsRefusedWithoutStateChange) {
  // Sequence content ends: joined msgid (12), masked identifier (33), seq_num (8, big-endian),
  // ref_link (12).
  MessageBytes forged = must(bucket_.recv_message(*keyload_.seq_link));
  const size_t end = forged.size();
  for (size_t i = 0; i < 8; ++i)
    forged[end - 20 + i] = i == 7 ? uint8_t{kSequenceSeqNo} : uint8_t{0};
  std::copy_n(forged.begin() + static_cast<std::ptrdiff_t>(end - 65), 12,
              forged.begin() + static_cast<std::ptrdiff_t>(end - 12));
  OverrideTransport tampered(bucket_, *keyload_.seq_link, forged);
  User trial = reader_;
  trial.set_transport(tampered);
  const auto read = trial.receive_msg(*keyload_.seq_link);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message().find("announces a sequence"), std::string::npos)
      << read.error().message();
  EXPECT_TRUE(trial.state() == reader_.state());
}

TEST_F(SequenceTargets, ATamperedMessageBehindASequenceIsSteppedOverAsUnreadable) {
  MessageBytes keyload = must(bucket_.recv_message(keyload_.msg_link));
  keyload.back() ^= 0x01;  // the signature
  OverrideTransport tampered(bucket_, keyload_.msg_link, keyload);
  User trial = reader_;
  trial.set_transport(tampered);
  const auto read = must(trial.receive_msg(*keyload_.seq_link));
  EXPECT_EQ(read.kind, UnwrappedMessage::Kind::kUnreadable);
  EXPECT_FALSE(read.has_access);
  EXPECT_FALSE(trial.state() == reader_.state())
      << "the sequence itself was good: the reader moves past it";
  User honest = reader_;
  const auto good = must(honest.receive_msg(*keyload_.seq_link));
  EXPECT_EQ(good.kind, UnwrappedMessage::Kind::kKeyload);
  EXPECT_TRUE(good.has_access);
}

// Prints what was tried and which flips passed, and why (the test's report).
class TallyPrinter : public ::testing::Environment {
 public:
  void TearDown() override {
    std::printf("flip report: %zu messages, %zu flips, %zu accepted as harmless\n",
                g_tally.messages, g_tally.flips, g_tally.harmless);
    for (const auto& [reason, count] : g_tally.reasons)
      std::printf("  %4zu  %s\n", count, reason.c_str());
  }
};
const auto* const kPrinter = ::testing::AddGlobalTestEnvironment(new TallyPrinter);

}  // namespace
}  // namespace iota_streams::channels
