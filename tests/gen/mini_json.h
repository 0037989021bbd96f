// A minimal JSON reader for the generator tests (truth.json): objects, arrays, strings with
// the escapes JsonWriter emits, numbers, booleans, null. Throws std::runtime_error on bad input
// (test code only).
#ifndef POLEGRAPH_TESTS_GEN_MINI_JSON_H_
#define POLEGRAPH_TESTS_GEN_MINI_JSON_H_

#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace polegraph::testing {

struct Json {
  enum Type { kNull, kBool, kNumber, kString, kArray, kObject } type = kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  const Json& operator[](const std::string& key) const {
    auto it = object.find(key);
    if (it == object.end()) throw std::runtime_error("missing key " + key);
    return it->second;
  }
  bool Has(const std::string& key) const { return object.count(key) > 0; }
  std::uint64_t Uint() const { return static_cast<std::uint64_t>(number); }

  static Json Parse(const std::string& text) {
    std::size_t pos = 0;
    Json v = ParseValue(text, pos);
    Skip(text, pos);
    if (pos != text.size()) throw std::runtime_error("trailing characters");
    return v;
  }

 private:
  static void Skip(const std::string& s, std::size_t& p) {
    while (p < s.size() && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' || s[p] == '\t')) ++p;
  }
  static void Expect(const std::string& s, std::size_t& p, char c) {
    Skip(s, p);
    if (p >= s.size() || s[p] != c) throw std::runtime_error(std::string("expected ") + c);
    ++p;
  }
  static std::string ParseString(const std::string& s, std::size_t& p) {
    Expect(s, p, '"');
    std::string out;
    while (p < s.size() && s[p] != '"') {
      if (s[p] == '\\') {
        char e = s[++p];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'u':
            out += static_cast<char>(std::strtol(s.substr(p + 1, 4).c_str(), nullptr, 16));
            p += 4;
            break;
          default:
            out += e;
        }
        ++p;
      } else {
        out += s[p++];
      }
    }
    ++p;
    return out;
  }
  static Json ParseValue(const std::string& s, std::size_t& p) {
    Skip(s, p);
    Json v;
    if (p >= s.size()) throw std::runtime_error("unexpected end");
    char c = s[p];
    if (c == '{') {
      v.type = kObject;
      ++p;
      Skip(s, p);
      if (s[p] == '}') {
        ++p;
        return v;
      }
      for (;;) {
        std::string key = ParseString(s, p);
        Expect(s, p, ':');
        v.object[key] = ParseValue(s, p);
        Skip(s, p);
        if (s[p] == ',') {
          ++p;
          continue;
        }
        Expect(s, p, '}');
        return v;
      }
    }
    if (c == '[') {
      v.type = kArray;
      ++p;
      Skip(s, p);
      if (s[p] == ']') {
        ++p;
        return v;
      }
      for (;;) {
        v.array.push_back(ParseValue(s, p));
        Skip(s, p);
        if (s[p] == ',') {
          ++p;
          continue;
        }
        Expect(s, p, ']');
        return v;
      }
    }
    if (c == '"') {
      v.type = kString;
      v.string = ParseString(s, p);
      return v;
    }
    if (s.compare(p, 4, "true") == 0) {
      v.type = kBool;
      v.boolean = true;
      p += 4;
      return v;
    }
    if (s.compare(p, 5, "false") == 0) {
      v.type = kBool;
      p += 5;
      return v;
    }
    if (s.compare(p, 4, "null") == 0) {
      p += 4;
      return v;
    }
    char* end = nullptr;
    v.type = kNumber;
    v.number = std::strtod(s.c_str() + p, &end);
    if (end == s.c_str() + p) throw std::runtime_error("bad value");
    p = static_cast<std::size_t>(end - s.c_str());
    return v;
  }
};

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_GEN_MINI_JSON_H_
