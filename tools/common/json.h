// A small streaming JSON writer for the command-line tools (objects, arrays, strings with
// escaping, integers, finite doubles). Output is deterministic: keys appear in call order.
//
//   JsonWriter j(std::cout);
//   j.BeginObject(); j.Key("nodes"); j.Int(12); j.Key("name"); j.String("a\"b"); j.EndObject();
#ifndef POLEGRAPH_TOOLS_COMMON_JSON_H_
#define POLEGRAPH_TOOLS_COMMON_JSON_H_

#include <cmath>
#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

#include "absl/strings/str_format.h"

namespace polegraph::tools {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out, bool pretty = true) : out_(out), pretty_(pretty) {}

  void BeginObject() { Value(); out_ << '{'; stack_.push_back({true, true}); }
  void EndObject() { Close('}'); }
  void BeginArray() { Value(); out_ << '['; stack_.push_back({false, true}); }
  void EndArray() { Close(']'); }
  void Key(std::string_view k) {
    Separator();
    WriteString(k);
    out_ << (pretty_ ? ": " : ":");
    after_key_ = true;
  }
  void String(std::string_view s) { Value(); WriteString(s); }
  void Int(std::int64_t v) { Value(); out_ << v; }
  void Uint(std::uint64_t v) { Value(); out_ << v; }
  void Bool(bool v) { Value(); out_ << (v ? "true" : "false"); }
  void Null() { Value(); out_ << "null"; }
  // Non-finite numbers are written as null (JSON has no NaN).
  void Double(double v, int precision = 6) {
    Value();
    if (!std::isfinite(v)) {
      out_ << "null";
    } else {
      out_ << absl::StrFormat("%.*g", precision, v);
    }
  }
  // Convenience: "key": value.
  void Field(std::string_view k, std::string_view v) { Key(k); String(v); }
  void Field(std::string_view k, const char* v) { Key(k); String(v); }
  void Field(std::string_view k, std::int64_t v) { Key(k); Int(v); }
  void Field(std::string_view k, std::uint64_t v) { Key(k); Uint(v); }
  void Field(std::string_view k, int v) { Key(k); Int(v); }
  void Field(std::string_view k, unsigned v) { Key(k); Uint(v); }
  void Field(std::string_view k, double v) { Key(k); Double(v); }
  void Field(std::string_view k, bool v) { Key(k); Bool(v); }
  void Newline() { out_ << '\n'; }

 private:
  struct Level {
    bool object;
    bool first;
  };
  void Indent() {
    if (!pretty_) return;
    out_ << '\n';
    for (std::size_t i = 0; i < stack_.size(); ++i) out_ << "  ";
  }
  void Separator() {
    if (stack_.empty()) return;
    if (!stack_.back().first) out_ << ',';
    stack_.back().first = false;
    Indent();
  }
  void Value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    Separator();
  }
  void Close(char c) {
    bool empty = stack_.back().first;
    stack_.pop_back();
    if (!empty) Indent();
    out_ << c;
  }
  void WriteString(std::string_view s) {
    out_ << '"';
    for (unsigned char ch : s) {
      switch (ch) {
        case '"': out_ << "\\\""; break;
        case '\\': out_ << "\\\\"; break;
        case '\n': out_ << "\\n"; break;
        case '\r': out_ << "\\r"; break;
        case '\t': out_ << "\\t"; break;
        default:
          if (ch < 0x20) {
            out_ << absl::StrFormat("\\u%04x", ch);
          } else {
            out_ << static_cast<char>(ch);
          }
      }
    }
    out_ << '"';
  }

  std::ostream& out_;
  bool pretty_;
  bool after_key_ = false;
  std::vector<Level> stack_;
};

}  // namespace polegraph::tools

#endif  // POLEGRAPH_TOOLS_COMMON_JSON_H_
