// extract_roundtrip: write a small PNC extract file the way a force's exporter would
// (ExtractWriter, extract.h), ingest it (ingest.h) and report what was accepted and what was
// quarantined, and why. The extract holds three records: two valid nominals and a vehicle
// whose VRM ("!!") is not of any valid shape, so ingest reads 3, accepts 2 and quarantines 1
// with its file, offset, record id and reason; the good records either side are not lost.
//
//   example_extract_roundtrip [DIR]     (DIR: where pnc.pb is written; default the temp dir)
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "polegraph/extract.h"
#include "polegraph/graph.h"
#include "polegraph/ingest.h"
#include "polegraph/pnc.pb.h"  // pb::PncRecord (extract.h brings only common.pb.h)

namespace {

namespace pb = polegraph::pb;

constexpr std::int64_t kExtractedAt = 1717200000;  // 2024-06-01T00:00:00Z

void SetMeta(pb::RecordMeta* meta, const std::string& record_id) {
  meta->set_record_id(record_id);
  meta->mutable_marking()->set_classification(pb::OFFICIAL);
  meta->mutable_marking()->set_owning_force("MPS");
}

pb::PncRecord Nominal(const std::string& record_id, const std::string& pnc_id,
                      const std::string& forename, const std::string& surname, int year) {
  pb::PncRecord r;
  pb::Nominal* n = r.mutable_nominal();
  SetMeta(n->mutable_meta(), record_id);
  n->set_pnc_id(pnc_id);
  n->mutable_name()->set_forename(forename);
  n->mutable_name()->set_surname(surname);
  n->mutable_date_of_birth()->set_year(year);
  n->mutable_date_of_birth()->set_month(4);
  n->mutable_date_of_birth()->set_day(12);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2) {
    std::cerr << "usage: example_extract_roundtrip [DIR]\n";
    return 2;
  }
  const std::filesystem::path dir =
      argc == 2 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
  const std::string path = (dir / "pnc.pb").string();

  // 1. Write the extract: header, three records, trailer (Finish renames it into place).
  pb::ExtractHeader header;
  header.set_source(pb::PNC);
  header.set_force("MPS");
  header.set_extracted_at(kExtractedAt);
  header.set_extract_id("example-1");
  auto writer = polegraph::ExtractWriter::Create(path, header);
  if (!writer.ok()) {
    std::cerr << writer.status().message() << "\n";
    return 1;
  }
  pb::PncRecord bad_vehicle;
  SetMeta(bad_vehicle.mutable_vehicle()->mutable_meta(), "PNC-V-1");
  bad_vehicle.mutable_vehicle()->set_vrm("!!");
  for (const pb::PncRecord& r :
       {Nominal("PNC-N-1", "16/0012345L", "Alice", "Smith", 1990), bad_vehicle,
        Nominal("PNC-N-2", "18/0054321T", "Bob", "Jones", 1985)}) {
    if (absl::Status s = (*writer)->Append(r); !s.ok()) {
      std::cerr << s.message() << "\n";
      return 1;
    }
  }
  if (absl::Status s = (*writer)->Finish(); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << path << ": " << (*writer)->records_written() << " records\n";

  // 2. Ingest it. A bad record is quarantined, not an error; a damaged file would be.
  absl::StatusOr<polegraph::IngestResult> result = polegraph::Ingest({path});
  if (!result.ok()) {
    std::cerr << result.status().message() << "\n";
    return 1;
  }
  const polegraph::IngestReport& report = result->report;
  std::cout << "read " << report.read << ", accepted " << report.accepted << ", quarantined "
            << report.quarantined << "\n";
  for (const polegraph::QuarantineEntry& q : report.quarantine) {
    std::cout << "quarantined: record " << q.index << " (" << q.record_id << ") at offset "
              << q.offset << ": " << q.reason << "\n";
  }
  const polegraph::Graph& g = *result->graph;
  std::cout << "graph: " << g.num_nodes() << " nodes, " << g.num_edges() << " edges\n";
  // Graph's accessors apply no clearance: list only what an OFFICIAL caller may see.
  const std::vector<bool> visible = g.VisibleLabels(polegraph::Clearance{});
  for (polegraph::NodeId v = 0; v < g.num_nodes(); ++v) {
    if (visible[g.node_label(v)]) std::cout << "  " << g.Name(v) << "\n";
  }
  return 0;
}
