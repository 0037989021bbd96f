// Snapshot files: round trip (every accessor equal), atomic replace, and corrupt files —
// truncation at every offset, byte flips, foreign files, wrong version, edges whose kinds or
// in-adjacency contradict the rest — each a clear error naming the file (and the section where
// one is at fault), never a crash, and a damaged file that still opens crashes no analysis.
// Run under ASan and UBSan.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "graph/crc32c.h"
#include "graph/graph_fixtures.h"
#include "graph/storage.h"
#include "io/snapshot_format.h"
#include "polegraph/anpr.h"
#include "polegraph/io.h"
#include "polegraph/links.h"
#include "polegraph/networks.h"

namespace polegraph {
namespace {

void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Overwrites one byte of a file in place.
void PokeByte(const std::string& path, std::size_t pos, char value) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::pwrite(fd, &value, 1, static_cast<off_t>(pos)) == 1);
  ::close(fd);
}

testing::Facts SmallFacts() { return testing::RandomFacts(12, 30, testing::Shape::kUniform, 3); }

// A hand-drawn POLE graph with ANPR reads. Node ids (by kind, then key) are the fact indices:
//   0 person:16/0000001A -KEEPER_OF e0-> 2 vehicle:VIN1 -DISPLAYS e4-> 3 plate:AA11AAA
//   0 -SUSPECT_IN e1-> 9 offence:MPS/CR/1 <-SUSPECT_IN e3- 1 person:16/0000002B
//   1 -RESIDES_AT e2-> 6 location:SITE1            9 -OCCURRED_AT e13-> 7 location:SITE2
//   sites 6, 7, 8 (SITE1..3) on the meridian 0.1 W at 51.5, 51.6, 51.7 N (11.1 km apart);
//   reads (SEEN_AT) at t0 + seconds:  3 plate:AA11AAA at 6, 7, 8: +0, +600, +1200 (e5-e7)
//                                      4 plate:BB22BBB at 6, 7, 8: +30, +630, +1230 (e8-e10)
//                                      5 plate:CC33CCC at 6, 8: +5000, +5060 (e11, e12)
// Edge ids: out-edges by source, then target. In-degrees 0 0 1 1 0 0 4 3 3 2, so in.offsets is
// 0 0 0 1 2 2 2 6 9 12 14: node 7's in-entries 6, 7, 8 are edges 6 (from 3), 9 (from 4) and 13
// (from 9).
constexpr std::int64_t kT0 = 1700000000;
testing::Facts HandFacts() {
  testing::Facts f;
  f.extracts = testing::OnePerSource();
  f.records = {{1, "NOM-1", 0}, {1, "NOM-2", 40}, {1, "VEH-1", 80}, {2, "CR-1", 0},
               {0, "SITES", 0}};
  f.labels = {{Classification::kOfficial, "MPS", {}}};
  f.nodes = {{NodeKind::kPerson, "16/0000001A", 0, 0}, {NodeKind::kPerson, "16/0000002B", 0, 1},
             {NodeKind::kVehicle, "VIN1", 0, 2},        {NodeKind::kPlate, "AA11AAA", 0, 2},
             {NodeKind::kPlate, "BB22BBB", 0, 4},       {NodeKind::kPlate, "CC33CCC", 0, 4},
             {NodeKind::kLocation, "SITE1", 0, 4},      {NodeKind::kLocation, "SITE2", 0, 4},
             {NodeKind::kLocation, "SITE3", 0, 4},      {NodeKind::kOffence, "MPS/CR/1", 0, 3}};
  f.positions = {{6, 51.5, -0.1}, {7, 51.6, -0.1}, {8, 51.7, -0.1}};
  f.edges = {{0, 2, EdgeKind::kKeeperOf, kT0 - 86400, 0, 2},
             {2, 3, EdgeKind::kDisplays, kT0 - 86400, 0, 2},
             {0, 9, EdgeKind::kSuspectIn, kT0 - 3600, 0, 3},
             {1, 9, EdgeKind::kSuspectIn, kT0 - 3600, 0, 3},
             {1, 6, EdgeKind::kResidesAt, 0, 0, 1},
             {9, 7, EdgeKind::kOccurredAt, kT0 - 3600, 0, 3}};
  const struct {
    int plate, site, seconds;
  } reads[] = {{3, 6, 0},  {3, 7, 600}, {3, 8, 1200}, {4, 6, 30},
               {4, 7, 630}, {4, 8, 1230}, {5, 6, 5000}, {5, 8, 5060}};
  for (const auto& r : reads) {
    const int record = static_cast<int>(f.records.size());
    f.records.push_back(
        {0, absl::StrCat("READ-", record), 100 + 10 * static_cast<std::uint64_t>(record)});
    f.edges.push_back({r.plate, r.site, EdgeKind::kSeenAt, kT0 + r.seconds, 0, record});
  }
  f.metadata = {{"polegraph_version", "test"}};
  return f;
}

QueryContext Unrestricted() {
  QueryContext ctx;
  ctx.clearance = Clearance::Unrestricted();
  return ctx;
}

// Runs the analyses that lean hardest on the edges' invariants (ANPR reads by site, walks by
// kind, both directions of the adjacency) on `g`, which may be damaged but opened: each may
// fail, none may crash (ASan, UBSan), and what they return names nodes of the right kinds.
void RunAnalyses(const Graph& g) {
  const QueryContext ctx = Unrestricted();
  auto convoys = FindConvoys(
      g, {.min_sites = 2, .min_occasions = 1, .correct_for_multiple_tests = false}, ctx);
  if (convoys.ok()) {
    for (const ConvoyPair& p : convoys->pairs) {
      REQUIRE(p.b < g.num_nodes());
      REQUIRE(g.kind(p.a) == NodeKind::kPlate);
      REQUIRE(g.kind(p.b) == NodeKind::kPlate);
    }
  }
  auto clones = FindClones(g, {}, ctx);
  if (clones.ok()) {
    for (NodeId v : clones->plates) {
      REQUIRE(v < g.num_nodes());
      REQUIRE(g.kind(v) == NodeKind::kPlate);
    }
  }
  ProjectionOptions projection;
  projection.paths = {CoOffending(1.0), SharedVehicles(1.0), CoTravel(1.0)};
  auto people = ProjectPersons(g, projection, ctx);
  if (people.ok()) {
    for (NodeId v : people->nodes) {
      REQUIRE(v < g.num_nodes());
      REQUIRE(g.kind(v) == NodeKind::kPerson);
    }
  }
  if (g.num_nodes() > 0) {
    const NodeId subject = 0;
    NeighbourhoodOptions two_hops;
    two_hops.hops = 2;
    auto chart = Neighbourhood(g, std::span<const NodeId>(&subject, 1), two_hops, ctx);
    if (chart.ok()) {
      for (const LinkNode& n : chart->nodes) REQUIRE(n.id < g.num_nodes());
    }
  }
}

// The file offset of element `index` of section `id` in a snapshot's bytes.
std::size_t ElementAt(const std::string& bytes, internal::SectionId id, std::size_t index,
                      std::size_t size) {
  internal::SectionEntry e;
  std::memcpy(&e, bytes.data() + sizeof(internal::FileHeader) +
                      sizeof(internal::SectionEntry) * static_cast<std::size_t>(id),
              sizeof e);
  REQUIRE((index + 1) * size <= e.size);
  return static_cast<std::size_t>(e.offset) + index * size;
}

TEST_CASE("snapshot round trip keeps every accessor", "[io][snapshot]") {
  for (auto shape : {testing::Shape::kUniform, testing::Shape::kStar, testing::Shape::kIsolated}) {
    const testing::Facts f = testing::RandomFacts(3000, 9000, shape, 21);
    auto g = testing::BuildOrDie(f, 0, 2);
    const std::string path = testing::TempPath("roundtrip.pg");
    REQUIRE(SaveSnapshot(*g, path).ok());
    auto opened = OpenSnapshot(path);
    REQUIRE(opened.ok());
    REQUIRE(internal::GraphAccess::storage(**opened).mapped());
    testing::RequireSameGraph(*g, **opened);
    // Saving the opened snapshot gives the same bytes.
    const std::string again = testing::TempPath("roundtrip2.pg");
    REQUIRE(SaveSnapshot(**opened, again).ok());
    REQUIRE(testing::ReadFileBytes(again) == testing::ReadFileBytes(path));
    REQUIRE(::access((path + ".tmp").c_str(), F_OK) != 0);  // no temporary left behind
  }
  auto empty = GraphBuilder().Build();
  REQUIRE(empty.ok());
  const std::string path = testing::TempPath("empty.pg");
  REQUIRE(SaveSnapshot(**empty, path).ok());
  auto opened = OpenSnapshot(path);
  REQUIRE(opened.ok());
  testing::RequireSameGraph(**empty, **opened);
}

TEST_CASE("the file layout is as documented", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("layout.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  REQUIRE(bytes.substr(0, 8) == "PGSNAP01");
  internal::FileHeader h;
  std::memcpy(&h, bytes.data(), sizeof h);
  REQUIRE(h.format_version == kSnapshotFormatVersion);
  REQUIRE(h.file_size == bytes.size());
  REQUIRE(h.section_count == static_cast<std::uint32_t>(internal::kNumSections));
  const Graph::Storage& storage = internal::GraphAccess::storage(*g);
  for (std::uint32_t i = 0; i < h.section_count; ++i) {
    internal::SectionEntry e;
    std::memcpy(&e, bytes.data() + 64 + 64 * i, sizeof e);
    REQUIRE(e.offset % 64 == 0);
    REQUIRE(e.offset + e.size <= bytes.size());
    REQUIRE(std::string(e.name) == std::string(internal::kSectionSpecs[i].name));
    REQUIRE(e.size == storage.sections[i].bytes);
    if (e.size == 0) continue;  // (an empty section's data may be null)
    REQUIRE(std::memcmp(bytes.data() + e.offset, storage.sections[i].data, e.size) == 0);
  }
}

TEST_CASE("missing and foreign files are clear errors", "[io][snapshot]") {
  auto missing = OpenSnapshot(testing::TempPath("does-not-exist.pg"));
  REQUIRE(missing.status().code() == absl::StatusCode::kNotFound);
  REQUIRE(std::string(missing.status().message()).find("does-not-exist.pg") != std::string::npos);

  const std::string foreign = testing::TempPath("foreign.pg");
  WriteBytes(foreign, std::string(4096, 'x'));
  auto f = OpenSnapshot(foreign);
  REQUIRE(f.status().code() == absl::StatusCode::kDataLoss);
  REQUIRE(std::string(f.status().message()).find("magic") != std::string::npos);
  REQUIRE(std::string(f.status().message()).find("foreign.pg") != std::string::npos);

  WriteBytes(foreign, "");
  REQUIRE(OpenSnapshot(foreign).status().code() == absl::StatusCode::kDataLoss);

  REQUIRE(OpenSnapshot(std::string(POLEGRAPH_BINARY_DIR)).status().code() ==
          absl::StatusCode::kInvalidArgument);  // a directory
}

TEST_CASE("a snapshot of another format version is refused", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("version.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string saved = testing::ReadFileBytes(path);
  // Version 1 is the format before pooled values, 2 the one before compact CSR offsets, 3 the
  // one before 16-bit offsets and one-byte edge labels; a later version is one this build
  // predates.
  for (std::uint32_t version : {1u, 2u, 3u, kSnapshotFormatVersion + 1}) {
    std::string bytes = saved;
    internal::FileHeader h;
    std::memcpy(&h, bytes.data(), sizeof h);
    h.format_version = version;
    h.header_crc = 0;
    h.header_crc = internal::Crc32c(0, &h, sizeof h);
    std::memcpy(bytes.data(), &h, sizeof h);
    WriteBytes(path, bytes);
    auto s = OpenSnapshot(path);
    CAPTURE(version);
    REQUIRE(s.status().code() == absl::StatusCode::kFailedPrecondition);
    const std::string message(s.status().message());
    REQUIRE(message.find(absl::StrCat("format version ", version)) != std::string::npos);
    REQUIRE(message.find("re-create the snapshot") != std::string::npos);
  }
}

TEST_CASE("truncation at every offset is an error, never a crash", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("trunc_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  const std::string cut = testing::ScratchPath("trunc.pg");
  WriteBytes(cut, bytes);
  for (std::size_t len = bytes.size(); len-- > 0;) {  // shrink the file one byte at a time
    REQUIRE(::truncate(cut.c_str(), static_cast<off_t>(len)) == 0);
    for (bool verify : {true, false}) {
      auto s = OpenSnapshot(cut, {.verify_checksums = verify});
      CAPTURE(len, verify);
      REQUIRE_FALSE(s.ok());
      REQUIRE(s.status().code() == absl::StatusCode::kDataLoss);
      REQUIRE(std::string(s.status().message()).find("trunc.pg") != std::string::npos);
    }
  }
}

// Flips bytes everywhere in the file, of the random graph and of the hand-drawn one. With
// checksums on every flip is caught. With checksums off, a flip in a section either still
// validates (and then every accessor must stay in bounds, exercised by reading the whole graph,
// and every analysis must run without a crash: under ASan and UBSan) or is a structural error.
TEST_CASE("byte flips are caught by checksums or stay in bounds", "[io][snapshot]") {
  for (const testing::Facts& facts : {SmallFacts(), HandFacts()}) {
    INFO("a graph of " << facts.nodes.size() << " node facts");
    auto g = testing::BuildOrDie(facts);
    const std::string path = testing::TempPath("flip_src.pg");
    REQUIRE(SaveSnapshot(*g, path).ok());
    const std::string bytes = testing::ReadFileBytes(path);
    const std::string flipped = testing::ScratchPath("flip.pg");
    WriteBytes(flipped, bytes);
    // The bytes a checksum covers: the header, the section table and every section.
    std::vector<char> covered(bytes.size(), 0);
    const std::size_t table_end = sizeof(internal::FileHeader) +
                                  sizeof(internal::SectionEntry) * internal::kNumSections;
    std::fill(covered.begin(), covered.begin() + static_cast<std::ptrdiff_t>(table_end), 1);
    for (std::size_t i = 0; i < static_cast<std::size_t>(internal::kNumSections); ++i) {
      internal::SectionEntry e;
      std::memcpy(&e, bytes.data() + sizeof(internal::FileHeader) + sizeof(e) * i, sizeof e);
      std::fill_n(covered.begin() + static_cast<std::ptrdiff_t>(e.offset), e.size, 1);
    }
    int caught_structurally = 0;
    for (std::size_t pos = 0; pos < bytes.size(); ++pos) {
      for (unsigned char mask : {0x01, 0x80, 0xFF}) {
        PokeByte(flipped, pos, static_cast<char>(bytes[pos] ^ mask));
        CAPTURE(pos, static_cast<int>(mask));
        auto checked = OpenSnapshot(flipped);
        if (checked.ok()) {  // only padding between sections is not covered by a checksum
          REQUIRE_FALSE(covered[pos]);
          testing::RequireSameGraph(*g, **checked);
          PokeByte(flipped, pos, bytes[pos]);
          continue;
        }
        REQUIRE(std::string(checked.status().message()).find("flip.pg") != std::string::npos);
        if (pos >= 64 + 64 * static_cast<std::size_t>(internal::kNumSections)) {
          // Past the header and table: the message names the damaged section.
          REQUIRE(std::string(checked.status().message()).find("section '") != std::string::npos);
        }
        auto unchecked = OpenSnapshot(flipped, {.verify_checksums = false});
        if (!unchecked.ok()) {
          PokeByte(flipped, pos, bytes[pos]);  // restore
          ++caught_structurally;
          continue;
        }
        REQUIRE(testing::ReadEverything(**unchecked) > 0);  // must stay in bounds
        RunAnalyses(**unchecked);                           // and so must the analyses
        unchecked = absl::UnknownError("released");         // unmap before restoring the byte
        PokeByte(flipped, pos, bytes[pos]);
      }
    }
    REQUIRE(caught_structurally > 0);
  }
}

TEST_CASE("the hand-drawn snapshot: layout and analyses as worked by hand", "[io][snapshot]") {
  const testing::Facts facts = HandFacts();
  auto built = testing::BuildOrDie(facts);
  // The layout the damage tests below rely on (see HandFacts).
  REQUIRE(built->num_nodes() == 10);
  REQUIRE(built->num_edges() == 14);
  for (NodeId v = 0; v < 10; ++v) REQUIRE(built->key(v) == facts.nodes[v].key);
  const auto in_offsets = built->in_offsets();
  REQUIRE(std::vector<EdgeIndex>(in_offsets.begin(), in_offsets.end()) ==
          std::vector<EdgeIndex>{0, 0, 0, 1, 2, 2, 2, 6, 9, 12, 14});
  REQUIRE(built->in_neighbours()[6] == 3);
  REQUIRE(built->in_edge()[6] == 6);
  REQUIRE(built->in_neighbours()[7] == 4);
  REQUIRE(built->in_edge()[7] == 9);
  REQUIRE(built->in_edge()[8] == 13);
  REQUIRE(built->edge_kind()[2] == EdgeKind::kResidesAt);
  REQUIRE(built->edge_source(2) == 1);
  REQUIRE(built->edge_target(2) == 6);
  REQUIRE(built->edge_kind()[13] == EdgeKind::kOccurredAt);

  const std::string path = testing::TempPath("hand.pg");
  REQUIRE(SaveSnapshot(*built, path).ok());
  auto opened = OpenSnapshot(path);
  REQUIRE(opened.ok());
  const Graph& g = **opened;
  const QueryContext ctx = Unrestricted();

  // Convoys (two sites and one occasion suffice, no significance test): AA11AAA and BB22BBB
  // meet 30 s apart at all three sites on one trip; CC33CCC is read at two sites but never
  // within 90 s of another plate.
  auto convoys = FindConvoys(
      g, {.min_sites = 2, .min_occasions = 1, .correct_for_multiple_tests = false}, ctx);
  REQUIRE(convoys.ok());
  CHECK(convoys->candidate_pairs == 1);
  REQUIRE(convoys->pairs.size() == 1);
  CHECK(convoys->pairs[0].a == 3);
  CHECK(convoys->pairs[0].b == 4);
  CHECK(convoys->pairs[0].sites == 3);
  CHECK(convoys->pairs[0].occasions == 1);
  CHECK(convoys->pairs[0].co_sightings == 3);
  REQUIRE(convoys->convoys.size() == 1);
  CHECK(convoys->convoys[0].plates == std::vector<NodeId>{3, 4});
  CHECK(convoys->convoys[0].sites == std::vector<NodeId>{6, 7, 8});

  // Clones: CC33CCC covers 0.2 degrees of latitude (6371008.8 m * 0.2 * pi / 180 = 22239.0 m)
  // in 60 s = 1334.3 km/h; the others drive 11.1 km in 600 s = 66.7 km/h.
  auto clones = FindClones(g, {}, ctx);
  REQUIRE(clones.ok());
  REQUIRE(clones->conflicts.size() == 1);
  const CloneConflict& c = clones->conflicts[0];
  CHECK(c.plate == 5);
  CHECK(c.reason == CloneReason::kSpeed);
  CHECK(c.seconds == 60);
  CHECK(c.distance_m == Approx(22239.016).epsilon(1e-6));
  CHECK(c.speed_kmh == Approx(1334.341).epsilon(1e-6));
  REQUIRE(c.reads.size() == 2);
  CHECK(c.reads[0].edge == 11);
  CHECK(c.reads[1].edge == 12);
  CHECK(clones->plates == std::vector<NodeId>{5});

  // Co-offending: the two people share offence 9 through edges 1 and 3.
  ProjectionOptions co_offending;
  co_offending.paths = {CoOffending(1.0)};
  auto people = ProjectPersons(g, co_offending, ctx);
  REQUIRE(people.ok());
  CHECK(people->nodes == std::vector<NodeId>{0, 1});
  REQUIRE(people->links.size() == 1);
  CHECK(people->links[0].weight == 1.0);
  const std::span<const EdgeId> evidence = people->Explain(0, 1);
  CHECK(std::vector<EdgeId>(evidence.begin(), evidence.end()) == std::vector<EdgeId>{1, 3});

  // One hop around person 0: its vehicle and its offence, by edges 0 and 1.
  const NodeId subject = 0;
  auto chart = Neighbourhood(g, std::span<const NodeId>(&subject, 1), NeighbourhoodOptions{}, ctx);
  REQUIRE(chart.ok());
  std::vector<NodeId> ids;
  std::vector<std::uint32_t> distances;
  for (const LinkNode& n : chart->nodes) {
    ids.push_back(n.id);
    distances.push_back(n.distance);
  }
  CHECK(ids == std::vector<NodeId>{0, 2, 9});
  CHECK(distances == std::vector<std::uint32_t>{0, 1, 1});
  std::vector<EdgeId> edges;
  for (const LinkEdge& e : chart->edges) edges.push_back(e.id);
  CHECK(edges == std::vector<EdgeId>{0, 1});
  RunAnalyses(g);
}

// Writes `bytes` to a file and opens it with checksums off: a DataLoss error naming the file
// and holding each of `parts`. With checksums on the damage is a checksum mismatch.
void RequireRefused(const std::string& bytes, const std::vector<std::string>& parts) {
  const std::string path = testing::TempPath("refused.pg");
  WriteBytes(path, bytes);
  auto unchecked = OpenSnapshot(path, {.verify_checksums = false});
  REQUIRE(unchecked.status().code() == absl::StatusCode::kDataLoss);
  const std::string message(unchecked.status().message());
  CAPTURE(message);
  REQUIRE(message.find("refused.pg") != std::string::npos);
  for (const std::string& part : parts) REQUIRE(message.find(part) != std::string::npos);
  auto checked = OpenSnapshot(path);
  REQUIRE(checked.status().code() == absl::StatusCode::kDataLoss);
  REQUIRE(std::string(checked.status().message()).find("checksum") != std::string::npos);
}

template <typename T>
void Put(std::string& bytes, internal::SectionId id, std::size_t index, T value) {
  std::memcpy(bytes.data() + ElementAt(bytes, id, index, sizeof(T)), &value, sizeof(T));
}

// The entries of node 7 (see HandFacts) are 6: edge 6 from node 3, 7: edge 9 from node 4.
TEST_CASE("an in-adjacency that disagrees with the out-adjacency is refused", "[io][snapshot]") {
  auto g = testing::BuildOrDie(HandFacts());
  const std::string path = testing::TempPath("in_csr_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string good = testing::ReadFileBytes(path);
  REQUIRE(OpenSnapshot(path, {.verify_checksums = false}).ok());
  using internal::SectionId;
  {  // a read's plate replaced by a person (the crash of session 11's review)
    std::string bad = good;
    Put<NodeId>(bad, SectionId::in_neighbours, 6, 0);
    RequireRefused(bad, {"section 'in.neighbours'",
                         "entry 6 (of node 7) names node 0 as the source of edge 6, which "
                         "starts at node 3"});
  }
  {  // an edge listed twice (and edge 9 not at all)
    std::string bad = good;
    Put<EdgeId>(bad, SectionId::in_edge, 7, 6);
    Put<NodeId>(bad, SectionId::in_neighbours, 7, 3);
    RequireRefused(bad, {"section 'in.edge'", "entry 7 (of node 7) repeats edge 6"});
  }
  {  // an out-edge moved to another target: node 7's in-entry no longer ends at node 7
    std::string bad = good;
    Put<NodeId>(bad, SectionId::out_neighbours, 6, 8);
    RequireRefused(bad,
                   {"section 'in.edge'", "entry 6 (of node 7) is edge 6, which ends at node 8"});
  }
}

// Node 7's entry 6 (edge 6 from node 3) and node 8's entry 9 exchanged: every edge is still
// listed once with its true source, only the targets are wrong. A sum over the entries that
// ignored the owning node, or was linear in it, would not see this.
TEST_CASE("in-entries exchanged between two nodes are refused", "[io][snapshot]") {
  auto g = testing::BuildOrDie(HandFacts());
  REQUIRE(g->in_offsets()[8] == 9);
  const NodeId source9 = g->in_neighbours()[9];
  const EdgeId edge9 = g->in_edge()[9];
  REQUIRE(g->edge_target(edge9) == 8);
  const std::string path = testing::TempPath("in_swap_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  std::string bad = testing::ReadFileBytes(path);
  using internal::SectionId;
  Put<NodeId>(bad, SectionId::in_neighbours, 6, source9);
  Put<EdgeId>(bad, SectionId::in_edge, 6, edge9);
  Put<NodeId>(bad, SectionId::in_neighbours, 9, 3);
  Put<EdgeId>(bad, SectionId::in_edge, 9, 6);
  RequireRefused(bad, {"section 'in.edge'", absl::StrCat("entry 6 (of node 7) is edge ", edge9,
                                                         ", which ends at node 8")});
}

// Damage in two places of a graph big enough to be checked in several blocks: the error names
// the first damaged entry whatever the number of checking threads.
TEST_CASE("in-adjacency errors do not depend on the checking threads", "[io][snapshot]") {
  auto g = testing::BuildOrDie(testing::RandomFacts(100000, 700000, testing::Shape::kUniform, 5));
  const std::uint64_t m = g->num_edges();
  REQUIRE(m > (std::uint64_t{1} << 19));  // at least two blocks of CheckTranspose
  const std::string path = testing::TempPath("in_threads_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  std::string bad = testing::ReadFileBytes(path);
  // Entry i's source replaced by a node whose out-edges do not include in.edge[i] (found by
  // a scan of the out-CSR); the owning node found by a linear scan of the in-offsets.
  const auto damage = [&](std::uint64_t i) {
    const EdgeId e = g->in_edge()[i];
    const NodeId source = g->in_neighbours()[i];
    NodeId other = (source + 1) % g->num_nodes();
    while (g->out_offsets()[other] <= e && e < g->out_offsets()[other + 1]) {
      other = (other + 1) % g->num_nodes();
    }
    NodeId owner = 0;
    while (g->in_offsets()[owner + 1] <= i) ++owner;
    Put<NodeId>(bad, internal::SectionId::in_neighbours, i, other);
    return absl::StrCat("entry ", i, " (of node ", owner, ") names node ", other,
                        " as the source of edge ", e, ", which starts at node ", source);
  };
  const std::string first = damage(m * 2 / 5);
  damage(m * 9 / 10);
  const std::string broken = testing::TempPath("in_threads.pg");
  WriteBytes(broken, bad);
  for (int threads : {1, 2, 8}) {
    CAPTURE(threads);
    auto opened = OpenSnapshot(broken, {.verify_checksums = false, .threads = threads});
    REQUIRE(opened.status().code() == absl::StatusCode::kDataLoss);
    const std::string message(opened.status().message());
    CAPTURE(message);
    REQUIRE(message.find(first) != std::string::npos);
  }
  for (int threads : {1, 2, 8}) {
    REQUIRE(OpenSnapshot(path, {.verify_checksums = false, .threads = threads}).ok());
  }
}

TEST_CASE("an edge whose kind does not allow its endpoints is refused", "[io][snapshot]") {
  auto g = testing::BuildOrDie(HandFacts());
  const std::string path = testing::TempPath("edge_kind_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string good = testing::ReadFileBytes(path);
  using internal::SectionId;
  {  // person 1 RESIDES_AT site 6 made a read: SEEN_AT starts at a plate
    std::string bad = good;
    Put<EdgeKind>(bad, SectionId::edge_kind, 2, EdgeKind::kSeenAt);
    RequireRefused(bad, {"section 'edge.kind'", "edge 2 (SEEN_AT) joins person -> location"});
  }
  {  // offence 9 OCCURRED_AT site 7 made SUSPECT_IN: that ends at an offence
    std::string bad = good;
    Put<EdgeKind>(bad, SectionId::edge_kind, 13, EdgeKind::kSuspectIn);
    RequireRefused(bad, {"section 'edge.kind'", "edge 13 (SUSPECT_IN) joins offence -> location"});
  }
  {  // person 0 SUSPECT_IN offence 9 made ARRESTED_FOR: the same kinds of node, accepted
    std::string fine = good;
    Put<EdgeKind>(fine, SectionId::edge_kind, 1, EdgeKind::kArrestedFor);
    const std::string fine_path = testing::TempPath("edge_kind_fine.pg");
    WriteBytes(fine_path, fine);
    REQUIRE(OpenSnapshot(fine_path, {.verify_checksums = false}).ok());
  }
}

// Two damaged sections: on any number of checking threads the error names the first of them
// in table order (the sections are checked largest first, in parallel).
TEST_CASE("checksum errors do not depend on the checking threads", "[io][snapshot]") {
  auto g = testing::BuildOrDie(SmallFacts());
  const std::string path = testing::TempPath("crc_threads_src.pg");
  REQUIRE(SaveSnapshot(*g, path).ok());
  const std::string bytes = testing::ReadFileBytes(path);
  std::vector<internal::SectionEntry> damaged;  // the first and the last non-empty section
  for (int i = 0; i < internal::kNumSections; ++i) {
    internal::SectionEntry e;
    std::memcpy(&e, bytes.data() + sizeof(internal::FileHeader) + sizeof(e) * i, sizeof(e));
    if (e.size == 0) continue;
    if (damaged.size() < 2)
      damaged.push_back(e);
    else
      damaged.back() = e;
  }
  REQUIRE(damaged.size() == 2);
  const std::string broken = testing::ScratchPath("crc_threads.pg");
  WriteBytes(broken, bytes);
  for (const internal::SectionEntry& e : damaged) {
    PokeByte(broken, e.offset, static_cast<char>(bytes[e.offset] ^ 0x20));
  }
  const std::string first(damaged.front().name, strnlen(damaged.front().name, 32));
  for (int threads : {1, 2, 8}) {
    CAPTURE(threads);
    auto opened = OpenSnapshot(broken, {.verify_checksums = true, .threads = threads});
    REQUIRE_FALSE(opened.ok());
    REQUIRE(std::string(opened.status().message()).find("section '" + first + "' checksum") !=
            std::string::npos);
  }
  // The undamaged file opens the same on any number of threads.
  for (int threads : {1, 2, 8}) {
    auto opened = OpenSnapshot(path, {.verify_checksums = true, .threads = threads});
    REQUIRE(opened.ok());
    testing::RequireSameGraph(*g, **opened);
  }
}

}  // namespace
}  // namespace polegraph
