// Small ANPR graphs for the tests of lib/anpr: sites with positions, plates, reads (SEEN_AT
// edges with one record each, optionally with the camera's make / colour), vehicles that
// display plates, people who keep them, offences; and a seeded random graph for the
// brute-force comparisons.
#ifndef POLEGRAPH_TESTS_ANPR_ANPR_FIXTURE_H_
#define POLEGRAPH_TESTS_ANPR_ANPR_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "polegraph/anpr.h"
#include "polegraph/graph.h"
#include "polegraph/query.h"

namespace polegraph::testing {

// 2024-03-04 00:00:00 UTC, a Monday.
inline constexpr std::int64_t kDay0 = 1709510400;

class AnprGraph {
 public:
  using Handle = GraphBuilder::Handle;

  AnprGraph() {
    anpr_ = b_.AddExtract(Extract("anpr.pb", Source::kAnpr));
    pnc_ = b_.AddExtract(Extract("pnc.pb", Source::kPnc));
    pnd_ = b_.AddExtract(Extract("pnd.pb", Source::kPnd));
    official_ = b_.InternLabel(Classification::kOfficial, "MPS", {});
    secret_ = b_.InternLabel(Classification::kSecret, "MPS", {});
  }
  LabelId official() const { return official_; }
  LabelId secret() const { return secret_; }

  Handle Site(const std::string& id, double lat, double lon, LabelId label = kDefault) {
    RecordNo r = b_.AddRecord(anpr_, absl::StrCat("SITE-", id), next_offset_++);
    Handle h = b_.AddNode(NodeKind::kLocation, "SITE-" + id, Pick(label), r);
    b_.SetPosition(h, {lat, lon});
    return h;
  }
  Handle Plate(const std::string& vrm) {
    RecordNo r = b_.AddRecord(pnc_, "PLATE-" + vrm, next_offset_++);
    return b_.AddNode(NodeKind::kPlate, vrm, official_, r);
  }
  // A read; returns its record id ("R<n>").
  std::string Read(Handle plate, Handle site, std::int64_t time, LabelId label = kDefault,
                   const std::string& make = "", const std::string& colour = "") {
    std::string id = absl::StrCat("R", reads_++);
    RecordNo r = b_.AddRecord(anpr_, id, next_offset_++);
    b_.AddEdge(plate, site, EdgeKind::kSeenAt, time, Pick(label), r);
    if (!make.empty()) b_.AddProperty(plate, "read_make", make, r);
    if (!colour.empty()) b_.AddProperty(plate, "read_colour", colour, r);
    return id;
  }
  Handle Vehicle(const std::string& vin, Handle plate, std::int64_t since, const std::string& make,
                 const std::string& colour) {
    RecordNo r = b_.AddRecord(pnc_, "VEH-" + vin, next_offset_++);
    Handle v = b_.AddNode(NodeKind::kVehicle, vin, official_, r);
    b_.AddProperty(v, "make", make, r);
    b_.AddProperty(v, "colour", colour, r);
    b_.AddEdge(v, plate, EdgeKind::kDisplays, since, official_, r);
    return v;
  }
  Handle Person(const std::string& pnc_id) {
    RecordNo r = b_.AddRecord(pnc_, "NOM-" + pnc_id, next_offset_++);
    return b_.AddNode(NodeKind::kPerson, pnc_id, official_, r);
  }
  // Returns the link's record id.
  std::string Link(Handle person, Handle vehicle, EdgeKind kind, std::int64_t time,
                   LabelId label = kDefault) {
    const std::uint64_t offset = next_offset_++;
    const std::string id = absl::StrCat("LINK-", offset);
    RecordNo r = b_.AddRecord(pnc_, id, offset);
    b_.AddEdge(person, vehicle, kind, time, Pick(label), r);
    return id;
  }
  Handle Offence(const std::string& ref, Handle location, const std::string& from,
                 const std::string& to) {
    RecordNo r = b_.AddRecord(pnd_, "CRIME-" + ref, next_offset_++);
    Handle o = b_.AddNode(NodeKind::kOffence, ref, official_, r);
    b_.AddProperty(o, "committed_from", from, r);
    b_.AddProperty(o, "committed_to", to, r);
    b_.AddEdge(o, location, EdgeKind::kOccurredAt, 0, official_, r);
    return o;
  }
  Handle Place(const std::string& key, double lat, double lon) {
    RecordNo r = b_.AddRecord(pnd_, "LOC-" + key, next_offset_++);
    Handle h = b_.AddNode(NodeKind::kLocation, key, official_, r);
    b_.SetPosition(h, {lat, lon});
    return h;
  }
  std::shared_ptr<const Graph> Build() && {
    auto g = std::move(b_).Build(2);
    if (!g.ok()) return nullptr;
    return *g;
  }

 private:
  static constexpr LabelId kDefault = 0xFFFF;
  static ExtractInfo Extract(const char* path, Source source) {
    ExtractInfo info;
    info.path = path;
    info.source = source;
    info.force = "MPS";
    return info;
  }
  LabelId Pick(LabelId l) const { return l == kDefault ? official_ : l; }
  GraphBuilder b_;
  GraphBuilder::ExtractHandle anpr_, pnc_, pnd_;
  LabelId official_, secret_;
  std::uint64_t next_offset_ = 0;
  int reads_ = 0;
};

inline QueryContext Ctx(int threads = 1) {
  QueryContext ctx;
  ctx.threads = threads;
  ctx.clearance = Clearance::Unrestricted();
  return ctx;
}

inline QueryContext OfficialCtx(int threads = 1) {
  QueryContext ctx;
  ctx.threads = threads;
  ctx.clearance.level = Classification::kOfficial;
  return ctx;
}

// A seeded random graph: `sites` sites within ~20 km of Birmingham, `plates` plates, reads
// spread over two days plus groups of plates driving together along random routes, some
// reads SECRET, some carrying a camera colour, half the plates displayed by a vehicle.
inline std::shared_ptr<const Graph> RandomAnprGraph(std::uint32_t seed, int sites = 12,
                                                    int plates = 40, int reads = 500) {
  std::mt19937 rng(seed);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  AnprGraph g;
  std::vector<AnprGraph::Handle> s, p;
  for (int i = 0; i < sites; ++i) {
    s.push_back(g.Site(absl::StrCat(i), 52.48 + uniform(-1000, 1000) * 1e-4,
                       -1.89 + uniform(-1500, 1500) * 1e-4));
  }
  const char* colours[] = {"RED", "BLUE", "SILVER"};
  for (int i = 0; i < plates; ++i) {
    p.push_back(g.Plate(
        absl::StrCat("AB", 10 + i % 80, "CD", std::string(1, static_cast<char>('A' + i % 26)))));
    if (i % 2 == 0) {
      g.Vehicle(absl::StrCat("VIN", 1000 + i), p.back(), kDay0 - 86400 * uniform(0, 3), "FORD",
                colours[i % 3]);
    }
  }
  auto label = [&] { return uniform(0, 9) == 0 ? g.secret() : g.official(); };
  auto colour = [&]() -> std::string { return uniform(0, 5) == 0 ? colours[uniform(0, 2)] : ""; };
  for (int i = 0; i < reads; ++i) {
    g.Read(p[uniform(0, plates - 1)], s[uniform(0, sites - 1)],
           kDay0 + uniform(0, 2 * 86400 / 60) * 60 + uniform(0, 59), label(), "", colour());
  }
  for (int group = 0; group < plates / 8; ++group) {
    const int a = uniform(0, plates - 1), b = uniform(0, plates - 1);
    for (int trip = 0; trip < 3; ++trip) {
      std::int64_t t = kDay0 + uniform(0, 2 * 86400 - 3600);
      for (int hop = 0; hop < 4; ++hop) {
        const auto site = s[uniform(0, sites - 1)];
        g.Read(p[a], site, t, label());
        g.Read(p[b], site, t + uniform(0, 120), label());
        t += uniform(300, 900);
      }
    }
  }
  return std::move(g).Build();
}

}  // namespace polegraph::testing

#endif  // POLEGRAPH_TESTS_ANPR_ANPR_FIXTURE_H_
