// libcurl's HttpClient against a real HTTP server on loopback (cpp-httplib, in this process): what
// reaches the server is exactly what was asked (method, content type, binary body), every status
// comes back as an answer, and no answer at all (refused, timed out) is an error that says so.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "iota_streams/transports/curl_http.h"

namespace iota_streams::transports {
namespace {

// What the server saw of the last request.
struct Seen {
  std::string method;
  std::string content_type;
  std::string body;
};

class LoopbackServer {
 public:
  LoopbackServer() {
    server_.Post("/echo",
                 [this](const httplib::Request& req, httplib::Response& res) { record(req, res); });
    server_.Get("/echo",
                [this](const httplib::Request& req, httplib::Response& res) { record(req, res); });
    server_.Get("/teapot", [](const httplib::Request&, httplib::Response& res) {
      res.status = 418;
      res.set_content(R"({"error":{"code":"418","message":"short and stout"}})",
                      "application/json");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content("late", "text/plain");
    });
    // A hostile node: a body that never ends (chunked, no length), and one whose announced length
    // is huge.
    server_.Get("/endless", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
        static const std::string chunk(64 * 1024, '[');
        return sink.write(chunk.data(), chunk.size());  // false once the client has gone
      });
    });
    server_.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(size_t{1} << 40, "application/octet-stream",
                               [](size_t, size_t length, httplib::DataSink& sink) {
                                 static const std::string chunk(64 * 1024, 'x');
                                 return sink.write(chunk.data(), std::min(length, chunk.size()));
                               });
    });
    server_.set_tcp_nodelay(true);  // as streams-node: no delayed-ACK wait on small answers
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() only stops a server that runs: wait for the accept loop before handing the server out.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  Seen seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  void record(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_ = {req.method, req.get_header_value("Content-Type"), req.body};
    }
    res.set_content(req.body.empty() ? "empty" : req.body, "application/octet-stream");
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mutex_;
  Seen seen_;
};

constexpr HttpLimits kLimits{5000, 5000, 1 << 20};

TEST(CurlHttp, PostsABinaryBodyWithItsContentType) {
  LoopbackServer server;
  auto http = make_curl_http_client();
  const std::vector<uint8_t> body = {0x00, 0xff, 0x00,
                                     0x0a, 0x0d, 0x80};  // NULs and line ends stay intact
  auto answer =
      http->request("POST", server.url("/echo"), "application/octet-stream", body, kLimits);
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, std::string(body.begin(), body.end()));
  const Seen seen = server.seen();
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.content_type, "application/octet-stream");
  EXPECT_EQ(seen.body, std::string(body.begin(), body.end()));
}

TEST(CurlHttp, PostsAnEmptyBodyWithoutReadingStdin) {
  // With no body pointer libcurl would read the body from stdin: give stdin something to read.
  const std::string stdin_file = ::testing::TempDir() + "curl_http_stdin.txt";
  {
    std::FILE* f = std::fopen(stdin_file.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("read from stdin", f);
    std::fclose(f);
  }
  ASSERT_NE(std::freopen(stdin_file.c_str(), "r", stdin), nullptr);
  LoopbackServer server;
  auto http = make_curl_http_client();
  auto answer = http->request("POST", server.url("/echo"), "application/json", {}, kLimits);
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer->body, "empty");
  EXPECT_EQ(server.seen().body, "");
}

TEST(CurlHttp, GetSendsNoBodyAndOneClientServesManyRequests) {
  LoopbackServer server;
  auto http = make_curl_http_client();
  ASSERT_TRUE(
      http->request("POST", server.url("/echo"), "text/plain", std::vector<uint8_t>{'x'}, kLimits)
          .ok());
  for (int i = 0; i < 20; ++i) {  // the handle is reset between requests: nothing of the POST leaks
    auto answer = http->request("GET", server.url("/echo"), "", {}, kLimits);
    ASSERT_TRUE(answer.ok()) << answer.error().message();
    EXPECT_EQ(answer->body, "empty");
    EXPECT_EQ(server.seen().method, "GET");
  }
}

TEST(CurlHttp, AnErrorStatusIsAnAnswerWithItsBody) {
  LoopbackServer server;
  auto http = make_curl_http_client();
  auto answer = http->request("GET", server.url("/teapot"), "", {}, kLimits);
  ASSERT_TRUE(answer.ok()) << answer.error().message();
  EXPECT_EQ(answer->status, 418);
  EXPECT_NE(answer->body.find("short and stout"), std::string::npos);
  auto missing = http->request("GET", server.url("/nowhere"), "", {}, kLimits);
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
}

TEST(CurlHttp, ATimeoutIsAnErrorThatSaysSo) {
  LoopbackServer server;
  auto http = make_curl_http_client();
  auto answer = http->request("GET", server.url("/slow"), "", {}, HttpLimits{200, 200, 1 << 20});
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code(), Errc::kTransportFailure);
  EXPECT_NE(answer.error().message().find("Timeout"), std::string::npos)
      << answer.error().message();
  // The same client recovers for the next request.
  auto after = http->request("GET", server.url("/echo"), "", {}, kLimits);
  ASSERT_TRUE(after.ok()) << after.error().message();
  EXPECT_EQ(after->status, 200);
}

// An answer longer than the limit is an error that says so, and no more than the limit is kept: an
// endless body ends at the limit (the test would run out of time or memory otherwise).
TEST(CurlHttp, AnAnswerPastTheSizeLimitIsAnError) {
  LoopbackServer server;
  auto http = make_curl_http_client();
  for (const char* path : {"/endless", "/huge"}) {
    auto answer =
        http->request("GET", server.url(path), "", {}, HttpLimits{20000, 5000, 256 * 1024});
    ASSERT_FALSE(answer.ok()) << path;
    EXPECT_EQ(answer.error().code(), Errc::kCapacityExceeded);
    EXPECT_NE(answer.error().message().find("longer than 262144 bytes"), std::string::npos)
        << path << ": " << answer.error().message();
  }
  // Within the limit, the same client reads normally.
  auto small = http->request("POST", server.url("/echo"), "text/plain",
                             std::vector<uint8_t>(1000, 'a'), HttpLimits{5000, 5000, 1000});
  ASSERT_TRUE(small.ok()) << small.error().message();
  EXPECT_EQ(small->body.size(), 1000u);
}

TEST(CurlHttp, NoServerIsAnErrorThatSaysSo) {
  std::string url;
  {
    LoopbackServer gone;  // a port that was just free and now has nobody listening
    url = gone.url("/echo");
  }
  auto http = make_curl_http_client();
  auto answer = http->request("GET", url, "", {}, kLimits);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code(), Errc::kTransportFailure);
  EXPECT_NE(answer.error().message().find("no answer"), std::string::npos)
      << answer.error().message();
}

}  // namespace
}  // namespace iota_streams::transports
