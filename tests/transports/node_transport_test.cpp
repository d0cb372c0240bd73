// The node transport against a scripted HttpClient (no network): the requests it makes, the message
// it posts, how it reads an index, and how every failure becomes a clear error.
#include "iota_streams/transports/node.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <deque>
#include <map>

#include "json_scan.h"
#include "support/vectors.h"

namespace iota_streams::transports {
namespace {

struct Request {
  std::string method, url, content_type;
  std::vector<uint8_t> body;
};

// Answers requests from a table (URL -> response); records every request.
class ScriptedHttp : public HttpClient {
 public:
  std::map<std::string, std::deque<Result<HttpResponse>>> answers;
  std::vector<Request> requests;
  HttpLimits last_limits;

  Result<HttpResponse> request(std::string_view method, const std::string& url,
                               std::string_view content_type, ByteSpan body,
                               const HttpLimits& limits) override {
    last_limits = limits;
    requests.push_back(
        {std::string(method), url, std::string(content_type), {body.begin(), body.end()}});
    auto it = answers.find(std::string(method) + " " + url);
    if (it == answers.end() || it->second.empty())
      return HttpResponse{404, R"({"error":{"code":"404","message":"no such thing"}})"};
    auto answer = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();
    // As the real clients: a longer answer is read no further.
    if (answer.ok() && answer->body.size() > limits.max_response_bytes)
      return Error(
          Errc::kCapacityExceeded,
          "the answer is longer than " + std::to_string(limits.max_response_bytes) + " bytes");
    return answer;
  }
  void answer(const std::string& key, int status, std::string body) {
    answers[key].push_back(HttpResponse{status, std::move(body)});
  }
};

const std::string kNode = "http://node.test:14265";

message::Address address() {
  return message::Address::parse(std::string(80, 'a') + ":" + std::string(24, 'b')).value();
}

std::string tip_hex(char c) { return std::string(64, c); }

struct Fixture {
  ScriptedHttp* http = nullptr;
  std::unique_ptr<NodeTransport> transport;

  explicit Fixture(double min_score = 5, NodeOptions options = {}) {
    auto scripted = std::make_unique<ScriptedHttp>();
    http = scripted.get();
    http->answer(
        "GET " + kNode + "/api/v1/info", 200,
        R"({"data":{"name":"HORNET","networkId":"streams-local","bech32HRP":"atoi","minPoWScore":)" +
            std::to_string(min_score) + R"(,"isHealthy":true}})");
    http->answer(
        "GET " + kNode + "/api/v1/tips", 200,
        R"({"data":{"tipMessageIds":[")" + tip_hex('2') + R"(",")" + tip_hex('1') + R"("]}})");
    http->answer("POST " + kNode + "/api/v1/messages", 201, R"({"data":{"messageId":"00"}})");
    transport = NodeTransport::connect(kNode + "/", options, std::move(scripted)).value();
  }
};

TEST(NodeTransport, PostsAnIndexationMessageWithPowAtTheAddressIndex) {
  Fixture f(20);
  const uint8_t streams_message[] = {1, 2, 3, 4, 5};
  const auto sent = f.transport->send_message(address(), streams_message);
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  ASSERT_EQ(f.http->requests.size(), 3u);
  EXPECT_EQ(f.http->requests[0].method + " " + f.http->requests[0].url,
            "GET " + kNode + "/api/v1/info");
  EXPECT_EQ(f.http->requests[1].method + " " + f.http->requests[1].url,
            "GET " + kNode + "/api/v1/tips");
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_TRUE(f.http->requests[i].content_type.empty());
    EXPECT_TRUE(f.http->requests[i].body.empty());
  }
  const Request& post = f.http->requests.back();
  EXPECT_EQ(post.method, "POST");
  EXPECT_EQ(post.url, kNode + "/api/v1/messages");
  EXPECT_EQ(post.content_type, "application/octet-stream");
  const auto view = chrysalis::parse_message(post.body);
  ASSERT_TRUE(view.ok()) << view.error().message();
  EXPECT_EQ(view->network_id, chrysalis::network_id("streams-local"));
  EXPECT_EQ(view->parent_count, 2u);
  EXPECT_EQ(to_hex(view->parents[0]), tip_hex('1'));  // sorted
  const auto index = address().index();
  EXPECT_TRUE(std::equal(view->index.begin(), view->index.end(), index.begin(), index.end()));
  EXPECT_TRUE(std::equal(view->data.begin(), view->data.end(), std::begin(streams_message),
                         std::end(streams_message)));
  EXPECT_GE(chrysalis::pow_score(post.body), 20.0);
  EXPECT_EQ(f.transport->last_message_id(), chrysalis::message_id(post.body));

  // The node's info is read once.
  ASSERT_TRUE(f.transport->send_message(address(), streams_message).ok());
  EXPECT_EQ(f.http->requests.size(), 5u);
}

std::vector<uint8_t> chrysalis_message(ByteSpan index, const std::string& data) {
  chrysalis::MessageId parent{};
  const std::vector<chrysalis::MessageId> parents{parent};
  std::vector<uint8_t> out(chrysalis::message_size(1, index.size(), data.size()));
  EXPECT_TRUE(chrysalis::write_message(1, parents, index, as_bytes(data), 0, out).ok());
  return out;
}

TEST(NodeTransport, ReadsEveryMessageAtTheIndexAndSkipsOthers) {
  Fixture f;
  const auto index = address().index();
  const std::string query = "GET " + kNode + "/api/v1/messages?index=" + to_hex(index);
  f.http->answer(query, 200,
                 R"({"data":{"index":"x","maxResults":1000,"count":3,"messageIds":[")" +
                     tip_hex('a') + R"(",")" + tip_hex('b') + R"(",")" + tip_hex('c') + R"("]}})");
  auto raw = [&](char c, const std::vector<uint8_t>& bytes) {
    f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex(c) + "/raw", 200,
                   std::string(bytes.begin(), bytes.end()));
  };
  raw('a', chrysalis_message(index, "first"));
  const uint8_t other_index[] = {9, 9, 9};
  raw('b', chrysalis_message(other_index, "not ours"));
  raw('c', chrysalis_message(index, "second"));
  const auto found = f.transport->recv_messages(address());
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->size(), 2u);
  ASSERT_EQ(f.http->requests.size(), 4u);  // the index, then each listed message's bytes
  EXPECT_EQ(f.http->requests[0].method + " " + f.http->requests[0].url, query);
  EXPECT_EQ(f.http->requests[1].url, kNode + "/api/v1/messages/" + tip_hex('a') + "/raw");
  EXPECT_EQ(f.http->requests[3].url, kNode + "/api/v1/messages/" + tip_hex('c') + "/raw");
  EXPECT_EQ(std::string(found->at(0).begin(), found->at(0).end()), "first");
  EXPECT_EQ(std::string(found->at(1).begin(), found->at(1).end()), "second");
  // recv_message wants exactly one.
  EXPECT_EQ(f.transport->recv_message(address()).error().code(), Errc::kMessageNotUnique);
}

TEST(NodeTransport, SkipsMessagesThatAreNotOursOrNoLongerThere) {
  Fixture f;
  const auto index = address().index();
  f.http->answer("GET " + kNode + "/api/v1/messages?index=" + to_hex(index), 200,
                 R"({"data":{"messageIds":[")" + tip_hex('a') + R"(",")" + tip_hex('b') + R"(",")" +
                     tip_hex('c') + R"(",")" + tip_hex('d') + R"("]}})");
  // 'a' was pruned between the two requests (404), 'b' is not a Chrysalis message at all, 'c' has a
  // payload of another type, 'd' is ours.
  f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex('a') + "/raw", 404,
                 R"({"error":{"code":"404"}})");
  f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex('b') + "/raw", 200, "garbage");
  auto other_type = chrysalis_message(index, "tx");
  other_type[8 + 1 + 32 + 4] = 0;  // payload type 2 -> 0
  f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex('c') + "/raw", 200,
                 std::string(other_type.begin(), other_type.end()));
  const auto ours = chrysalis_message(index, "ours");
  f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex('d') + "/raw", 200,
                 std::string(ours.begin(), ours.end()));
  const auto found = f.transport->recv_message(address());
  ASSERT_TRUE(found.ok()) << found.error().message();
  EXPECT_EQ(std::string(found->begin(), found->end()), "ours");
}

// A node listing id after id at one index (anyone can post there) must not make a device download
// them: past NodeOptions::max_candidates the read fails before fetching any message.
TEST(NodeTransport, RefusesAListingLongerThanTheCandidateBoundBeforeDownloading) {
  const auto index = address().index();
  const std::string query = "GET " + kNode + "/api/v1/messages?index=" + to_hex(index);
  auto listing = [](size_t count) {
    std::string ids;
    for (size_t i = 0; i < count; ++i) {
      char hex[65];
      std::snprintf(hex, sizeof hex, "%064zx", i);
      ids += (i == 0 ? "\"" : ",\"") + std::string(hex) + "\"";
    }
    return R"({"data":{"messageIds":[)" + ids + "]}}";
  };

  Fixture flooded;
  flooded.http->answer(query, 200, listing(100000));
  const auto refused = flooded.transport->recv_messages(address());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kCapacityExceeded);
  const std::string why = refused.error().message();
  EXPECT_NE(why.find("is longer than"), std::string::npos) << why;  // told by its length alone
  EXPECT_NE(why.find("more than the " + std::to_string(STREAMS_MAX_CANDIDATES)), std::string::npos)
      << why;
  EXPECT_NE(why.find("NodeOptions::max_candidates"), std::string::npos) << why;
  EXPECT_LE(flooded.http->last_limits.max_response_bytes, 1024u + 80u * STREAMS_MAX_CANDIDATES);
  ASSERT_EQ(flooded.http->requests.size(), 1u);  // the listing only
  EXPECT_EQ(flooded.http->requests[0].method + " " + flooded.http->requests[0].url, query);

  // At the bound every listed message is read; one more and none is.
  Fixture bounded(5, NodeOptions{.max_candidates = 3});
  const auto ours = chrysalis_message(index, "ours");
  for (size_t i = 0; i < 4; ++i) {
    char hex[65];
    std::snprintf(hex, sizeof hex, "%064zx", i);
    bounded.http->answer("GET " + kNode + "/api/v1/messages/" + hex + "/raw", 200,
                         std::string(ours.begin(), ours.end()));
  }
  bounded.http->answer(query, 200, listing(3));
  bounded.http->answer(query, 200, listing(4));
  const auto at_bound = bounded.transport->recv_messages(address());
  ASSERT_TRUE(at_bound.ok()) << at_bound.error().message();
  EXPECT_EQ(at_bound->size(), 3u);
  EXPECT_EQ(bounded.http->requests.size(), 4u);
  const auto past_bound = bounded.transport->recv_messages(address());
  ASSERT_FALSE(past_bound.ok());
  EXPECT_EQ(past_bound.error().code(), Errc::kCapacityExceeded);
  EXPECT_NE(past_bound.error().message().find("lists 4 messages"), std::string::npos)
      << past_bound.error().message();
  EXPECT_EQ(bounded.http->requests.size(), 5u);  // the second listing, and no message

  // 0: unbounded.
  Fixture unbounded(5, NodeOptions{.max_candidates = 0});
  unbounded.http->answer(query, 200, listing(STREAMS_MAX_CANDIDATES + 1));
  const auto all = unbounded.transport->recv_messages(address());
  ASSERT_TRUE(all.ok()) << all.error().message();
  EXPECT_EQ(unbounded.http->requests.size(), size_t{STREAMS_MAX_CANDIDATES} + 2);
}

// A message listed at the index that is longer than a read keeps (NodeOptions::max_message_bytes)
// is read no further than that and skipped, as junk is: posted large, it costs a device nothing and
// hides nothing.
TEST(NodeTransport, SkipsAListedMessageLongerThanAReadKeeps) {
  Fixture f(5, NodeOptions{.max_message_bytes = 1000});
  const auto index = address().index();
  f.http->answer(
      "GET " + kNode + "/api/v1/messages?index=" + to_hex(index), 200,
      R"({"data":{"messageIds":[")" + tip_hex('a') + R"(",")" + tip_hex('b') + R"("]}})");
  const auto large = chrysalis_message(index, std::string(1001, 'L'));
  const auto ours = chrysalis_message(index, std::string(1000, 'o'));
  f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex('a') + "/raw", 200,
                 std::string(large.begin(), large.end()));
  f.http->answer("GET " + kNode + "/api/v1/messages/" + tip_hex('b') + "/raw", 200,
                 std::string(ours.begin(), ours.end()));
  const auto found = f.transport->recv_messages(address());
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->at(0).size(), 1000u);
  EXPECT_EQ(f.http->last_limits.max_response_bytes, 1000u + 512u);
}

TEST(NodeTransport, RemotePowSendsNonceZeroAndTakesTheNodesMessageId) {
  Fixture f(1e9, NodeOptions{.local_pow = false});
  f.http->answers["POST " + kNode + "/api/v1/messages"].clear();
  f.http->answer("POST " + kNode + "/api/v1/messages", 201,
                 R"({"data":{"messageId":")" + tip_hex('e') + R"("}})");
  const uint8_t m[] = {7, 7};
  const auto sent = f.transport->send_message(address(), m);
  ASSERT_TRUE(sent.ok()) << sent.error().message();
  const auto view = chrysalis::parse_message(f.http->requests.back().body);
  ASSERT_TRUE(view.ok()) << view.error().message();
  EXPECT_EQ(view->nonce, 0u);
  ASSERT_TRUE(f.transport->last_message_id().has_value());
  EXPECT_EQ(to_hex(*f.transport->last_message_id()), tip_hex('e'));

  // Without the node's id the message cannot be referred to: that is an error.
  f.http->answers["POST " + kNode + "/api/v1/messages"].clear();
  f.http->answer("POST " + kNode + "/api/v1/messages", 201, R"({"data":{}})");
  const auto unnamed = f.transport->send_message(address(), m);
  ASSERT_FALSE(unnamed.ok());
  EXPECT_NE(unnamed.error().message().find("no messageId"), std::string::npos)
      << unnamed.error().message();
}

TEST(NodeTransport, AnEmptyIndexIsNotAnError) {
  Fixture f;
  f.http->answer("GET " + kNode + "/api/v1/messages?index=" + to_hex(address().index()), 200,
                 R"({"data":{"count":0,"messageIds":[]}})");
  const auto found = f.transport->recv_messages(address());
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->empty());
  EXPECT_EQ(f.transport->recv_message(address()).error().code(), Errc::kLinkNotFoundInTransport);
}

TEST(NodeTransport, FailuresNameTheRequestAndTheReason) {
  {
    Fixture f;
    f.http->answers["POST " + kNode + "/api/v1/messages"].clear();
    f.http->answer("POST " + kNode + "/api/v1/messages", 400,
                   R"({"error":{"code":"400","message":"invalid message: pow score too low"}})");
    const uint8_t m[] = {1};
    const auto sent = f.transport->send_message(address(), m);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message().find("POST http://node.test:14265/api/v1/messages"),
              std::string::npos);
    EXPECT_NE(sent.error().message().find("pow score too low"), std::string::npos)
        << sent.error().message();
  }
  {
    Fixture f;
    f.http->answers["GET " + kNode + "/api/v1/info"].clear();
    f.http->answers["GET " + kNode + "/api/v1/info"].push_back(
        Error(Errc::kTransportFailure, "no answer: Timeout was reached"));
    const uint8_t m[] = {1};
    const auto sent = f.transport->send_message(address(), m);
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().code(), Errc::kTransportFailure);
    EXPECT_NE(sent.error().message().find("Timeout"), std::string::npos) << sent.error().message();
    EXPECT_NE(sent.error().message().find("/api/v1/info"), std::string::npos)
        << sent.error().message();
  }
  {
    Fixture f;
    f.http->answers["GET " + kNode + "/api/v1/tips"].clear();
    f.http->answer("GET " + kNode + "/api/v1/tips", 200,
                   R"({"data":{"tipMessageIds":["nothex"]}})");
    const uint8_t m[] = {1};
    const auto sent = f.transport->send_message(address(), m);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message().find("malformed message id"), std::string::npos)
        << sent.error().message();
  }
  {
    Fixture f;
    f.http->answer("GET " + kNode + "/api/v1/messages?index=" + to_hex(address().index()), 200,
                   "{not json");
    const auto found = f.transport->recv_messages(address());
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.error().message().find("GET " + kNode + "/api/v1/messages?index=" +
                                           to_hex(address().index()) + ": no messageIds"),
              std::string::npos)
        << found.error().message();
  }
  {
    Fixture f;  // the index query answers 500
    f.http->answer("GET " + kNode + "/api/v1/messages?index=" + to_hex(address().index()), 500,
                   R"({"error":{"code":"500","message":"database locked"}})");
    const auto found = f.transport->recv_messages(address());
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.error().message().find("HTTP 500: database locked"), std::string::npos)
        << found.error().message();
  }
  {
    Fixture f;  // the node refuses to tell about itself
    f.http->answers["GET " + kNode + "/api/v1/info"].clear();
    f.http->answer("GET " + kNode + "/api/v1/info", 403,
                   R"({"error":{"code":"403","message":"forbidden"}})");
    const uint8_t m[] = {1};
    const auto sent = f.transport->send_message(address(), m);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message().find("GET " + kNode + "/api/v1/info: HTTP 403: forbidden"),
              std::string::npos)
        << sent.error().message();
  }
  {
    Fixture f;  // info without the fields the transport needs
    f.http->answers["GET " + kNode + "/api/v1/info"].clear();
    f.http->answer("GET " + kNode + "/api/v1/info", 200, R"({"data":{"name":"HORNET"}})");
    const uint8_t m[] = {1};
    const auto sent = f.transport->send_message(address(), m);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message().find("/api/v1/info: no networkId"), std::string::npos)
        << sent.error().message();
  }
  {
    Fixture f;  // a listed message whose bytes cannot be fetched: a transport failure, not a skip
    const std::string raw_url = kNode + "/api/v1/messages/" + tip_hex('a') + "/raw";
    f.http->answer("GET " + kNode + "/api/v1/messages?index=" + to_hex(address().index()), 200,
                   R"({"data":{"messageIds":[")" + tip_hex('a') + R"("]}})");
    f.http->answers["GET " + raw_url].push_back(
        Error(Errc::kTransportFailure, "no answer: Timeout was reached"));
    const auto found = f.transport->recv_messages(address());
    ASSERT_FALSE(found.ok());
    EXPECT_EQ(found.error().code(), Errc::kTransportFailure);
    EXPECT_NE(found.error().message().find("GET " + raw_url), std::string::npos)
        << found.error().message();
    EXPECT_NE(found.error().message().find("Timeout"), std::string::npos)
        << found.error().message();
  }
  {
    Fixture f;  // the same, answering 502
    const std::string raw_url = kNode + "/api/v1/messages/" + tip_hex('a') + "/raw";
    f.http->answer("GET " + kNode + "/api/v1/messages?index=" + to_hex(address().index()), 200,
                   R"({"data":{"messageIds":[")" + tip_hex('a') + R"("]}})");
    f.http->answer("GET " + raw_url, 502, "Bad Gateway");
    const auto found = f.transport->recv_messages(address());
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.error().message().find("GET " + raw_url + ": HTTP 502: Bad Gateway"),
              std::string::npos)
        << found.error().message();
  }
  {
    Fixture f(1e30);  // a score no nonce reaches within the allowed attempts
    auto scripted = std::make_unique<ScriptedHttp>();
    *scripted = *f.http;
    auto limited =
        NodeTransport::connect(
            kNode, NodeOptions{.timeout_ms = 1000, .max_pow_attempts = 256, .max_pow_score = 1e31},
            std::move(scripted))
            .value();
    const uint8_t m[] = {1};
    const auto sent = limited->send_message(address(), m);
    ASSERT_FALSE(sent.ok());
    EXPECT_NE(sent.error().message().find("proof of work gave up"), std::string::npos)
        << sent.error().message();
  }
}

// A node can ask for proof of work that never ends (minPoWScore 1e30): refused before any work,
// with the score and the limit in the error; a node within the limit is served.
TEST(NodeTransport, RefusesANodeAskingForMorePowThanTheMaximum) {
  const uint8_t streams_message[] = {1, 2, 3};
  Fixture greedy(1e30);
  const auto refused = greedy.transport->send_message(address(), streams_message);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::kTransportFailure);
  EXPECT_NE(
      refused.error().message().find("PoW score of 1e+30, above this client's maximum of 4000"),
      std::string::npos)
      << refused.error().message();
  EXPECT_EQ(greedy.http->requests.size(), 1u);  // /info only: no tips asked, nothing posted

  NodeOptions low;
  low.max_pow_score = 10;
  Fixture above(20, low);
  EXPECT_FALSE(above.transport->send_message(address(), streams_message).ok());
  Fixture within(10, low);
  EXPECT_TRUE(within.transport->send_message(address(), streams_message).ok());
  // With remote PoW the node does the work: its score is its own business.
  NodeOptions remote;
  remote.local_pow = false;
  Fixture remote_node(1e30, remote);
  remote_node.http->answers["POST " + kNode + "/api/v1/messages"] = {
      HttpResponse{201, R"({"data":{"messageId":")" + tip_hex('9') + R"("}})"}};
  EXPECT_TRUE(remote_node.transport->send_message(address(), streams_message).ok());
}

TEST(NodeTransport, PassesItsLimitsToEveryRequest) {
  NodeOptions options;
  options.timeout_ms = 1234;
  options.connect_timeout_ms = 567;
  options.max_response_bytes = 8910;
  Fixture f(5, options);
  (void)f.transport->recv_messages(
      address());  // the scripted node has no answer for the index: 404
  EXPECT_EQ(f.http->last_limits.timeout_ms, 1234u);
  EXPECT_EQ(f.http->last_limits.connect_timeout_ms, 567u);
  EXPECT_EQ(f.http->last_limits.max_response_bytes, 8910u);
}

TEST(NodeTransport, RefusesABadUrl) {
  EXPECT_FALSE(NodeTransport::connect("ftp://x", {}, std::make_unique<ScriptedHttp>()).ok());
  EXPECT_FALSE(NodeTransport::connect("http://x", {}, nullptr).ok());
}

TEST(JsonScan, FindsFieldsAtAnyDepthAndRefusesMalformedDocuments) {
  const std::string doc =
      R"({"data": {"name": "x\"y\u0041", "n": -1.5e2, "list": ["a", "b\\c"], "o": {"deep": "z"}}})";
  EXPECT_EQ(json_scan::find_string(doc, "name"), "x\"yA");
  EXPECT_EQ(json_scan::find_number(doc, "n"), -150.0);
  EXPECT_EQ(json_scan::find_string_array(doc, "list"), (std::vector<std::string>{"a", "b\\c"}));
  EXPECT_EQ(json_scan::find_string(doc, "deep"), "z");
  EXPECT_FALSE(json_scan::find_string(doc, "missing"));
  EXPECT_FALSE(json_scan::find_number(doc, "name"));
  EXPECT_FALSE(json_scan::find_string_array(doc, "name"));
  for (const std::string& bad : std::vector<std::string>{
           "", "{", R"({"a":)", R"({"a":"x)", R"({"a":1,})", R"({"a" 1})", R"({"a":tru})",
           R"([1,2)", R"({"a":"x"} extra)", std::string(100, '[')}) {
    EXPECT_FALSE(json_scan::find_string(bad, "a")) << bad;
  }
  EXPECT_FALSE(json_scan::find_string_array(R"({"a":["x",1]})", "a"));
}

// JSON's own grammar, not strtol's or strtod's: they take signs, spaces and "0x" where JSON does
// not.
TEST(JsonScan, EscapesAndNumbersFollowJsonGrammarExactly) {
  EXPECT_EQ(json_scan::find_string(R"({"a":"\u0041\u004a"})", "a"), "AJ");
  for (const char* bad_escape : {"\\u+041", "\\u 041", "\\u-001", "\\u0x41", "\\u00g1", "\\u004"}) {
    const std::string doc = std::string(R"({"a":")") + bad_escape + R"("})";
    EXPECT_FALSE(json_scan::find_string(doc, "a")) << doc;
  }
  for (const char* good : {"0", "-0", "12", "-1.5", "1e5", "2E-3", "0.25e+2"}) {
    EXPECT_TRUE(json_scan::find_number(std::string(R"({"a":)") + good + "}", "a")) << good;
  }
  for (const char* bad :
       {"+1", "01", "1.", ".5", "1e", "1e+", "--1", "-", "1.2.3", "1e5e5", "0x1"}) {
    const std::string doc = std::string(R"({"a":)") + bad + "}";
    EXPECT_FALSE(json_scan::find_number(doc, "a")) << doc;
    EXPECT_FALSE(json_scan::find_string(std::string(R"({"b":)") + bad + R"(,"a":"x"})", "a"))
        << bad;
  }
}

}  // namespace
}  // namespace iota_streams::transports
