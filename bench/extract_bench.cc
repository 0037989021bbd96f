// Extract reading throughput: a file of 1M small ANPR Read records (~70 bytes each, the shape
// of a real ANPR feed) is written once, then read back
//   - Verify:     frame CRCs, trailer count and digest, no payload parsing;
//   - NextParse:  a Next() loop parsing each payload into one reused AnprRecord (ingest's path);
// and written (Write: serialise, frame, write, fsync, rename). CRC-32C alone is measured on
// a 64 KiB buffer for scale (hardware and portable paths). Reported: bytes/s and records/s
// (for CRC, items/s = buffers/s). Set POLEGRAPH_BENCH_RECORDS to change the record count.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/bench_main.h"
#include "graph/crc32c.h"
#include "polegraph/anpr.pb.h"
#include "polegraph/extract.h"

namespace polegraph {
namespace {

std::uint64_t RecordCount() {
  const char* env = std::getenv("POLEGRAPH_BENCH_RECORDS");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 1'000'000;
}

pb::AnprRecord MakeRead(std::uint64_t i) {
  pb::AnprRecord r;
  pb::Read* rd = r.mutable_read();
  rd->mutable_meta()->set_record_id("R" + std::to_string(i));
  rd->mutable_meta()->mutable_marking()->set_classification(pb::OFFICIAL);
  rd->mutable_meta()->mutable_marking()->set_owning_force("WMP");
  rd->set_vrm("AB" + std::to_string(10 + i % 90) + "CDE");
  rd->set_site_id("S" + std::to_string(i % 997));
  rd->set_lane(static_cast<std::uint32_t>(i % 3));
  rd->set_read_at(1764000000 + static_cast<std::int64_t>(i / 4));
  rd->set_read_at_ms(static_cast<std::uint32_t>(i * 37 % 1000));
  rd->set_confidence(0.5f + static_cast<float>(i % 50) / 100.0f);
  return r;
}

pb::ExtractHeader AnprHeader() {
  pb::ExtractHeader h;
  h.set_source(pb::ANPR);
  h.set_force("WMP");
  h.set_extracted_at(1764000000);
  return h;
}

absl::Status WriteFile(const std::string& path, std::uint64_t n) {
  auto w = ExtractWriter::Create(path, AnprHeader());
  if (!w.ok()) return w.status();
  for (std::uint64_t i = 0; i < n; ++i) {
    if (absl::Status s = (*w)->Append(MakeRead(i)); !s.ok()) return s;
  }
  return (*w)->Finish();
}

// The shared input file, written on first use and removed at exit.
struct InputFile {
  std::string path;
  std::uint64_t records = RecordCount();
  std::uint64_t bytes = 0;
  absl::Status status;
  InputFile() {
    path = (std::filesystem::temp_directory_path() /
            ("polegraph_extract_bench_" + std::to_string(::getpid()) + ".pb"))
               .string();
    status = WriteFile(path, records);
    if (status.ok()) bytes = std::filesystem::file_size(path);
  }
  ~InputFile() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

const InputFile& Input(benchmark::State& state) {
  static const InputFile f;
  if (!f.status.ok()) state.SkipWithError(std::string(f.status.message()).c_str());
  return f;
}

void BM_Verify(benchmark::State& state) {
  const InputFile& in = Input(state);
  for (auto _ : state) {
    auto t = ExtractReader::Verify(in.path);
    if (!t.ok() || t->record_count() != in.records) state.SkipWithError("verify failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.bytes));
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(in.records), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Verify)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_NextParse(benchmark::State& state) {
  const InputFile& in = Input(state);
  pb::AnprRecord rec;
  for (auto _ : state) {
    auto r = ExtractReader::Open(in.path);
    if (!r.ok()) {
      state.SkipWithError("open failed");
      break;
    }
    ExtractReader::Frame f;
    std::uint64_t lanes = 0;
    while (true) {
      auto more = (*r)->Next(&f);
      if (!more.ok() || !*more) break;
      if (!(*r)->Parse(f.payload, &rec).ok()) state.SkipWithError("parse failed");
      lanes += rec.read().lane();
    }
    benchmark::DoNotOptimize(lanes);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.bytes));
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(in.records), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_NextParse)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Write(benchmark::State& state) {
  const InputFile& in = Input(state);
  const std::string path = in.path + ".w";
  for (auto _ : state) {
    if (!WriteFile(path, in.records).ok()) state.SkipWithError("write failed");
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * in.bytes));
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(in.records), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Write)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

template <bool kPortable>
void BM_Crc32c(benchmark::State& state) {
  std::vector<char> buf(64 << 10);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>(i * 131);
  for (auto _ : state) {
    std::uint32_t c = kPortable ? internal::Crc32cPortable(0, buf.data(), buf.size())
                                : internal::Crc32c(0, buf.data(), buf.size());
    benchmark::DoNotOptimize(c);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * buf.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(kPortable ? "slicing-by-8"
                           : (internal::Crc32cUsesHardware() ? "sse4.2" : "slicing-by-8"));
}
BENCHMARK_TEMPLATE(BM_Crc32c, false);
BENCHMARK_TEMPLATE(BM_Crc32c, true);

}  // namespace
}  // namespace polegraph

POLEGRAPH_BENCH_MAIN();
