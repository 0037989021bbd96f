// polegraph ingest FILE... --out G.pg [--threads T] [--salvage] [--text]
//
// Builds a snapshot from extract files, writes it atomically to G.pg and the quarantine as
// JSON lines to G.pg.quarantine.jsonl, and reports records read / accepted / quarantined,
// nodes and edges by kind, and the time taken.
#include <sys/resource.h>

#include <array>
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/args.h"
#include "common/graph_report.h"
#include "common/json.h"
#include "graph/build_steps.h"
#include "polegraph/commands.h"
#include "polegraph/graph.h"
#include "polegraph/ingest.h"
#include "polegraph/io.h"

namespace polegraph::tools {
namespace {

// Process CPU time (user + system, all threads) so far.
double CpuSeconds() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// The end of each step of GraphBuilder::Build (internal::build_step_hook), for the report.
struct BuildStep {
  std::string name;
  std::chrono::steady_clock::time_point at;
  double cpu;
};
std::vector<BuildStep>& BuildSteps() {
  static std::vector<BuildStep> steps;
  return steps;
}

void RecordBuildStep(std::string_view step) {
  BuildSteps().push_back({std::string(step), std::chrono::steady_clock::now(), CpuSeconds()});
}

}  // namespace

int RunIngest(int argc, char** argv) {
  Args args;
  args.Option("out").Option("threads").Flag("salvage").Flag("text");
  if (absl::Status s = args.Parse(argc, argv); !s.ok()) {
    std::cerr << "polegraph ingest: " << s.message() << "\n";
    return 2;
  }
  auto threads = args.Int("threads", 1);
  if (!threads.ok() || *threads < 1 || *threads > 1024) {
    std::cerr << "polegraph ingest: --threads must be an integer from 1 to 1024\n";
    return 2;
  }
  if (args.positionals().empty() || !args.Has("out")) {
    std::cerr << "usage: polegraph ingest FILE... --out G.pg [--threads T] [--salvage]\n";
    return 2;
  }
  const std::string out = args.Get("out");
  IngestOptions options;
  options.threads = static_cast<int>(*threads);
  options.salvage = args.Has("salvage");
  // The snapshot is written while Build runs, and put in place by Commit below; on any
  // failure the writer removes its temporary file.
  absl::StatusOr<std::unique_ptr<SnapshotWriter>> writer = SnapshotWriter::Create(out);
  if (!writer.ok()) {
    std::cerr << "polegraph ingest: " << writer.status().message() << "\n";
    return 1;
  }
  options.snapshot = writer->get();

  const auto start = std::chrono::steady_clock::now();
  internal::build_step_hook = &RecordBuildStep;
  absl::StatusOr<IngestResult> result = Ingest(args.positionals(), options);
  internal::build_step_hook = nullptr;
  const double cpu_after_build = CpuSeconds();
  if (!result.ok()) {
    std::cerr << "polegraph ingest: " << result.status().message() << "\n"
              << "no snapshot was written";
    if (!options.salvage && absl::IsDataLoss(result.status())) {  // what salvage can keep
      std::cerr << " (--salvage keeps the intact records of a damaged file)";
    }
    std::cerr << "\n";
    return 1;
  }
  const std::string quarantine_path = out + ".quarantine.jsonl";
  const auto save_start = std::chrono::steady_clock::now();
  if (absl::Status s = (*writer)->Commit(*result->graph); !s.ok()) {
    std::cerr << "polegraph ingest: " << s.message() << "\n";
    return 1;
  }
  const double save_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - save_start).count();
  const double save_cpu_seconds = CpuSeconds() - cpu_after_build;
  if (absl::Status s = WriteQuarantine(result->report, quarantine_path); !s.ok()) {
    std::cerr << "polegraph ingest: " << s.message() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const IngestReport& r = result->report;
  const Graph& g = *result->graph;
  if (args.Has("text")) {
    std::cout << absl::StrFormat("snapshot   %s\n", out);
    std::cout << absl::StrFormat("records    %d read, %d accepted, %d quarantined (%s)\n", r.read,
                                 r.accepted, r.quarantined, quarantine_path);
    for (const FileReport& f : r.files) {
      std::cout << absl::StrFormat("  %-30s %-4s %d read, %d accepted, %d quarantined\n", f.file,
                                   SourceName(f.source), f.read, f.accepted, f.quarantined);
    }
    for (const SalvageNote& n : r.salvaged) {
      std::cout << absl::StrFormat("SALVAGED   %s: records from offset %d on were lost: %s\n",
                                   n.file, n.offset, n.error);
    }
    std::cout << absl::StrFormat("merges     %d records resolved onto existing entities\n",
                                 r.merges);
    PrintCountsText(g, std::cout);
    std::cout << absl::StrFormat("seconds    %.3f\n", seconds);
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("snapshot", out);
  j.Field("quarantine_file", quarantine_path);
  j.Key("records");
  j.BeginObject();
  j.Field("read", r.read);
  j.Field("accepted", r.accepted);
  j.Field("quarantined", r.quarantined);
  j.EndObject();
  j.Key("files");
  j.BeginArray();
  for (const FileReport& f : r.files) {
    j.BeginObject();
    j.Field("file", f.file);
    j.Field("source", SourceName(f.source));
    j.Field("read", f.read);
    j.Field("accepted", f.accepted);
    j.Field("quarantined", f.quarantined);
    j.EndObject();
  }
  j.EndArray();
  j.Key("salvaged");
  j.BeginArray();
  for (const SalvageNote& n : r.salvaged) {
    j.BeginObject();
    j.Field("file", n.file);
    j.Field("offset", n.offset);
    j.Field("error", n.error);
    j.EndObject();
  }
  j.EndArray();
  j.Field("merges", r.merges);
  WriteCountsJson(g, j);
  j.Field("threads", options.threads);
  j.Field("seconds", seconds);
  j.Key("phase_seconds");  // wall time of Ingest's phases (IngestReport) and of the save
  j.BeginObject();
  j.Field("scan", r.scan_seconds);
  j.Field("parse_and_apply", r.apply_seconds);
  j.Field("applier_parsing", r.apply_parse_seconds);
  j.Field("applier_waiting", r.apply_wait_seconds);
  j.Field("build", r.build_seconds);
  j.Field("save", save_seconds);
  j.EndObject();
  // Wall and CPU (user + system, all threads) time of each step of the build, each from the
  // end of the one before ("start": the wall time from the end of parse_and_apply and the CPU
  // time from the start of the ingest to the start of the build), and the CPU time of the
  // save.
  j.Key("build_step_seconds");
  j.BeginObject();
  auto last = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          std::chrono::duration<double>(r.scan_seconds + r.apply_seconds));
  for (const BuildStep& step : BuildSteps()) {
    j.Field(step.name, std::chrono::duration<double>(step.at - last).count());
    last = step.at;
  }
  j.EndObject();
  j.Key("build_step_cpu_seconds");
  j.BeginObject();
  double last_cpu = 0;
  for (const BuildStep& step : BuildSteps()) {
    j.Field(step.name, step.cpu - last_cpu);
    last_cpu = step.cpu;
  }
  j.EndObject();
  j.Field("save_cpu_seconds", save_cpu_seconds);
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
