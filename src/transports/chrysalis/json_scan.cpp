#include "json_scan.h"

#include <cstdlib>

namespace iota_streams::transports::json_scan {
namespace {

constexpr int kMaxDepth = 32;

// A recursive-descent walk that validates the document and remembers where the first member named
// `key` has its value.
class Walker {
 public:
  Walker(std::string_view text, std::string_view key) : text_(text), key_(key) {}

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
        if (pos_ + 4 > text_.size()) return false;
        const std::string hex(text_.substr(pos_, 4));
        char* end = nullptr;
        const long code = std::strtol(hex.c_str(), &end, 16);
        if (end != hex.c_str() + 4) return false;
        pos_ += 4;
        if (out) out->push_back(code < 0x80 ? static_cast<char>(code) : '?');
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
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) return false;
    const std::string number(text_.substr(start, pos_ - start));
    char* end = nullptr;
    std::strtod(number.c_str(), &end);
    return end == number.c_str() + number.size();
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
  // Reuse the walker on the value alone: a document that is one string.
  std::string out;
  if (raw.empty() || raw.front() != '"') return std::nullopt;
  const std::string wrapped = "{\"v\":" + std::string(raw) + "}";
  Walker check(wrapped, "v");
  if (!check.run()) return std::nullopt;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out.push_back(raw[i]);
      continue;
    }
    const char e = raw[++i];
    if (e == 'u') {
      const long code = std::strtol(std::string(raw.substr(i + 1, 4)).c_str(), nullptr, 16);
      out.push_back(code < 0x80 ? static_cast<char>(code) : '?');
      i += 4;
      continue;
    }
    const size_t which = std::string_view("\"\\/bfnrt").find(e);
    out.push_back(std::string_view("\"\\/\b\f\n\r\t")[which]);
  }
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
