// Ingest (ingest.h): extract files -> one graph snapshot.
//
// How, in three phases:
//   (a) in parallel, one task per file (at most options.threads at once): read, parse into a
//       reused message, validate and turn each record into normalised facts, or quarantine it
//       (read_file.cc, facts_*.cc, validate.cc);
//   then, sequentially: reads naming a site that no ingested ANPR extract defines are
//       quarantined (a read may name a site of another extract, so this needs every file);
//   (b) apply the files' facts to one GraphBuilder in a fixed order — PNC, then PND, then ANPR;
//       within a source by header (force, extracted_at, extract_id), then path — resolving
//       entities (resolve.cc); PNC first, so PND and ANPR records find the PNC people and
//       vehicles; the name and VRM indexes are built from every PNC file before any is applied;
//   (c) build the snapshot with options.threads.
// Nothing depends on the thread count or the order of `paths`: facts are per file, and the
// apply order and the builder's output order depend only on file contents and paths.
// Cost: O(total input) for (a) and (b), plus the builder's sort in (c).
#include "polegraph/ingest.h"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <tuple>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/resolve.h"
#include "parallel/parallel.h"

namespace polegraph {
namespace {

using ingest_internal::FileFacts;
using ingest_internal::RecordFacts;

// Quarantines every read whose site no ANPR file defines.
void CheckReadSites(std::vector<FileFacts>& files) {
  absl::flat_hash_set<std::string> sites;
  for (const FileFacts& f : files) {
    if (f.source == Source::kAnpr) sites.insert(f.sites.begin(), f.sites.end());
  }
  for (FileFacts& f : files) {
    if (f.source != Source::kAnpr) continue;
    std::vector<RecordFacts> kept;
    kept.reserve(f.records.size());
    for (RecordFacts& r : f.records) {
      if (r.read_site == ingest_internal::kNone) {
        kept.push_back(std::move(r));
        continue;
      }
      const std::string& site = f.nodes[r.node_begin + r.read_site].key;
      if (sites.contains(site)) {
        kept.push_back(std::move(r));
        continue;
      }
      QuarantineEntry q;
      q.file = f.path;
      q.offset = r.offset;
      q.index = r.index;
      q.record_id = r.record_id;
      q.reason = absl::StrCat("read names site '", site.substr(5),
                              "' that no ingested ANPR extract defines");
      f.quarantine.push_back(std::move(q));
    }
    f.records = std::move(kept);
  }
}

// The apply order of files: source, then header (force, extracted_at, extract_id), then path.
std::vector<std::size_t> ApplyOrder(const std::vector<FileFacts>& files) {
  std::vector<std::size_t> order(files.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto key = [&](std::size_t i) {
    const FileFacts& f = files[i];
    return std::make_tuple(static_cast<int>(f.source), std::string_view(f.header.force()),
                           f.header.extracted_at(), std::string_view(f.header.extract_id()),
                           std::string_view(f.path), i);
  };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  return order;
}

}  // namespace

absl::StatusOr<IngestResult> Ingest(const std::vector<std::string>& paths,
                                    const IngestOptions& options) {
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("IngestOptions::threads is ", options.threads, "; it must be at least 1"));
  }
  const absl::Time start = absl::Now();
  std::vector<FileFacts> files(paths.size());
  // Largest files first (longest-processing-time-first), so that with fewer threads than files
  // the last file to start is a small one and the threads finish together. Each file's facts go
  // to its own slot, so the result does not depend on this order.
  std::vector<std::size_t> by_size(paths.size());
  {
    std::vector<std::uintmax_t> size(paths.size(), 0);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      std::error_code ec;
      const std::uintmax_t n = std::filesystem::file_size(paths[i], ec);
      size[i] = ec ? 0 : n;
    }
    std::iota(by_size.begin(), by_size.end(), std::size_t{0});
    std::stable_sort(by_size.begin(), by_size.end(),
                     [&](std::size_t a, std::size_t b) { return size[a] > size[b]; });
  }
  internal::ParallelForDynamic(
      0, paths.size(), options.threads,
      [&](std::size_t k) {
        const std::size_t i = by_size[k];
        files[i] = ingest_internal::ReadFileFacts(paths[i], i, options);
      },
      /*grain=*/1);

  // The first failure in path order fails the ingest (the same one whatever `paths` order).
  std::vector<std::size_t> by_path(files.size());
  std::iota(by_path.begin(), by_path.end(), std::size_t{0});
  std::sort(by_path.begin(), by_path.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(paths[a], a) < std::tie(paths[b], b);
  });
  for (std::size_t i : by_path) {
    if (!files[i].status.ok()) return files[i].status;
  }

  CheckReadSites(files);

  GraphBuilder builder;
  {
    std::size_t records = 0, nodes = 0, props = 0, edges = 0;
    for (const FileFacts& f : files) {
      records += f.records.size(), nodes += f.nodes.size(), props += f.props.size();
      edges += f.edges.size();
    }
    // A VRM-only vehicle adds a vehicle, a plate and a DISPLAYS edge: leave some headroom.
    builder.Reserve(records, nodes + nodes / 8, props, edges + edges / 8);
  }
  ingest_internal::Resolver resolver(&builder);
  const std::vector<std::size_t> order = ApplyOrder(files);
  for (std::size_t i : order) {
    if (files[i].source == Source::kPnc) resolver.Index(files[i]);
  }
  for (std::size_t i : order) {
    const FileFacts& f = files[i];
    if (!f.header_ok) continue;
    ExtractInfo info;
    info.path = f.path;
    info.source = f.source;
    info.force = f.header.force();
    info.extracted_at = f.header.extracted_at();
    info.schema_version = f.header.schema_version();
    info.extract_id = f.header.extract_id();
    info.record_count = f.read;
    info.digest = f.digest;
    resolver.Apply(f, builder.AddExtract(std::move(info)));
  }

  IngestResult result;
  IngestReport& report = result.report;
  for (FileFacts& f : files) {
    FileReport fr;
    fr.file = f.path;
    fr.source = f.source;
    fr.read = f.read;
    fr.accepted = f.records.size();
    fr.quarantined = f.quarantine.size();
    report.read += fr.read;
    report.accepted += fr.accepted;
    report.quarantined += fr.quarantined;
    report.files.push_back(std::move(fr));
    for (QuarantineEntry& q : f.quarantine) report.quarantine.push_back(std::move(q));
    if (f.salvage.has_value()) report.salvaged.push_back(*std::move(f.salvage));
  }
  std::sort(report.quarantine.begin(), report.quarantine.end(),
            [](const QuarantineEntry& a, const QuarantineEntry& b) {
              return std::tie(a.file, a.offset, a.index) < std::tie(b.file, b.offset, b.index);
            });
  std::sort(report.salvaged.begin(), report.salvaged.end(),
            [](const SalvageNote& a, const SalvageNote& b) {
              return std::tie(a.file, a.offset) < std::tie(b.file, b.offset);
            });
  report.merges = resolver.merges();
  files.clear();

  absl::StatusOr<std::shared_ptr<const Graph>> graph = std::move(builder).Build(options.threads);
  if (!graph.ok()) return graph.status();
  result.graph = *std::move(graph);
  report.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return result;
}

}  // namespace polegraph
