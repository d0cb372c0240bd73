// The C API's node transport (hosts): NodeTransport over libcurl.
#include "handles.h"
#include "heap_headroom.h"
#include "iota_streams/transports/curl_http.h"

extern "C" streams_err_t streams_transport_client_new_from_url(streams_transport_t** transport,
                                                               const char* url) {
  if (!transport || !url)
    return streams_c_fail(STREAMS_ERR_NULL_ARGUMENT,
                          "streams_transport_client_new_from_url: NULL argument");
  STREAMS_C_HEADROOM(iota_streams::bindings::kSmallCallHeadroom, streams_c_no_memory(__func__));
  auto node = iota_streams::transports::NodeTransport::connect(
      url, {}, iota_streams::transports::make_curl_http_client());
  if (!node.ok()) return streams_c_fail(node.error());
  auto made = streams_c_make<streams_transport>(std::move(node).value());
  if (!made) return streams_c_no_memory(__func__);
  *transport = made.release();
  return STREAMS_ERR_OK;
}
