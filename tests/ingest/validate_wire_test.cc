// The wire check of the field rules (WireFieldsValid) against its oracle, the reflection walk
// (ValidateFields): "the wire check passes" must imply "the reflection walk accepts", on every
// record polegraph-gen writes (with deliberately invalid ones among them) and on many mutated
// copies of them; and on canonical valid records the wire check must pass (it is the fast path).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fixture.h"
#include "ingest/internal/field_checks.h"
#include "ingest/internal/validate.h"

namespace polegraph::testing {
namespace {

using ingest_internal::ValidateFields;
using ingest_internal::WireFieldsValid;

struct Payloads {
  pb::SourceSystem source;
  std::int64_t extracted_at;
  std::vector<std::string> records;
};

// Every record payload of polegraph-gen's three extracts at scale 0.01 with 2 % bad records.
const std::vector<Payloads>& Generated() {
  static const std::vector<Payloads> all = [] {
    static TempDir dir;
    const std::string cmd =
        absl::StrCat(POLEGRAPH_GEN, " --scale 0.01 --seed 7 --bad-fraction 0.02", " --out ",
                     dir.File("gen"), " > /dev/null 2>&1");
    REQUIRE(std::system(cmd.c_str()) == 0);
    std::vector<Payloads> out;
    for (const char* name : {"pnc.pb", "pnd.pb", "anpr.pb"}) {
      auto reader = ExtractReader::Open(dir.File(absl::StrCat("gen/", name)));
      REQUIRE(reader.ok());
      Payloads p{(*reader)->header().source(), (*reader)->header().extracted_at(), {}};
      ExtractReader::Frame f;
      while ((*reader)->Next(&f).value()) p.records.emplace_back(f.payload);
      out.push_back(std::move(p));
    }
    return out;
  }();
  return all;
}

std::unique_ptr<google::protobuf::Message> MessageFor(pb::SourceSystem s) {
  if (s == pb::PNC) return std::make_unique<pb::PncRecord>();
  if (s == pb::PND) return std::make_unique<pb::PndRecord>();
  return std::make_unique<pb::AnprRecord>();
}

// Checks the implication on one payload; returns whether the reflection walk accepted it, or
// nothing when the payload does not parse.
std::optional<bool> Compare(const std::string& payload, google::protobuf::Message* m,
                            std::int64_t extracted_at) {
  if (!m->ParseFromString(payload)) return std::nullopt;
  const bool reflection = ValidateFields(*m, extracted_at).ok();
  const bool wire = WireFieldsValid(payload, m->GetDescriptor(), extracted_at);
  if (wire && !reflection) FAIL_CHECK(ValidateFields(*m, extracted_at).message());
  return reflection;
}

TEST_CASE("the wire check passes every valid generated record, and only valid ones") {
  std::size_t valid = 0, invalid = 0;
  for (const Payloads& p : Generated()) {
    auto m = MessageFor(p.source);
    for (const std::string& payload : p.records) {
      std::optional<bool> ok = Compare(payload, m.get(), p.extracted_at);
      if (!ok.has_value()) continue;
      if (*ok) {
        ++valid;
        // Canonical bytes of an accepted record: the fast path must take it.
        CHECK(WireFieldsValid(payload, m->GetDescriptor(), p.extracted_at));
      } else {
        ++invalid;
      }
    }
  }
  CHECK(valid > 5000);
  CHECK(invalid > 20);  // the generator's bad records that break a field rule
}

TEST_CASE("on mutated records, the wire check never passes what the reflection walk rejects") {
  std::mt19937_64 rng(20261126);
  std::size_t parsed = 0, rejected = 0;
  for (const Payloads& p : Generated()) {
    auto m = MessageFor(p.source);
    for (std::size_t i = 0; i < p.records.size(); i += 3) {
      for (int k = 0; k < 8; ++k) {
        std::string bytes = p.records[i];
        if (bytes.empty()) continue;
        switch (rng() % 4) {
          case 0:  // change one byte
            bytes[rng() % bytes.size()] = static_cast<char>(rng());
            break;
          case 1:  // duplicate the record: singular fields occur twice, messages merge
            bytes += p.records[(i + rng()) % p.records.size()];
            break;
          case 2:  // an unknown or out-of-range field at the end
            bytes += std::string{static_cast<char>(0xF8), static_cast<char>(0x07), 0x01};
            break;
          default:  // flip one bit in a few places
            for (int j = 0; j < 3; ++j) {
              bytes[rng() % bytes.size()] ^= static_cast<char>(1 << (rng() % 8));
            }
            break;
        }
        std::optional<bool> ok = Compare(bytes, m.get(), p.extracted_at);
        if (!ok.has_value()) continue;
        ++parsed;
        if (!*ok) ++rejected;
      }
    }
  }
  CHECK(parsed > 10000);
  CHECK(rejected > 100);
}

TEST_CASE("hand-made encodings the wire check leaves to the reflection walk") {
  pb::AnprRecord r = Read("R1", "AB12CDE", "S1", kT0);
  const std::string good = r.SerializeAsString();
  const google::protobuf::Descriptor* d = r.GetDescriptor();
  CHECK(WireFieldsValid(good, d, kExtractedAt));
  // A read after the extract time (+1 day) breaks a rule: both reject it.
  pb::AnprRecord late = Read("R2", "AB12CDE", "S1", kExtractedAt + 2 * 86400);
  CHECK_FALSE(WireFieldsValid(late.SerializeAsString(), d, kExtractedAt));
  CHECK_FALSE(ValidateFields(late, kExtractedAt).ok());
  // The same message twice: protobuf merges them (valid), the wire check defers (false).
  CHECK_FALSE(WireFieldsValid(good + good, d, kExtractedAt));
  pb::AnprRecord merged;
  REQUIRE(merged.ParseFromString(good + good));
  CHECK(ValidateFields(merged, kExtractedAt).ok());
  // An unknown field: the wire check defers, the reflection walk names it.
  const std::string unknown = good + std::string{static_cast<char>(0xF8), 0x07, 0x01};
  CHECK_FALSE(WireFieldsValid(unknown, d, kExtractedAt));
  pb::AnprRecord with_unknown;
  REQUIRE(with_unknown.ParseFromString(unknown));
  CHECK_FALSE(ValidateFields(with_unknown, kExtractedAt).ok());
}

}  // namespace
}  // namespace polegraph::testing
