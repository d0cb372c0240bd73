#include "iota_streams/transports/curl_http.h"

#include <curl/curl.h>

#include <mutex>
#include <string>

namespace iota_streams::transports {
namespace {

struct Sink {
  std::string* body;
  size_t max;
  bool too_long = false;
};

// Keeps at most `max` bytes: past it, returning less than given makes libcurl stop
// (CURLE_WRITE_ERROR).
size_t append_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (n > sink->max - sink->body->size()) {
    sink->too_long = true;
    return 0;
  }
  sink->body->append(data, n);
  return n;
}

class CurlHttpClient : public HttpClient {
 public:
  CurlHttpClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    handle_ = curl_easy_init();
  }
  ~CurlHttpClient() override {
    if (handle_) curl_easy_cleanup(handle_);
  }
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  Result<HttpResponse> request(std::string_view method, const std::string& url,
                               std::string_view content_type, ByteSpan body,
                               const HttpLimits& limits) override {
    if (!handle_) return Error(Errc::kTransportFailure, "libcurl could not start");
    curl_easy_reset(handle_);  // one handle, reused: its connection stays open between requests
    HttpResponse response;
    curl_slist* headers = nullptr;
    const std::string content_header = "Content-Type: " + std::string(content_type);
    if (!content_type.empty()) headers = curl_slist_append(headers, content_header.c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip for bodies
    curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout_ms));
    curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(limits.connect_timeout_ms));
    curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
    // An announced length past the limit stops before the body; an unannounced one at the limit.
    curl_easy_setopt(handle_, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(limits.max_response_bytes));
    curl_easy_setopt(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
    Sink sink{&response.body, limits.max_response_bytes};
    curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(handle_, CURLOPT_WRITEDATA, &sink);
    if (method == "POST") {
      curl_easy_setopt(handle_, CURLOPT_POST, 1L);
      // Always a body pointer and its size, even when empty: without them libcurl reads the body
      // from stdin (its default read callback; the test gives stdin something to read).
      static const char kEmpty[] = "";
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDS,
                       body.empty() ? kEmpty : reinterpret_cast<const char*>(body.data()));
      curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    } else if (method != "GET") {
      curl_easy_setopt(handle_, CURLOPT_CUSTOMREQUEST, std::string(method).c_str());
    }
    const CURLcode code = curl_easy_perform(handle_);
    curl_slist_free_all(headers);
    if (sink.too_long || code == CURLE_FILESIZE_EXCEEDED) {
      return Error(Errc::kCapacityExceeded,
                   "the answer is longer than " + std::to_string(limits.max_response_bytes) +
                       " bytes (the response size limit): not read further");
    }
    if (code == CURLE_OPERATION_TIMEDOUT) {
      return Error(Errc::kTransportFailure,
                   "no complete answer within " + std::to_string(limits.timeout_ms) +
                       " ms (the request timeout): " + curl_easy_strerror(code));
    }
    if (code != CURLE_OK) {
      return Error(Errc::kTransportFailure, std::string("no answer: ") + curl_easy_strerror(code));
    }
    long status = 0;
    curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
  }

 private:
  CURL* handle_ = nullptr;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client() { return std::make_unique<CurlHttpClient>(); }

}  // namespace iota_streams::transports
