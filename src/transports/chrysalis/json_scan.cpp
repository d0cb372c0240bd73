#include "json_scan.h"

#include <cctype>
#include <cstdlib>

namespace iota_streams::transports::json_scan {
namespace {

constexpr int kMaxDepth = 32;

// A recursive-descent walk that validates the document and remembers where the first member named
// `key` has its value.
class Walker {
 public:
  Walker(std::string_view text, std::string_view key) : text_(text), key_(key) {}

  // Unescapes `raw`, which must be exactly one JSON string, into `out`.
  static bool decode(std::string_view raw, std::string* out) {
    Walker walker(raw, {});
    return walker.string(out) && walker.pos_ == raw.size();
  }

  // The value's text (raw JSON) when the document is well formed and has the key.
  std::optional<std::string_view> run() {
    skip_space();
    if (!value(0)) return std::nullopt;
    skip_space();
    if (pos_ != text_.size() || !found_) return std::nullopt;
    return found_;
  }

 private:
  bool value(int depth) {
    if (depth > kMaxDepth || pos_ >= text_.size()) return false;
    switch (text_[pos_]) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string(nullptr);
      default:
        return scalar();
    }
  }

  bool object(int depth) {
    ++pos_;  // {
    skip_space();
    if (peek('}')) return ++pos_, true;
    for (;;) {
      std::string name;
      skip_space();
      if (!string(&name)) return false;
      skip_space();
      if (!peek(':')) return false;
      ++pos_;
      skip_space();
      const size_t start = pos_;
      if (!value(depth)) return false;
      if (!found_ && name == key_) found_ = text_.substr(start, pos_ - start);
      skip_space();
      if (peek('}')) return ++pos_, true;
      if (!peek(',')) return false;
      ++pos_;
    }
  }

  bool array(int depth) {
    ++pos_;  // [
    skip_space();
    if (peek(']')) return ++pos_, true;
    for (;;) {
      skip_space();
      if (!value(depth)) return false;
      skip_space();
      if (peek(']')) return ++pos_, true;
      if (!peek(',')) return false;
      ++pos_;
    }
  }

  // A string; its unescaped text goes to `out` when given (\u escapes beyond ASCII become '?': no
  // field this transport reads holds any).
  bool string(std::string* out) {
    if (!peek('"')) return false;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        if (out) out->push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
      if (e == 'u') {
        const auto code = hex4();
        if (!code) return false;
        if (out) out->push_back(*code < 0x80 ? static_cast<char>(*code) : '?');
        continue;
      }
      const std::string_view simple = "\"\\/bfnrt";
      const std::string_view meaning = "\"\\/\b\f\n\r\t";
      const size_t which = simple.find(e);
      if (which == std::string_view::npos) return false;
      if (out) out->push_back(meaning[which]);
    }
    return false;
  }

  bool scalar() {
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) return pos_ += word.size(), true;
    }
    return number();
  }

  // Exactly four hex digits after \u (strtol would also take a sign, spaces or "0x").
  std::optional<unsigned> hex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const auto c = static_cast<unsigned char>(text_[pos_++]);
      if (!std::isxdigit(c)) return std::nullopt;
      code = code * 16 + static_cast<unsigned>(std::isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return code;
  }

  // JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? (no "+1", "01", "1.",
  // ".5").
  bool number() {
    auto digits = [&] {
      const size_t first = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ > first;
    };
    if (peek('-')) ++pos_;
    if (peek('0')) {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (peek('.') && (++pos_, !digits())) return false;
    if (peek('e') || peek('E')) {
      ++pos_;
      if (peek('+') || peek('-')) ++pos_;
      if (!digits()) return false;
    }
    return true;
  }

  bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  std::string_view text_;
  std::string_view key_;
  size_t pos_ = 0;
  std::optional<std::string_view> found_;
};

std::optional<std::string> decode_string(std::string_view raw) {
  std::string out;
  if (!Walker::decode(raw, &out)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> find_string(std::string_view json, std::string_view key) {
  const auto raw = Walker(json, key).run();
  if (!raw) return std::nullopt;
  return decode_string(*raw);
}

std::optional<double> find_number(std::string_view json, std::string_view key) {
  const auto raw = Walker(json, key).run();
  if (!raw || raw->empty() ||
      std::string_view("-0123456789").find(raw->front()) == std::string_view::npos) {
    return std::nullopt;
  }
  return std::strtod(std::string(*raw).c_str(), nullptr);
}

std::optional<std::vector<std::string>> find_string_array(std::string_view json,
                                                          std::string_view key) {
  const auto raw = Walker(json, key).run();
  if (!raw || raw->empty() || raw->front() != '[') return std::nullopt;
  std::vector<std::string> out;
  size_t i = 1;
  auto skip = [&] {
    while (i < raw->size() &&
           std::string_view(" \n\r\t,").find((*raw)[i]) != std::string_view::npos)
      ++i;
  };
  for (skip(); i < raw->size() && (*raw)[i] != ']'; skip()) {
    if ((*raw)[i] != '"') return std::nullopt;  // an element that is not a string
    size_t end = i + 1;
    while (end < raw->size() && (*raw)[end] != '"') end += (*raw)[end] == '\\' ? 2 : 1;
    auto element = decode_string(raw->substr(i, end + 1 - i));
    if (!element) return std::nullopt;
    out.push_back(std::move(*element));
    i = end + 1;
  }
  return out;
}

}  // namespace iota_streams::transports::json_scan
