// Fuzz target: the text a user or a node hands us. Addresses (`<channel hex>:<msgid hex>`): a
// parsed address prints to text that parses to the same address. Node answers (JSON scanned without
// a JSON library): no crash, whatever the bytes.
#include <cstdlib>
#include <string_view>

#include "iota_streams/message/address.h"
#include "json_scan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  namespace json = iota_streams::transports::json_scan;
  for (std::string_view key :
       {"data", "messageIds", "networkId", "minPoWScore", "error", "message"}) {
    (void)json::find_string(text, key);
    (void)json::find_number(text, key);
    (void)json::find_string_array(text, key);
  }
  const auto address = iota_streams::message::Address::parse(text);
  if (!address.ok()) {
    if (address.error().message().empty()) std::abort();
    return 0;
  }
  const auto again = iota_streams::message::Address::parse(address->to_string());
  if (!again.ok() || !(*again == *address)) std::abort();
  return 0;
}
