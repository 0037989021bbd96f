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
  // Threads that verify, parse and build (>= 1, else InvalidArgument). One thread applies
  // the parsed records in order whatever the count; the result does not depend on it.
  int threads = 1;
  bool salvage = false;   // keep the intact records of a damaged file (see above)
  // Files are parsed in chunks of this many records, in parallel, and applied in order. The
  // result does not depend on it; smaller chunks use less memory and balance better, larger
  // ones cost less bookkeeping. Must be at least 1.
  std::uint64_t records_per_chunk = 16384;
  // The parser limits (extract.h) every file is opened with: a record frame above
  // limits.max_record_bytes is damage (DataLoss), a record nested deeper than
  // limits.max_nesting is quarantined. Both must be positive (else InvalidArgument).
  ExtractLimits limits;
  // When set, Build streams the snapshot into this writer (polegraph/io.h) while it builds;
  // the caller then calls snapshot->Commit(*result.graph). Not owned.
  SnapshotWriter* snapshot = nullptr;
};

// A record that failed validation and was left out of the graph.
struct QuarantineEntry {
  std::string file;           // the path as given to Ingest
  std::uint64_t offset = 0;   // byte offset of the record's frame
  std::uint64_t index = 0;    // 0-based record index in the file
  std::string record_id;      // empty when the record did not parse
  // A message for a person, naming the rule and the field, e.g. "vehicle: invalid VRM '!!'",
  // "record marking: classification unspecified", or protobuf's parse error with the field
  // path. Its wording is not a stable vocabulary (it is not truth.json's `bad_vrm`, ...):
  // show it, do not match on it.
  std::string reason;
};

// A damaged file that was salvaged: records from `offset` on were not read.
struct SalvageNote {
  std::string file;
  std::uint64_t offset = 0;
  std::string error;
};

// Counts for one input file: read = accepted + quarantined (for a salvaged file, of the
// records before the damage).
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

// What Ingest made: the graph (never null on success) and the report of what it read.
struct IngestResult {
  std::shared_ptr<const Graph> graph;
  IngestReport report;
};

// Ingests the extract files at `paths` (any mix of PNC, PND and ANPR, in any order; each file's
// header names its source) into one graph. Quarantined records are not errors (see the
// report). Errors, before any graph is made:
//   InvalidArgument    options.threads < 1, options.records_per_chunk < 1, limits not
//                      positive, or a path that is not a regular file;
//   NotFound, PermissionDenied or another errno status
//                      a file that cannot be opened (ExtractReader::Open), naming it;
//   DataLoss           a damaged file (bad magic, a frame or trailer check fails), naming the
//                      file and byte offset, unless options.salvage (then it is reported in
//                      IngestReport::salvaged instead); also, salvage or not, a file that
//                      changed or shrank after it was verified, found when its records are
//                      read again to be parsed ("the file changed after it was verified");
//                      an I/O error reading a file gives its errno status;
//   FailedPrecondition a file of another schema version or an unspecified source;
//   GraphBuilder::Build's errors (e.g. more than 32 distinct caveats), and the snapshot
//                      writer's when options.snapshot is set.
// When several files fail, the error is that of the first in path (string) order, the same
// whatever the order of `paths`.
absl::StatusOr<IngestResult> Ingest(const std::vector<std::string>& paths,
                                    const IngestOptions& options = {});

// Writes the quarantine as JSON lines ({"file","offset","index","record_id","reason"}), in
// report.quarantine's order, replacing `path`. Not atomic (unlike SaveSnapshot): a failure
// may leave a partial file. Unavailable when the file cannot be created (a missing or
// read-only directory); DataLoss when the write or close fails (a full disk).
absl::Status WriteQuarantine(const IngestReport& report, const std::string& path);

}  // namespace polegraph

#endif  // POLEGRAPH_INGEST_H_
