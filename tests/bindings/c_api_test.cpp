// The C API: the flow's building blocks through C, every error path with its code and text, state
// export/import, and ownership (ASan in CI catches a leak or a double free).
#include "iota_streams/channels.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

struct Channel {
  streams_transport_t* transport = streams_transport_new();
  streams_author_t* author = nullptr;
  streams_subscriber_t* sub = nullptr;
  streams_address_t* announcement = nullptr;
  streams_message_links_t keyload{};

  Channel() {
    EXPECT_EQ(streams_auth_new(&author, "C TEST AUTHOR", STREAMS_MULTI_BRANCH, transport),
              STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_new(&sub, "C TEST SUBSCRIBER", transport), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_send_announce(&announcement, author), STREAMS_ERR_OK);
    EXPECT_EQ(streams_sub_receive_announce(sub, announcement), STREAMS_ERR_OK);
    streams_address_t* subscription = nullptr;
    EXPECT_EQ(streams_sub_send_subscribe(&subscription, sub, announcement), STREAMS_ERR_OK);
    EXPECT_EQ(streams_auth_receive_subscribe(author, subscription), STREAMS_ERR_OK);
    streams_drop_address(subscription);
    EXPECT_EQ(streams_auth_send_keyload_for_everyone(&keyload, author, announcement),
              STREAMS_ERR_OK);
  }
  ~Channel() {
    streams_drop_links(keyload);
    streams_drop_address(announcement);
    streams_sub_drop(sub);
    streams_auth_drop(author);
    streams_transport_drop(transport);
  }
};

std::string text(streams_buffer_t buffer) {
  return std::string(reinterpret_cast<const char*>(buffer.ptr), buffer.size);
}

TEST(CApi, MultiBranchFlowWithSequenceLinksAndFetch) {
  Channel c;
  ASSERT_NE(c.keyload.seq_link, nullptr) << "a multi-branch keyload has a sequence message";
  uint8_t flag = 0;
  ASSERT_EQ(streams_sub_is_multi_branching(&flag, c.sub), STREAMS_ERR_OK);
  EXPECT_EQ(flag, 1);
  streams_message_links_t packet{};
  const uint8_t masked[] = {'s', 'e', 'c', 'r', 'e', 't'};
  ASSERT_EQ(streams_auth_send_signed_packet(&packet, c.author, c.keyload, nullptr, 0, masked,
                                            sizeof masked),
            STREAMS_ERR_OK);
  streams_unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(streams_sub_sync_state(&read, c.sub), STREAMS_ERR_OK);
  ASSERT_EQ(streams_get_payloads_count(read), 2u);  // the keyload and the packet
  const streams_unwrapped_message_t* last = streams_get_indexed_message(read, 1);
  EXPECT_EQ(streams_get_message_kind(last), STREAMS_MESSAGE_SIGNED_PACKET);
  EXPECT_EQ(text(streams_get_payload(last).masked_payload), "secret");
  streams_public_key_t publisher{}, author_key{};
  ASSERT_TRUE(streams_get_message_publisher(&publisher, last));
  ASSERT_EQ(streams_auth_get_public_key(&author_key, c.author), STREAMS_ERR_OK);
  EXPECT_EQ(std::memcmp(publisher.bytes, author_key.bytes, 32), 0);
  streams_address_t* link = nullptr;
  ASSERT_EQ(streams_get_message_link(&link, last), STREAMS_ERR_OK);
  EXPECT_TRUE(streams_address_eq(link, packet.msg_link));
  streams_drop_address(link);
  streams_drop_unwrapped_messages(read);

  streams_next_msg_ids_t* ids = nullptr;
  ASSERT_EQ(streams_sub_gen_next_msg_ids(&ids, c.sub), STREAMS_ERR_OK);
  EXPECT_GE(streams_get_next_msg_ids_count(ids), 1u);
  char identifier[STREAMS_PUBLIC_KEY_STR_SIZE];
  streams_address_t* next = nullptr;
  ASSERT_EQ(streams_get_next_msg_id(identifier, sizeof identifier, &next, ids, 0), STREAMS_ERR_OK);
  EXPECT_EQ(std::strlen(identifier), 64u);
  streams_drop_address(next);
  EXPECT_EQ(streams_get_next_msg_id(identifier, sizeof identifier, nullptr, ids, 99),
            STREAMS_ERR_BAD_ARGUMENT);
  streams_drop_next_msg_ids(ids);
  streams_drop_links(packet);
}

TEST(CApi, AddressesAndKeysAsText) {
  Channel c;
  char text_form[STREAMS_ADDRESS_STR_SIZE];
  ASSERT_EQ(streams_get_address_str(text_form, sizeof text_form, c.announcement), STREAMS_ERR_OK);
  EXPECT_EQ(std::strlen(text_form), 105u);
  streams_address_t* parsed = nullptr;
  ASSERT_EQ(streams_address_from_string(&parsed, text_form), STREAMS_ERR_OK);
  EXPECT_TRUE(streams_address_eq(parsed, c.announcement));
  streams_drop_address(parsed);
  char channel[STREAMS_CHANNEL_ADDRESS_STR_SIZE];
  ASSERT_EQ(streams_auth_channel_address(channel, sizeof channel, c.author), STREAMS_ERR_OK);
  EXPECT_EQ(std::string(text_form).substr(0, 80), channel);
  char index[STREAMS_INDEX_STR_SIZE];
  ASSERT_EQ(streams_get_address_index_str(index, sizeof index, c.announcement), STREAMS_ERR_OK);
  EXPECT_EQ(std::strlen(index), 64u);

  streams_public_key_t key{};
  char key_text[STREAMS_PUBLIC_KEY_STR_SIZE];
  ASSERT_EQ(streams_sub_get_public_key(&key, c.sub), STREAMS_ERR_OK);
  ASSERT_EQ(streams_public_key_to_string(key_text, sizeof key_text, &key), STREAMS_ERR_OK);
  streams_public_key_t back{};
  ASSERT_EQ(streams_public_key_from_string(&back, key_text), STREAMS_ERR_OK);
  EXPECT_EQ(std::memcmp(key.bytes, back.bytes, 32), 0);
}

TEST(CApi, ErrorsHaveACodeAndAReason) {
  Channel c;
  streams_address_t* parsed = nullptr;
  EXPECT_EQ(streams_address_from_string(&parsed, "not an address"), STREAMS_ERR_MALFORMED_ADDRESS);
  EXPECT_EQ(parsed, nullptr);
  EXPECT_NE(std::string(streams_last_error()).find("not an address"), std::string::npos)
      << streams_last_error();

  EXPECT_EQ(streams_auth_send_announce(nullptr, c.author), STREAMS_ERR_NULL_ARGUMENT);
  EXPECT_NE(std::string(streams_last_error()).find("streams_auth_send_announce"), std::string::npos)
      << streams_last_error();

  char tiny[10];
  EXPECT_EQ(streams_get_address_str(tiny, sizeof tiny, c.announcement),
            STREAMS_ERR_BUFFER_TOO_SMALL);
  EXPECT_NE(std::string(streams_last_error()).find("10 bytes"), std::string::npos);

  streams_author_t* bad = nullptr;
  EXPECT_EQ(streams_auth_new(&bad, "seed", 7, c.transport), STREAMS_ERR_BAD_ARGUMENT);
  EXPECT_EQ(bad, nullptr);

  // A link nobody published: not found, and the subscriber is unchanged.
  streams_address_t* nowhere = nullptr;
  ASSERT_EQ(streams_address_from_string(
                &nowhere, (std::string(80, 'a') + ":" + std::string(24, 'b')).c_str()),
            STREAMS_ERR_OK);
  streams_packet_payloads_t payloads{};
  EXPECT_NE(streams_sub_receive_signed_packet(&payloads, c.sub, nowhere), STREAMS_ERR_OK);
  EXPECT_STRNE(streams_last_error(), "");
  streams_drop_address(nowhere);

  streams_psk_id_t psk{};
  EXPECT_EQ(streams_pskid_from_str(&psk, "xyz"), STREAMS_ERR_BAD_HEX);
  uint8_t masked[1] = {1};
  streams_message_links_t links{};
  EXPECT_EQ(streams_auth_send_signed_packet(
                &links, c.author, streams_message_links_t{nullptr, nullptr}, nullptr, 0, masked, 1),
            STREAMS_ERR_NULL_ARGUMENT);
  EXPECT_EQ(streams_auth_send_signed_packet(&links, c.author, c.keyload, nullptr, 5, masked, 1),
            STREAMS_ERR_NULL_ARGUMENT);
}

TEST(CApi, StateExportImportAndWrongPassword) {
  Channel c;
  streams_buffer_t state{};
  ASSERT_EQ(streams_sub_export(&state, c.sub, "pw"), STREAMS_ERR_OK);
  ASSERT_GT(state.size, 0u);
  streams_subscriber_t* copy = nullptr;
  EXPECT_EQ(streams_sub_import(&copy, state, "wrong", c.transport), STREAMS_ERR_WRONG_PASSWORD);
  EXPECT_EQ(copy, nullptr);
  EXPECT_NE(std::string(streams_last_error()).find("password"), std::string::npos)
      << streams_last_error();
  ASSERT_EQ(streams_sub_import(&copy, state, "pw", c.transport), STREAMS_ERR_OK);
  EXPECT_EQ(streams_sub_is_registered(copy), 1);

  // The copy reads what the author publishes next.
  streams_message_links_t packet{};
  const uint8_t masked[] = {'n', 'e', 'x', 't'};
  ASSERT_EQ(streams_auth_send_tagged_packet(&packet, c.author, c.keyload, nullptr, 0, masked,
                                            sizeof masked),
            STREAMS_ERR_OK);
  streams_unwrapped_messages_t* read = nullptr;
  ASSERT_EQ(streams_sub_sync_state(&read, copy), STREAMS_ERR_OK);
  ASSERT_GE(streams_get_payloads_count(read), 1u);
  EXPECT_EQ(
      text(streams_get_indexed_payload(read, streams_get_payloads_count(read) - 1).masked_payload),
      "next");
  streams_drop_unwrapped_messages(read);
  streams_drop_links(packet);
  streams_sub_drop(copy);
  streams_drop_buffer(state);

  streams_buffer_t author_state{};
  ASSERT_EQ(streams_auth_export(&author_state, c.author, "pw"), STREAMS_ERR_OK);
  streams_author_t* author_copy = nullptr;
  ASSERT_EQ(streams_auth_import(&author_copy, author_state, "pw", c.transport), STREAMS_ERR_OK);
  streams_public_key_t a{}, b{};
  ASSERT_EQ(streams_auth_get_public_key(&a, c.author), STREAMS_ERR_OK);
  ASSERT_EQ(streams_auth_get_public_key(&b, author_copy), STREAMS_ERR_OK);
  EXPECT_EQ(std::memcmp(a.bytes, b.bytes, 32), 0);
  streams_auth_drop(author_copy);
  streams_drop_buffer(author_state);
}

TEST(CApi, PsksAndSubscribersManagement) {
  Channel c;
  streams_psk_id_t id{}, same{};
  ASSERT_EQ(streams_auth_store_psk(&id, c.author, "c api psk"), STREAMS_ERR_OK);
  ASSERT_EQ(streams_sub_store_psk(&same, c.sub, "c api psk"), STREAMS_ERR_OK);
  EXPECT_EQ(std::memcmp(id.bytes, same.bytes, 16), 0);
  char id_text[STREAMS_PSK_ID_STR_SIZE];
  ASSERT_EQ(streams_pskid_as_str(id_text, sizeof id_text, &id), STREAMS_ERR_OK);
  streams_psk_id_t parsed{};
  ASSERT_EQ(streams_pskid_from_str(&parsed, id_text), STREAMS_ERR_OK);
  EXPECT_EQ(std::memcmp(id.bytes, parsed.bytes, 16), 0);
  EXPECT_EQ(streams_auth_remove_psk(c.author, &id), STREAMS_ERR_OK);
  EXPECT_NE(streams_auth_remove_psk(c.author, &id), STREAMS_ERR_OK) << "removing it twice fails";
  EXPECT_EQ(streams_sub_remove_psk(c.sub, &same), STREAMS_ERR_OK);

  streams_public_key_t key{};
  ASSERT_EQ(streams_sub_get_public_key(&key, c.sub), STREAMS_ERR_OK);
  EXPECT_EQ(streams_auth_remove_subscriber(c.author, &key), STREAMS_ERR_OK);
  EXPECT_EQ(streams_auth_store_new_subscriber(c.author, &key), STREAMS_ERR_OK);
  streams_user_state_t* state = nullptr;
  ASSERT_EQ(streams_auth_fetch_state(&state, c.author), STREAMS_ERR_OK);
  EXPECT_GE(streams_get_user_state_count(state), 1u);
  streams_drop_user_state(state);
}

}  // namespace
