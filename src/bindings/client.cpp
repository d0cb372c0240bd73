// The C API's node transport (hosts): NodeTransport over libcurl.
#include "handles.h"
#include "iota_streams/transports/curl_http.h"

extern "C" err_t transport_client_new_from_url(transport_t** transport, const char* url) {
  if (!transport || !url) return streams_c_fail(ERR_NULL_ARGUMENT, "transport_client_new_from_url: NULL argument");
  auto node = iota_streams::transports::NodeTransport::connect(url, {}, iota_streams::transports::make_curl_http_client());
  if (!node.ok()) return streams_c_fail(ERR_BAD_ARGUMENT, node.error().message());
  *transport = new Transport{std::move(node).value()};
  return ERR_OK;
}
