// The node transport's HttpClient over esp_http_client, and the C function that creates the
// transport.
#include <esp_http_client.h>

#include <string>

#include "handles.h"
#include "heap_headroom.h"
#include "iota_streams/transports/node.h"
#include "iota_streams_esp.h"

namespace {

using iota_streams::ByteSpan;
using iota_streams::Errc;
using iota_streams::Error;
using iota_streams::Result;
using iota_streams::transports::HttpLimits;
using iota_streams::transports::HttpResponse;

class EspHttpClient : public iota_streams::transports::HttpClient {
 public:
  Result<HttpResponse> request(std::string_view method, const std::string& url,
                               std::string_view content_type, ByteSpan body,
                               const HttpLimits& limits) override {
    esp_http_client_config_t config = {};
    config.url = url.c_str();
    config.timeout_ms = static_cast<int>(limits.timeout_ms);
    config.method = method == "POST" ? HTTP_METHOD_POST : HTTP_METHOD_GET;
    esp_http_client_handle_t client = esp_http_client_init(&config);
    if (!client) return Error(Errc::kTransportFailure, "esp_http_client_init failed");
    const std::string type(content_type);
    if (!type.empty()) esp_http_client_set_header(client, "Content-Type", type.c_str());
    HttpResponse response;
    esp_err_t err = esp_http_client_open(client, static_cast<int>(body.size()));
    if (err == ESP_OK && !body.empty()) {
      const int written = esp_http_client_write(client, reinterpret_cast<const char*>(body.data()),
                                                static_cast<int>(body.size()));
      if (written != static_cast<int>(body.size())) err = ESP_FAIL;
    }
    if (err == ESP_OK && esp_http_client_fetch_headers(client) < 0) err = ESP_FAIL;
    if (err == ESP_OK) {
      char chunk[512];
      int read;
      bool too_long = false;
      while ((read = esp_http_client_read(client, chunk, sizeof chunk)) > 0) {
        if (static_cast<size_t>(read) > limits.max_response_bytes - response.body.size()) {
          too_long = true;
          break;
        }
        response.body.append(chunk, static_cast<size_t>(read));
      }
      if (too_long) {
        esp_http_client_close(client);
        esp_http_client_cleanup(client);
        return Error(Errc::kCapacityExceeded,
                     "the answer is longer than " + std::to_string(limits.max_response_bytes) +
                         " bytes (the response size limit): not read further");
      }
      if (read < 0) err = ESP_FAIL;
      response.status = esp_http_client_get_status_code(client);
    }
    esp_http_client_close(client);
    esp_http_client_cleanup(client);
    if (err != ESP_OK)
      return Error(Errc::kTransportFailure, std::string("no answer: ") + esp_err_to_name(err));
    return response;
  }
};

}  // namespace

extern "C" streams_err_t streams_transport_esp_node_new(streams_transport_t** transport,
                                                        const char* url) {
  if (!transport || !url)
    return streams_c_fail(STREAMS_ERR_NULL_ARGUMENT,
                          "streams_transport_esp_node_new: NULL argument");
  STREAMS_C_HEADROOM(iota_streams::bindings::kSmallCallHeadroom, streams_c_no_memory(__func__));
  auto node =
      iota_streams::transports::NodeTransport::connect(url, {}, std::make_unique<EspHttpClient>());
  if (!node.ok()) return streams_c_fail(node.error());
  auto made = streams_c_make<streams_transport>(std::move(node).value());
  if (!made) return streams_c_no_memory(__func__);
  *transport = made.release();
  return STREAMS_ERR_OK;
}
