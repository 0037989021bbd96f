// Shared fixture for the polegraph-gen tests: runs the built generator (POLEGRAPH_GEN) into a
// temporary directory, reads the extracts back with ExtractReader and truth.json with a small
// JSON reader, and folds names the way the ingest rules do (an oracle independent of the
// generator's own variant code).
#ifndef POLEGRAPH_TESTS_GEN_GEN_FIXTURE_H_
#define POLEGRAPH_TESTS_GEN_GEN_FIXTURE_H_

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gen/mini_json.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace polegraph::gentest {

namespace fs = std::filesystem;
using polegraph::testing::Json;
namespace pb = polegraph::pb;

inline fs::path Generate(const std::string& name, double scale, int seed, double bad = 0) {
  fs::path dir = fs::temp_directory_path() / absl::StrCat("polegraph-gen-test-", getpid()) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string cmd =
      absl::StrCat(POLEGRAPH_GEN, " --scale ", scale, " --seed ", seed, " --bad-fraction ", bad,
                   " --out ", dir.string(), " > ", (dir / "summary.json").string());
  REQUIRE(std::system(cmd.c_str()) == 0);
  return dir;
}

inline std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Json Truth(const fs::path& dir) { return Json::Parse(Slurp(dir / "truth.json")); }

template <typename Record>
inline std::vector<Record> ReadAll(const fs::path& path) {
  auto reader = polegraph::ExtractReader::Open(path.string());
  REQUIRE(reader.ok());
  std::vector<Record> out;
  polegraph::ExtractReader::Frame frame;
  for (;;) {
    auto more = (*reader)->Next(&frame);
    REQUIRE(more.ok());
    if (!*more) break;
    REQUIRE(frame.index == out.size());
    Record r;
    REQUIRE((*reader)->Parse(frame.payload, &r).ok());
    out.push_back(std::move(r));
  }
  return out;
}

inline std::string Norm(const std::string& vrm) {
  std::string out;
  for (char c : vrm) {
    if (c == ' ') continue;
    out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  }
  return out;
}

// PNC ID as the ingest rules key it: "YY/NNNNNNNA" with the serial padded to 7 digits.
inline std::string PadPncId(const std::string& id) {
  auto slash = id.find('/');
  if (slash == std::string::npos) return id;
  std::string serial = id.substr(slash + 1, id.size() - slash - 2);
  return id.substr(0, slash + 1) + std::string(7 - std::min<std::size_t>(7, serial.size()), '0') +
         serial + id.back();
}

struct Extract {
  std::vector<pb::PncRecord> pnc;
  std::vector<pb::PndRecord> pnd;
  std::vector<pb::AnprRecord> anpr;
  Json truth;
};
inline Extract Load(const fs::path& dir) {
  return {ReadAll<pb::PncRecord>(dir / "pnc.pb"), ReadAll<pb::PndRecord>(dir / "pnd.pb"),
          ReadAll<pb::AnprRecord>(dir / "anpr.pb"), Truth(dir)};
}

// Accent and punctuation folding for the names the generator uses (an oracle for the
// duplicates check, independent of the generator's variant code).
inline std::string Fold(const std::string& s) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"é", "E"}, {"è", "E"}, {"ë", "E"}, {"ê", "E"}, {"É", "E"}, {"á", "A"}, {"à", "A"},
      {"í", "I"}, {"ó", "O"}, {"ô", "O"}, {"Ó", "O"}, {"ú", "U"}, {"ü", "U"}, {"ñ", "N"},
      {"ś", "S"}, {"ń", "N"}, {"ț", "T"}, {"ç", "C"}, {"î", "I"}, {"Ú", "U"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool hit = false;
    for (const auto& [from, to] : kMap) {
      std::string f(from);
      if (s.compare(i, f.size(), f) == 0) {
        out += to;
        i += f.size();
        hit = true;
        break;
      }
    }
    if (hit) continue;
    char c = s[i++];
    if (c == '\'') continue;
    if (c == '-') c = ' ';
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
inline std::string FoldName(const pb::PersonName& n) {
  return Fold(n.forename()) + "|" + Fold(n.surname());
}
inline bool SameDate(const pb::Date& a, const pb::Date& b) {
  return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
}

}  // namespace polegraph::gentest

#endif  // POLEGRAPH_TESTS_GEN_GEN_FIXTURE_H_
