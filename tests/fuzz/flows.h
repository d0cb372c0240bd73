// Shared by the fuzz targets that read messages: one flow per channel type, in which every message
// a user reads becomes a case (the user as it was just before, the address, how it reads), and the
// real messages written as seeds (first byte: the case).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "iota_streams/channels/user.h"
#include "iota_streams/crypto/psk.h"
#include "iota_streams/transports/bucket.h"

namespace iota_streams::fuzz {

using channels::Address;
using channels::ChannelType;
using channels::MessageBytes;
using channels::User;

[[noreturn]] inline void fail(const std::string& why) {
  std::fprintf(stderr, "fuzz: %s\n", why.c_str());
  std::abort();
}

template <class T>
T must(Result<T> r, const char* step) {
  if (!r.ok()) fail(std::string(step) + ": " + r.error().message());
  return std::move(r).value();
}
inline void must(Result<void> r, const char* step) {
  if (!r.ok()) fail(std::string(step) + ": " + r.error().message());
}

inline std::vector<uint8_t> text(std::string_view s) { return {s.begin(), s.end()}; }

enum class Read { kAnnouncement, kSubscribe, kUnsubscribe, kMessage };

struct Case {
  User reader;  // as it was just before reading
  Address link;
  Read read;
  MessageBytes real;
};

inline Result<void> read_as(User& user, Read read, const Address& link) {
  switch (read) {
    case Read::kAnnouncement:
      return user.receive_announcement(link);
    case Read::kSubscribe:
      return user.receive_subscribe(link);
    case Read::kUnsubscribe:
      return user.receive_unsubscribe(link);
    case Read::kMessage: {
      STREAMS_TRY(user.receive_msg(link));
      return {};
    }
  }
  return Error(Errc::kInternal, "unknown read");
}

// One flow per channel type; every message read in it becomes a case.
class Flows {
 public:
  Flows() {
    for (ChannelType type :
         {ChannelType::kSingleBranch, ChannelType::kMultiBranch, ChannelType::kSingleDepth}) {
      run(type);
    }
  }
  const std::vector<Case>& cases() const { return cases_; }
  channels::Transport& bucket() { return bucket_; }

 private:
  // Records the case, then reads the real message.
  void read(User& user, const Address& link, Read how) {
    cases_.push_back({user, link, how, must(bucket_.recv_message(link), "stored message")});
    must(read_as(user, how, link), "flow read");
  }
  void read_published(User& user, const channels::MessageLinks& links) {
    if (links.seq_link) {
      cases_.push_back({user, links.msg_link, Read::kMessage,
                        must(bucket_.recv_message(links.msg_link), "stored")});
      read(user, *links.seq_link, Read::kMessage);
    } else {
      read(user, links.msg_link, Read::kMessage);
    }
  }

  void run(ChannelType type) {
    const std::string tag = std::to_string(static_cast<int>(type));
    User author("FUZZ-AUTHOR-" + tag, type, bucket_);
    must(author.create_channel(0), "create channel");
    User reader("FUZZ-READER-" + tag, ChannelType::kSingleBranch, bucket_);
    User psk_reader("FUZZ-PSK-" + tag, ChannelType::kSingleBranch, bucket_);
    const Address announcement = must(author.send_announce(), "announce");
    read(reader, announcement, Read::kAnnouncement);
    must(psk_reader.receive_announcement(announcement), "announce (psk reader)");
    const Address subscription = must(reader.send_subscribe(announcement), "subscribe");
    read(author, subscription, Read::kSubscribe);
    const crypto::Psk psk = crypto::psk_from_seed(text("fuzz psk " + tag));
    const crypto::PskId psk_id = crypto::pskid_from_psk(psk);
    must(author.store_psk(psk_id, psk, false), "store psk");
    must(psk_reader.store_psk(psk_id, psk, true), "store psk (reader)");
    const auto keyload =
        must(author.send_keyload(announcement, {reader.get_public_key(), psk_id}), "keyload");
    read_published(reader, keyload);
    read_published(psk_reader, keyload);
    const auto packet =
        must(author.send_signed_packet(keyload.msg_link, text("public"), text("masked")), "signed");
    read_published(reader, packet);
    if (type != ChannelType::kSingleDepth) {
      const auto tagged =
          must(reader.send_tagged_packet(packet.msg_link, text("pub"), text("mask")), "tagged");
      read_published(author, tagged);
    }
    const Address unsubscription = must(reader.send_unsubscribe(subscription), "unsubscribe");
    read(author, unsubscription, Read::kUnsubscribe);
  }

  transports::BucketTransport bucket_;
  std::vector<Case> cases_;
};

inline Flows& flows() {
  static Flows instance;
  return instance;
}

inline void write_seeds(const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  const auto& cases = flows().cases();
  for (size_t i = 0; i < cases.size(); ++i) {
    std::ofstream out(folder / ("flow-" + std::to_string(i)), std::ios::binary);
    const char selector = static_cast<char>(i);
    out.write(&selector, 1);
    out.write(reinterpret_cast<const char*>(cases[i].real.data()),
              static_cast<std::streamsize>(cases[i].real.size()));
  }
}

}  // namespace iota_streams::fuzz
