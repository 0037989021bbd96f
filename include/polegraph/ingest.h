// polegraph/ingest.h — turning PNC, PND and ANPR extract files into one graph snapshot.
//
// Ingest verifies every file whole, parses its records in parallel chunks, validates each
// record, and resolves people, vehicles, plates, locations and offences across sources onto
// single nodes:
//   - strong keys merge: PNC ID, VIN, normalised VRM, crime reference (the CRO number is kept
//     as a property of the PNC nominal: PND person references carry no CRO to match on);
//   - people without a PNC ID merge on folded name + date of birth (recorded as a merge that
//     can be explained);
//   - a record that fails a rule (bad VRM, impossible date, missing key, unknown enum value,
//     text that is not UTF-8, a payload that does not parse) is quarantined with file, offset,
//     record id and reason; the rest of the file is ingested. read = accepted + quarantined.
// A damaged file (a frame or trailer check fails) fails the whole ingest with its path and
// offset, and no graph is produced — unless `salvage` is set, in which case the intact records
// before the damage are kept and the damaged tail is reported in IngestReport::salvaged.
// The result is the same graph, byte for byte once saved, at any thread count and whatever the
// order of `paths`.
//
// Example:
//   polegraph::IngestOptions opt; opt.threads = 2;
//   auto r = polegraph::Ingest({"pnc.pb", "pnd.pb", "anpr.pb"}, opt);
//   if (!r.ok()) { /* r.status().message() names the file and offset */ }
//   std::shared_ptr<const polegraph::Graph> g = r->graph;
//   for (const auto& q : r->report.quarantine) { /* q.file, q.offset, q.reason */ }
#ifndef POLEGRAPH_INGEST_H_
#define POLEGRAPH_INGEST_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "polegraph/extract.h"
#include "polegraph/graph.h"

namespace polegraph {

struct IngestOptions {
  int threads = 1;
  bool salvage = false;   // keep the intact records of a damaged file (see above)
  // Files are parsed in chunks of this many records, in parallel, and applied in order. The
  // result does not depend on it; smaller chunks use less memory and balance better, larger
  // ones cost less bookkeeping. Must be at least 1.
  std::uint64_t records_per_chunk = 16384;
  ExtractLimits limits;
  // When set, Build streams the snapshot into this writer (polegraph/io.h) while it builds;
  // the caller then calls snapshot->Commit(*result.graph). Not owned.
  SnapshotWriter* snapshot = nullptr;
};

struct QuarantineEntry {
  std::string file;
  std::uint64_t offset = 0;   // byte offset of the record's frame
  std::uint64_t index = 0;    // 0-based record index in the file
  std::string record_id;      // empty when the record did not parse
  std::string reason;
};

// A damaged file that was salvaged: records from `offset` on were not read.
struct SalvageNote {
  std::string file;
  std::uint64_t offset = 0;
  std::string error;
};

struct FileReport {
  std::string file;
  Source source = Source::kPnc;
  std::uint64_t read = 0, accepted = 0, quarantined = 0;
};

struct IngestReport {
  std::uint64_t read = 0, accepted = 0, quarantined = 0;
  std::vector<FileReport> files;           // in the order of `paths`
  std::vector<QuarantineEntry> quarantine; // sorted by (file, offset)
  std::vector<SalvageNote> salvaged;
  std::uint64_t merges = 0;                // records resolved onto an existing node by a rule
  double seconds = 0;                      // wall time of the whole Ingest call
  // Wall seconds of its phases: verifying and chunking the files; parsing the chunks while
  // applying them in order (overlapped); building the graph. Of apply_seconds, the applying
  // thread spent apply_parse_seconds parsing chunks itself or interning a chunk's property
  // values (the in-order stage ahead of applying, when no other thread had taken it), and
  // apply_wait_seconds waiting for other threads' chunks: the rest is entity resolution, the
  // sequential part.
  double scan_seconds = 0, apply_seconds = 0, build_seconds = 0;
  double apply_parse_seconds = 0, apply_wait_seconds = 0;
};

struct IngestResult {
  std::shared_ptr<const Graph> graph;
  IngestReport report;
};

absl::StatusOr<IngestResult> Ingest(const std::vector<std::string>& paths,
                                    const IngestOptions& options = {});

// Writes the quarantine as JSON lines ({"file","offset","index","record_id","reason"}).
absl::Status WriteQuarantine(const IngestReport& report, const std::string& path);

}  // namespace polegraph

#endif  // POLEGRAPH_INGEST_H_
