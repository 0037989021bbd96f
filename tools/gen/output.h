// The extract writers of polegraph-gen and what they report back for truth.json.
// Each writer streams one file through polegraph::ExtractWriter, in a fixed order, and records
// the planted facts it wrote (duplicates, misreads) and the records it made invalid.
#ifndef POLEGRAPH_TOOLS_GEN_OUTPUT_H_
#define POLEGRAPH_TOOLS_GEN_OUTPUT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"
#include "rng.h"
#include "world.h"

namespace polegraph::gen {

struct BadRecord {
  std::string file;
  std::uint64_t index = 0;
  std::string reason;
};
struct DuplicateRecord {
  std::string person;  // "person:<PNC ID>"
  std::uint64_t index = 0;
  std::string name;  // as written
};
struct Misread {
  std::string true_vrm, read_vrm;
  std::uint64_t index = 0;
};

struct Truth {
  std::uint64_t pnc_records = 0, pnd_records = 0, anpr_records = 0;
  std::uint64_t nominals = 0, vehicles = 0, crimes = 0, intelligence = 0, custody = 0;
  std::uint64_t sites = 0, reads = 0;
  std::vector<BadRecord> bad_records;
  std::vector<DuplicateRecord> duplicates;
  std::vector<Misread> misreads;
};

absl::Status WritePnc(const World& world, const std::string& path, Truth* truth);
absl::Status WritePnd(const World& world, const std::string& path, Truth* truth);
absl::Status WriteAnpr(const World& world, const std::string& path, Truth* truth);
absl::Status WriteTruth(const World& world, const Truth& truth, const std::string& path);

// Make a record invalid in one of the ways ingest must quarantine; returns the reason
// ("bad_vrm", "impossible_date", "missing_key", "unknown_enum", "empty_record_id",
// "invalid_utf8").
std::string CorruptPnc(pb::PncRecord* record, Rng& rng);
std::string CorruptPnd(pb::PndRecord* record, Rng& rng);
std::string CorruptAnpr(pb::AnprRecord* record, Rng& rng);

// Fills a proto Date from a day number (days since 1970-01-01).
void SetDate(std::int64_t epoch_day, pb::Date* out);

}  // namespace polegraph::gen

#endif  // POLEGRAPH_TOOLS_GEN_OUTPUT_H_
