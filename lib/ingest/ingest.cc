// Ingest (ingest.h): extract files -> one graph snapshot.
//
// How:
//   (a) open every file and verify it whole (frame CRCs, trailer count and digest), in
//       parallel over files, cutting its records into chunks of a fixed number of frames
//       (ExtractReader::ScanChunks). A damaged file fails the ingest here, before anything is
//       applied (or, with `salvage`, keeps its intact chunks);
//   (b) parse the chunks — validate each record and turn it into normalised facts, or
//       quarantine it — with options.threads threads, while the calling thread (c) applies
//       them in a fixed order to one GraphBuilder, resolving entities (resolve.cc): PNC, then
//       PND, then ANPR; within a source by header (force, extracted_at, extract_id), then
//       path; within a file in record order. PNC goes first so that PND and ANPR records find
//       the PNC people and vehicles, and the name and VRM indexes are built from every PNC
//       chunk before any is applied (PNC is read twice: to index — mostly straight from the
//       wire bytes, DecodePncIndex — then to apply). Between parsing and applying, the
//       property values of each chunk are interned into the builder's value pool by an
//       in-order pipeline stage (InternChunkValues), on whichever thread is free, so that the
//       applier — the sequential critical path — only adds properties by value id (at scale
//       10 that took about 4 of its 13 CPU seconds off it). A chunk's facts are freed once used,
//       and parsing runs at most a few chunks ahead of applying, so facts never hold more
//       than a window of chunks (ChunkPipeline);
//   (d) build the snapshot with options.threads.
// Nothing depends on the thread count or the order of `paths`: the chunks depend only on the
// files, each chunk's facts only on its records, and the apply order only on file contents
// and paths.
// Cost: O(total input) for (a)-(c), plus the builder's sort in (d).
#include "polegraph/ingest.h"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <optional>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ingest/internal/facts.h"
#include "ingest/internal/pipeline.h"
#include "ingest/internal/resolve.h"
#include "parallel/parallel.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/common.pb.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace polegraph {
namespace {

using ingest_internal::ChunkFacts;
using ingest_internal::Resolver;

constexpr std::size_t kWindowPerThread = 4;  // chunks parsed ahead of the applier, per thread

// One extract, opened and verified whole (or, salvaged, up to its damage).
struct OpenedFile {
  std::string path;
  std::unique_ptr<ExtractReader> reader;  // null when the file could not be opened
  Source source = Source::kPnc;
  std::vector<ExtractReader::Chunk> chunks;
  std::uint64_t read = 0;  // record frames read (intact)
  std::uint32_t digest = 0;
  std::optional<SalvageNote> salvage;
  absl::Status status;  // a failure that fails the whole ingest
};

OpenedFile OpenAndScan(const std::string& path, const IngestOptions& options) {
  OpenedFile f;
  f.path = path;
  absl::StatusOr<std::unique_ptr<ExtractReader>> opened = ExtractReader::Open(path, options.limits);
  if (!opened.ok()) {
    if (options.salvage && opened.status().code() == absl::StatusCode::kDataLoss) {
      f.salvage = SalvageNote{path, 0, std::string(opened.status().message())};
    } else {
      f.status = opened.status();
    }
    return f;
  }
  absl::StatusOr<Source> source = ingest_internal::HeaderSource((*opened)->header(), path);
  if (!source.ok()) {
    f.status = source.status();
    return f;
  }
  f.source = *source;
  f.reader = *std::move(opened);
  absl::Status scanned = f.reader->ScanChunks(options.records_per_chunk, &f.chunks);
  for (const ExtractReader::Chunk& c : f.chunks) f.read += c.records;
  if (!scanned.ok()) {
    if (options.salvage && scanned.code() == absl::StatusCode::kDataLoss) {
      f.salvage = SalvageNote{path, f.reader->position(), std::string(scanned.message())};
    } else {
      f.status = scanned;
      f.chunks.clear();
    }
    return f;
  }
  f.digest = f.reader->trailer().digest();
  // The scan read the file through a small buffer (nothing of it stays resident, which at
  // scale 10 would be 1.4 GB, half the peak); each chunk is read again when parsed.
  return f;
}

// The apply order of files: source, then header (force, extracted_at, extract_id), then path.
// Files whose header could not be read (salvaged at offset 0) are left out.
std::vector<std::size_t> ApplyOrder(const std::vector<OpenedFile>& files) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files[i].reader != nullptr) order.push_back(i);
  }
  auto key = [&](std::size_t i) {
    const OpenedFile& f = files[i];
    const pb::ExtractHeader& h = f.reader->header();
    return std::make_tuple(static_cast<int>(f.source), std::string_view(h.force()),
                           h.extracted_at(), std::string_view(h.extract_id()),
                           std::string_view(f.path), i);
  };
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  return order;
}

// A chunk to parse and apply: file number and chunk number within it.
struct Task {
  std::size_t file;
  std::size_t chunk;
};

}  // namespace

absl::StatusOr<IngestResult> Ingest(const std::vector<std::string>& paths,
                                    const IngestOptions& options) {
  if (options.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("IngestOptions::threads is ", options.threads, "; it must be at least 1"));
  }
  if (options.records_per_chunk < 1) {
    return absl::InvalidArgumentError("IngestOptions::records_per_chunk must be at least 1");
  }
  const absl::Time start = absl::Now();
  std::vector<OpenedFile> files(paths.size());
  // Largest files first (longest-processing-time-first), so that with fewer threads than files
  // the last file to start is a small one. Each file goes to its own slot.
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
      [&](std::size_t k) { files[by_size[k]] = OpenAndScan(paths[by_size[k]], options); },
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

  const absl::Time scanned = absl::Now();
  // Tasks: the PNC chunks once to index them, then every chunk to apply it. PNC is read
  // twice rather than held whole between the two passes, so memory stays bounded; the first
  // pass keeps only the index entries (decoded from the wire bytes, without protobuf, for every
  // record DecodePncIndex takes), and the second skips the field rules of the records the
  // first accepted (`trusted`).
  const std::vector<std::size_t> order = ApplyOrder(files);
  std::vector<Task> tasks;
  std::uint64_t records = 0;
  for (std::size_t i : order) {
    if (files[i].source != Source::kPnc) continue;
    for (std::size_t c = 0; c < files[i].chunks.size(); ++c) tasks.push_back(Task{i, c});
  }
  const std::size_t index_tasks = tasks.size();
  for (std::size_t i : order) {
    for (std::size_t c = 0; c < files[i].chunks.size(); ++c) tasks.push_back(Task{i, c});
    records += files[i].read;
  }
  // The apply pass of PNC chunk j (task index_tasks + j: PNC sorts first in `order`) reads
  // what indexing chunk j (task j) wrote into `trusted`, so it starts after task j's release.
  std::vector<std::vector<std::uint8_t>> trusted(files.size());  // PNC: by record index
  std::vector<std::size_t> after(tasks.size(), 0);
  for (std::size_t j = 0; j < index_tasks; ++j) {
    after[index_tasks + j] = j + 1;
    trusted[tasks[j].file].resize(files[tasks[j].file].read, 0);
  }

  // Protobuf builds a file's descriptors on first use, inside pthread_once. Built here, on the
  // calling thread and before the big allocations, so no worker builds them: an exception (out
  // of memory) unwinding through pthread_once needs glibc to load libgcc_s, and when memory is
  // that short glibc aborts instead.
  pb::RecordMeta::descriptor();  // common.proto (each file's descriptors have their own once)
  pb::PncRecord::descriptor();
  pb::PndRecord::descriptor();
  pb::AnprRecord::descriptor();

  IngestResult result;
  GraphBuilder builder;
  // A record asserts about two nodes and makes about two edges and three properties; a
  // VRM-only vehicle adds a vehicle, a plate and a DISPLAYS edge. Headroom, not a bound.
  builder.Reserve(records, 3 * records, 4 * records, 2 * records);
  // Held by pointer so that it can be freed before Build: its maps (the PNC name and VRM
  // indexes, the sites, the origin of every node) are not needed once every record is applied.
  auto resolver = std::make_unique<Resolver>(&builder);
  std::vector<std::uint64_t> accepted(files.size(), 0);
  std::vector<std::vector<QuarantineEntry>> quarantine(files.size());
  {
    ingest_internal::ChunkPipeline pipeline(
        tasks.size(), options.threads, kWindowPerThread * options.threads,
        [&](std::size_t t, ingest_internal::ChunkParser& parser) {
          const std::size_t i = tasks[t].file;
          const OpenedFile& f = files[i];
          return parser.Parse(*f.reader, f.chunks[tasks[t].chunk], /*index_only=*/t < index_tasks,
                              trusted[i].empty() ? nullptr : trusted[i].data());
        },
        std::move(after),
        // The values of the chunks to apply are interned ahead of the applier, in order, by
        // whichever thread gets there first (the applier then adds properties by id).
        [&](std::size_t t, ingest_internal::ParsedChunk& chunk) {
          if (t >= index_tasks) {
            ingest_internal::InternChunkValues(&builder, chunk.facts, &chunk.value_ids);
          }
        });
    for (std::size_t t = 0; t < index_tasks; ++t) {
      std::shared_ptr<const ingest_internal::ParsedChunk> parsed = pipeline.Get(t);
      if (!parsed->facts.status.ok()) return parsed->facts.status;  // changed since its scan
      resolver->Index(parsed->facts);
      for (const ingest_internal::RecordFacts& r : parsed->facts.records) {
        trusted[tasks[t].file][r.index] = 1;
      }
      pipeline.Release(t);
    }
    std::vector<GraphBuilder::ExtractHandle> extract(files.size());
    for (std::size_t t = index_tasks; t < tasks.size(); ++t) {
      const std::size_t i = tasks[t].file;
      OpenedFile& f = files[i];
      if (tasks[t].chunk == 0) {
        ExtractInfo info;
        const pb::ExtractHeader& h = f.reader->header();
        info.path = f.path;
        info.source = f.source;
        info.force = h.force();
        info.extracted_at = h.extracted_at();
        info.schema_version = h.schema_version();
        info.extract_id = h.extract_id();
        info.record_count = f.read;
        info.digest = f.digest;
        extract[i] = builder.AddExtract(std::move(info));
      }
      // ANPR sorts last and names only plates and sites: from its first chunk on, the
      // resolver's person and vehicle indexes are dead weight at the ingest's peak.
      if (f.source == Source::kAnpr && tasks[t].chunk == 0) resolver->EndPeopleAndVehicles();
      std::shared_ptr<const ingest_internal::ParsedChunk> parsed = pipeline.Get(t);
      if (!parsed->facts.status.ok()) return parsed->facts.status;  // changed since its scan
      // Shares the ownership of the whole parsed chunk (the value ids live beside the facts).
      std::shared_ptr<const ChunkFacts> facts(parsed, &parsed->facts);
      accepted[i] += facts->records.size();
      quarantine[i].insert(quarantine[i].end(), facts->quarantine.begin(), facts->quarantine.end());
      resolver->Apply(Resolver::ChunkRef{facts, extract[i], i, &f.path, parsed->value_ids});
      pipeline.Release(t);
    }
    result.report.apply_parse_seconds = pipeline.caller_parse_seconds();
    result.report.apply_wait_seconds = pipeline.caller_wait_seconds();
  }
  for (Resolver::Quarantined& q : resolver->FinishReads()) {
    --accepted[q.file];
    quarantine[q.file].push_back(std::move(q.entry));
  }
  if (!resolver->status().ok()) return resolver->status();

  IngestReport& report = result.report;
  for (std::size_t i = 0; i < files.size(); ++i) {
    OpenedFile& f = files[i];
    FileReport fr;
    fr.file = f.path;
    fr.source = f.source;
    fr.read = f.read;
    fr.accepted = accepted[i];
    fr.quarantined = quarantine[i].size();
    report.read += fr.read;
    report.accepted += fr.accepted;
    report.quarantined += fr.quarantined;
    report.files.push_back(std::move(fr));
    for (QuarantineEntry& q : quarantine[i]) report.quarantine.push_back(std::move(q));
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
  report.merges = resolver->merges();
  // Everything but the builder is freed before Build, which is the peak of the ingest's memory.
  resolver.reset();
  files.clear();
  std::vector<OpenedFile>().swap(files);
  std::vector<std::vector<std::uint8_t>>().swap(trusted);
  std::vector<std::vector<QuarantineEntry>>().swap(quarantine);
  std::vector<Task>().swap(tasks);

  const absl::Time applied = absl::Now();
  absl::StatusOr<std::shared_ptr<const Graph>> graph =
      options.snapshot != nullptr ? std::move(builder).Build(options.threads, *options.snapshot)
                                  : std::move(builder).Build(options.threads);
  if (!graph.ok()) return graph.status();
  result.graph = *std::move(graph);
  const absl::Time end = absl::Now();
  report.seconds = absl::ToDoubleSeconds(end - start);
  report.scan_seconds = absl::ToDoubleSeconds(scanned - start);
  report.apply_seconds = absl::ToDoubleSeconds(applied - scanned);
  report.build_seconds = absl::ToDoubleSeconds(end - applied);
  return result;
}

}  // namespace polegraph
