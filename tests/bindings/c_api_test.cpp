// The C API: the flow's building blocks through C, every error path with its code and text, state
// export/import, and ownership (ASan in CI catches a leak or a double free).
#include "iota_streams/channels.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

struct Channel {
  transport_t* transport = transport_new();
  author_t* author = nullptr;
  subscriber_t* sub = nullptr;
  address_t* announcement = nullptr;
  message_links_t keyload{};

  Channel() {
    EXPECT_EQ(auth_new(&author, "C TEST AUTHOR", STREAMS_MULTI_BRANCH, transport), ERR_OK);
    EXPECT_EQ(sub_new(&sub, "C TEST SUBSCRIBER", transport), ERR_OK);
    EXPECT_EQ(auth_send_announce(&announcement, author), ERR_OK);
    EXPECT_EQ(sub_receive_announce(sub, announcement), ERR_OK);
    address_t* subscription = nullptr;
    EXPECT_EQ(sub_send_subscribe(&subscription, sub, announcement), ERR_OK);
    EXPECT_EQ(auth_receive_subscribe(author, subscription), ERR_OK);
    drop_address(subscription);
    EXPECT_EQ(auth_send_keyload_for_everyone(&keyload, author, announcement), ERR_OK);
  }
  ~Channel() {
    drop_links(keyload);
    drop_address(announcement);
    sub_drop(sub);
    auth_drop(author);
    transport_drop(transport);
  }
};

std::string text(buffer_t buffer) { return std::string(reinterpret_cast<const char*>(buffer.ptr), buffer.size); }

TEST(CApi, MultiBranchFlowWithSequenceLinksAndFetch) {
  Channel c;
  ASSERT_NE(c.keyload.seq_link, nullptr) << "a multi-branch keyload has a sequence message";
  uint8_t flag = 0;
  ASSERT_EQ(sub_is_multi_branching(&flag, c.sub), ERR_OK);
  EXPECT_EQ(flag, 1);
  message_links_t packet{};
  const uint8_t masked[] = {'s', 'e', 'c', 'r', 'e', 't'};
  ASSERT_EQ(auth_send_signed_packet(&packet, c.author, c.keyload, nullptr, 0, masked, sizeof masked), ERR_OK);
  unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(sub_sync_state(&read, c.sub), ERR_OK);
  ASSERT_EQ(get_payloads_count(read), 2u);  // the keyload and the packet
  const unwrapped_message_t* last = get_indexed_message(read, 1);
  EXPECT_EQ(get_message_kind(last), MESSAGE_SIGNED_PACKET);
  EXPECT_EQ(text(get_payload(last).masked_payload), "secret");
  public_key_t publisher{}, author_key{};
  ASSERT_TRUE(get_message_publisher(&publisher, last));
  ASSERT_EQ(auth_get_public_key(&author_key, c.author), ERR_OK);
  EXPECT_EQ(std::memcmp(publisher.bytes, author_key.bytes, 32), 0);
  address_t* link = nullptr;
  ASSERT_EQ(get_message_link(&link, last), ERR_OK);
  EXPECT_TRUE(address_eq(link, packet.msg_link));
  drop_address(link);
  drop_unwrapped_messages(read);

  next_msg_ids_t* ids = nullptr;
  ASSERT_EQ(sub_gen_next_msg_ids(&ids, c.sub), ERR_OK);
  EXPECT_GE(get_next_msg_ids_count(ids), 1u);
  char identifier[STREAMS_PUBLIC_KEY_STR_SIZE];
  address_t* next = nullptr;
  ASSERT_EQ(get_next_msg_id(identifier, sizeof identifier, &next, ids, 0), ERR_OK);
  EXPECT_EQ(std::strlen(identifier), 64u);
  drop_address(next);
  EXPECT_EQ(get_next_msg_id(identifier, sizeof identifier, nullptr, ids, 99), ERR_BAD_ARGUMENT);
  drop_next_msg_ids(ids);
  drop_links(packet);
}

TEST(CApi, AddressesAndKeysAsText) {
  Channel c;
  char text_form[STREAMS_ADDRESS_STR_SIZE];
  ASSERT_EQ(get_address_str(text_form, sizeof text_form, c.announcement), ERR_OK);
  EXPECT_EQ(std::strlen(text_form), 105u);
  address_t* parsed = nullptr;
  ASSERT_EQ(address_from_string(&parsed, text_form), ERR_OK);
  EXPECT_TRUE(address_eq(parsed, c.announcement));
  drop_address(parsed);
  char channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  ASSERT_EQ(auth_channel_address(channel, sizeof channel, c.author), ERR_OK);
  EXPECT_EQ(std::string(text_form).substr(0, 80), channel);
  char index[STREAMS_INDEX_STR_SIZE];
  ASSERT_EQ(get_address_index_str(index, sizeof index, c.announcement), ERR_OK);
  EXPECT_EQ(std::strlen(index), 64u);

  public_key_t key{};
  char key_text[STREAMS_PUBLIC_KEY_STR_SIZE];
  ASSERT_EQ(sub_get_public_key(&key, c.sub), ERR_OK);
  ASSERT_EQ(public_key_to_string(key_text, sizeof key_text, &key), ERR_OK);
  public_key_t back{};
  ASSERT_EQ(public_key_from_string(&back, key_text), ERR_OK);
  EXPECT_EQ(std::memcmp(key.bytes, back.bytes, 32), 0);
}

TEST(CApi, ErrorsHaveACodeAndAReason) {
  Channel c;
  address_t* parsed = nullptr;
  EXPECT_EQ(address_from_string(&parsed, "not an address"), ERR_BAD_ARGUMENT);
  EXPECT_EQ(parsed, nullptr);
  EXPECT_NE(std::string(streams_last_error()).find("not an address"), std::string::npos) << streams_last_error();

  EXPECT_EQ(auth_send_announce(nullptr, c.author), ERR_NULL_ARGUMENT);
  EXPECT_NE(std::string(streams_last_error()).find("auth_send_announce"), std::string::npos) << streams_last_error();

  char tiny[10];
  EXPECT_EQ(get_address_str(tiny, sizeof tiny, c.announcement), ERR_BUFFER_TOO_SMALL);
  EXPECT_NE(std::string(streams_last_error()).find("10 bytes"), std::string::npos);

  author_t* bad = nullptr;
  EXPECT_EQ(auth_new(&bad, "seed", 7, c.transport), ERR_BAD_ARGUMENT);
  EXPECT_EQ(bad, nullptr);

  // A link nobody published: not found, and the subscriber is unchanged.
  address_t* nowhere = nullptr;
  ASSERT_EQ(address_from_string(&nowhere, (std::string(80, 'a') + ":" + std::string(24, 'b')).c_str()), ERR_OK);
  packet_payloads_t payloads{};
  EXPECT_NE(sub_receive_signed_packet(&payloads, c.sub, nowhere), ERR_OK);
  EXPECT_STRNE(streams_last_error(), "");
  drop_address(nowhere);

  psk_id_t psk{};
  EXPECT_EQ(pskid_from_str(&psk, "xyz"), ERR_BAD_ARGUMENT);
  uint8_t masked[1] = {1};
  message_links_t links{};
  EXPECT_EQ(auth_send_signed_packet(&links, c.author, message_links_t{nullptr, nullptr}, nullptr, 0, masked, 1),
            ERR_NULL_ARGUMENT);
  EXPECT_EQ(auth_send_signed_packet(&links, c.author, c.keyload, nullptr, 5, masked, 1), ERR_NULL_ARGUMENT);
}

TEST(CApi, StateExportImportAndWrongPassword) {
  Channel c;
  buffer_t state{};
  ASSERT_EQ(sub_export(&state, c.sub, "pw"), ERR_OK);
  ASSERT_GT(state.size, 0u);
  subscriber_t* copy = nullptr;
  EXPECT_EQ(sub_import(&copy, state, "wrong", c.transport), ERR_WRONG_PASSWORD);
  EXPECT_EQ(copy, nullptr);
  EXPECT_NE(std::string(streams_last_error()).find("password"), std::string::npos) << streams_last_error();
  ASSERT_EQ(sub_import(&copy, state, "pw", c.transport), ERR_OK);
  EXPECT_EQ(sub_is_registered(copy), 1);

  // The copy reads what the author publishes next.
  message_links_t packet{};
  const uint8_t masked[] = {'n', 'e', 'x', 't'};
  ASSERT_EQ(auth_send_tagged_packet(&packet, c.author, c.keyload, nullptr, 0, masked, sizeof masked), ERR_OK);
  unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(sub_sync_state(&read, copy), ERR_OK);
  ASSERT_GE(get_payloads_count(read), 1u);
  EXPECT_EQ(text(get_indexed_payload(read, get_payloads_count(read) - 1).masked_payload), "next");
  drop_unwrapped_messages(read);
  drop_links(packet);
  sub_drop(copy);
  drop_buffer(state);

  buffer_t author_state{};
  ASSERT_EQ(auth_export(&author_state, c.author, "pw"), ERR_OK);
  author_t* author_copy = nullptr;
  ASSERT_EQ(auth_import(&author_copy, author_state, "pw", c.transport), ERR_OK);
  public_key_t a{}, b{};
  ASSERT_EQ(auth_get_public_key(&a, c.author), ERR_OK);
  ASSERT_EQ(auth_get_public_key(&b, author_copy), ERR_OK);
  EXPECT_EQ(std::memcmp(a.bytes, b.bytes, 32), 0);
  auth_drop(author_copy);
  drop_buffer(author_state);
}

TEST(CApi, PsksAndSubscribersManagement) {
  Channel c;
  psk_id_t id{}, same{};
  ASSERT_EQ(auth_store_psk(&id, c.author, "c api psk"), ERR_OK);
  ASSERT_EQ(sub_store_psk(&same, c.sub, "c api psk"), ERR_OK);
  EXPECT_EQ(std::memcmp(id.bytes, same.bytes, 16), 0);
  char id_text[STREAMS_PSK_ID_STR_SIZE];
  ASSERT_EQ(pskid_as_str(id_text, sizeof id_text, &id), ERR_OK);
  psk_id_t parsed{};
  ASSERT_EQ(pskid_from_str(&parsed, id_text), ERR_OK);
  EXPECT_EQ(std::memcmp(id.bytes, parsed.bytes, 16), 0);
  EXPECT_EQ(auth_remove_psk(c.author, &id), ERR_OK);
  EXPECT_NE(auth_remove_psk(c.author, &id), ERR_OK) << "removing it twice fails";
  EXPECT_EQ(sub_remove_psk(c.sub, &same), ERR_OK);

  public_key_t key{};
  ASSERT_EQ(sub_get_public_key(&key, c.sub), ERR_OK);
  EXPECT_EQ(auth_remove_subscriber(c.author, &key), ERR_OK);
  EXPECT_EQ(auth_store_new_subscriber(c.author, &key), ERR_OK);
  user_state_t* state = nullptr;
  ASSERT_EQ(auth_fetch_state(&state, c.author), ERR_OK);
  EXPECT_GE(get_user_state_count(state), 1u);
  drop_user_state(state);
}

}  // namespace
