#include "http_server.h"

#include <array>
#include <atomic>
// GCC 12 with the sanitizers sees boost::none in Beast's parser as "maybe uninitialized" (a false
// positive that depends on inlining); the warning is off for Beast's own headers only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <optional>
#include <thread>

namespace iota_streams::node {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr size_t kMaxDrainBytes =
    1 << 20;  // read and dropped after refusing a request, before closing
constexpr std::chrono::seconds kDrainTime{2};

std::string error_body(int status, std::string_view reason) {
  // {"error":{"code":"400","message":"..."}}, as the node API's errors; the reason is our own text.
  std::string escaped;
  for (char c : reason) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) escaped += c;
  }
  return "{\"error\":{\"code\":\"" + std::to_string(status) + "\",\"message\":\"" + escaped +
         "\"}}";
}

}  // namespace

struct HttpServer::Impl {
  // Declared before io: sessions still queued in it when it is destroyed count themselves out here.
  ServerLimits limits;
  HttpHandler* handler = nullptr;
  std::atomic<size_t> connections{0};
  net::io_context io;
  tcp::acceptor acceptor{io};
  net::signal_set signals{io, SIGINT, SIGTERM};
  net::steady_timer retry{io};

  void accept();
};

namespace {

// One connection: read a request (headers, then body, each under its deadline), hand it to the
// handler, write the answer, and again while the client keeps the connection alive. Everything runs
// on the connection's strand; the handler's answer is posted back to it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, HttpServer::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) client_ = peer.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true),
                                ec);  // small answers must not wait for delayed ACKs
  }
  ~Session() { server_.connections -= 1; }

  void start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::read_header, shared_from_this()));
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.limits.max_header_bytes));
    parser_->body_limit(server_.limits.max_body_bytes);
    stream_.expires_after(server_.limits.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, size_t) {
    if (ec) return refuse_or_close(ec);
    const auto& request = parser_->get();
    if (beast::iequals(request[http::field::expect], "100-continue") && !parser_->is_done()) {
      stream_.expires_after(server_.limits.write_timeout);
      return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this()](beast::error_code e, size_t) {
                                if (e) return self->close();
                                self->read_body();
                              });
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(server_.limits.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, size_t) {
    if (ec) return refuse_or_close(ec);
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    HttpRequest request;
    const auto method = message.method_string();
    request.method.assign(method.data(), method.size());
    const auto beast_target = message.target();
    const std::string_view target(beast_target.data(), beast_target.size());
    const size_t question = target.find('?');
    request.path = std::string(target.substr(0, question));
    if (question != std::string_view::npos)
      request.query = std::string(target.substr(question + 1));
    const auto content_type = message[http::field::content_type];
    request.content_type.assign(content_type.data(), content_type.size());
    request.body = std::move(message.body());
    request.client = client_;
    stream_.expires_never();  // while the handler works (its storage answers within its own bounds)
    server_.handler->handle(std::move(request), [self = shared_from_this()](Reply reply) {
      auto executor = self->stream_.get_executor();
      net::post(executor, [self = std::move(self), reply = std::move(reply)]() mutable {
        self->write(std::move(reply));
      });
    });
  }

  // The status line and headers are written here, into one string kept by the session (the same
  // ones Beast's serializer wrote, without its per-field allocations), then head and body in one
  // send.
  void write(Reply reply) {
    head_.clear();
    head_ += version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    head_ += std::to_string(reply.status);
    head_ += ' ';
    const auto reason = http::obsolete_reason(static_cast<http::status>(reply.status));
    head_.append(reason.data(), reason.size());
    head_ += "\r\nServer: streams-node\r\nContent-Type: ";
    head_ += reply.content_type;
    for (const auto& [name, value] : reply.headers) {
      head_ += "\r\n";
      head_ += name;
      head_ += ": ";
      head_ += value;
    }
    // As Beast's keep_alive(): HTTP/1.1 says when it closes, HTTP/1.0 when it stays open.
    if (version_ >= 11 && !keep_alive_) head_ += "\r\nConnection: close";
    if (version_ < 11 && keep_alive_) head_ += "\r\nConnection: keep-alive";
    head_ += "\r\nContent-Length: ";
    head_ += std::to_string(reply.body.size());
    head_ += "\r\n\r\n";
    body_ = std::move(reply.body);
    stream_.expires_after(server_.limits.write_timeout);
    const std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(body_)};
    net::async_write(stream_, buffers,
                     beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    if (ec) return close();
    if (refused_) return linger();
    if (!keep_alive_) return close();
    read_header();
  }

  // A read failed: a closed or timed-out connection is closed; a malformed or oversized request is
  // answered with the reason, at once, and the connection closed after it.
  void refuse_or_close(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted ||
        ec == net::error::broken_pipe) {
      return close();
    }
    int status = 400;
    std::string reason = "malformed HTTP request: " + ec.message();
    if (ec == http::error::body_limit) {
      status = 413;
      reason = "request body too large (at most " + std::to_string(server_.limits.max_body_bytes) +
               " bytes)";
    } else if (ec == http::error::header_limit) {
      status = 431;
      reason = "request headers too large (at most " +
               std::to_string(server_.limits.max_header_bytes) + " bytes)";
    } else if (ec == http::error::bad_content_length) {
      reason = "bad Content-Length";
    }
    server_.handler->refused(client_, status, reason);
    refused_ = true;
    keep_alive_ = false;
    write(Reply{status, "application/json", error_body(status, reason), {}});
  }

  // After refusing a request whose body may still be arriving: stop sending, read and drop what
  // comes for a short while, then close, so that the client reads our answer instead of a reset.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kDrainTime);
    drain_.resize(16 * 1024);
    drain();
  }
  void drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrainBytes) return self->close();
                              self->drain();
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_;  // the answer being written: status line and headers, then the body
  std::string body_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool refused_ = false;
  std::vector<char> drain_;
  size_t drained_ = 0;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      if (connections.load() >= limits.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);  // over the bound: closed at once, the others keep their service
      } else {
        connections += 1;
        std::make_shared<Session>(std::move(socket), *this)->start();
      }
    }
    if (!ec) return accept();
    // Out of descriptors for a moment (or another accept error): try again shortly, not in a busy
    // loop.
    retry.expires_after(std::chrono::milliseconds(50));
    retry.async_wait([this](beast::error_code e) {
      if (!e) accept();
    });
  });
}

std::unique_ptr<HttpServer> HttpServer::listen(const std::string& host, uint16_t port,
                                               ServerLimits limits, HttpHandler& handler,
                                               std::string& error) {
  auto impl = std::make_unique<Impl>();
  impl->limits = limits;
  impl->handler = &handler;
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec) {
    error = "cannot listen on " + host + ":" + std::to_string(port) + ": '" + host +
            "' is not an IP address";
    return nullptr;
  }
  const tcp::endpoint endpoint(address, port);
  auto failed = [&](const char* step) {
    error =
        "cannot listen on " + host + ":" + std::to_string(port) + ": " + step + ": " + ec.message();
    return nullptr;
  };
  impl->acceptor.open(endpoint.protocol(), ec);
  if (ec) return failed("open");
  // SO_REUSEADDR only (restart over connections in TIME_WAIT); never SO_REUSEPORT, so a port
  // another process listens on is refused instead of shared.
  impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return failed("set_option");
  impl->acceptor.bind(endpoint, ec);
  if (ec) return failed("bind");
  impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen");
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() = default;

uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

size_t HttpServer::open_connections() const { return impl_->connections.load(); }

void HttpServer::run() {
  impl_->signals.async_wait([this](beast::error_code, int) { stop(); });
  impl_->accept();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < impl_->limits.threads; ++i)
    threads.emplace_back([this] { impl_->io.run(); });
  impl_->io.run();
  for (auto& thread : threads) thread.join();
}

void HttpServer::stop() {
  net::post(impl_->io, [this] { impl_->io.stop(); });
}

}  // namespace iota_streams::node
