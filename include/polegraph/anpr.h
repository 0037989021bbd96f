// polegraph/anpr.h — ANPR analytics on a snapshot: convoys (plates that travel together),
// cloned plates (one VRM in two places at once, or on the wrong vehicle), misreads (which
// known plates a read VRM may really be), the scene of an offence (which plates passed near
// it, which vehicles display them, who keeps or uses those vehicles) and journeys.
//
// In a snapshot each ANPR read is a SEEN_AT edge Plate -> Location (the camera site, with a
// position), whose time is the read time (UTC seconds) and whose record is the read's record.
// Ingest keeps the make and colour a camera recognised as plate properties "read_make" and
// "read_colour" carrying the read's record; the vehicle that PNC says DISPLAYS the plate has
// properties "make" and "colour".
//
// Every analysis takes a QueryContext (query.h):
//   - clearance: a read is used only when the caller may see its SEEN_AT edge, its plate and
//     its site; vehicles, people and their edges likewise. What is hidden is skipped while the
//     data is gathered, so it can neither appear in nor influence a result (scores included);
//   - threads: the parallelism of each phase; results are identical at any thread count;
//   - deadline / cancellation: polled between phases (kDeadlineExceeded / kCancelled).
// Options are validated before any work starts (InvalidArgument naming the field).
// Reads whose time is unknown (0) are ignored. Distances are great-circle distances on a
// sphere of radius 6371.0088 km (haversine). All functions are thread-safe (the Graph is
// read-only); the Graph must outlive any result or index that refers to it.
//
// Example:
//   polegraph::QueryContext ctx{.threads = 4, .clearance = polegraph::Clearance::Unrestricted()};
//   absl::StatusOr<polegraph::ConvoyResult> convoys = polegraph::FindConvoys(*graph, {}, ctx);
//   if (!convoys.ok()) return convoys.status();
//   for (const polegraph::Convoy& c : convoys->convoys) {
//     // c.plates travelled together at c.sites on c.occasions; c.reads are the evidence
//     // (graph->record(read.record).record_id names each source record).
//   }
//   auto with_links = polegraph::DeriveConvoyGraph(*graph, *convoys, ctx);  // TRAVELLED_WITH
//   auto clones = polegraph::FindClones(*graph, {.max_speed_kmh = 160}, ctx);
//   absl::StatusOr<polegraph::NodeId> o = graph->Resolve("offence:MPS/CR/1/24");
//   if (!o.ok()) return o.status();
//   auto scene = polegraph::FindNearby(*graph, {.offence = *o}, ctx);
#ifndef POLEGRAPH_ANPR_H_
#define POLEGRAPH_ANPR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "polegraph/graph.h"
#include "polegraph/query.h"
#include "polegraph/types.h"

namespace polegraph {

// One ANPR read: a SEEN_AT edge.
struct AnprRead {
  EdgeId edge = 0;  // the SEEN_AT edge
  NodeId plate = kNoNode;
  NodeId site = kNoNode;
  std::int64_t time = 0;        // UTC seconds
  RecordNo record = kNoRecord;  // the read's record: Graph::record(record).record_id
  friend bool operator==(const AnprRead&, const AnprRead&) = default;
};

// Great-circle distance in metres between two WGS84 points (haversine, R = 6371.0088 km).
double HaversineMetres(GeoPoint a, GeoPoint b);

// --- convoys ------------------------------------------------------------------------------

// The longest ConvoyOptions::window, ConvoyOptions::occasion_gap and NearbyOptions::margin
// accepted: 366 days. A longer (or infinite) one is InvalidArgument naming the option; the
// times the algorithms add it to are seconds in an int64, which it must not overflow.
inline constexpr absl::Duration kMaxAnprDuration = absl::Hours(24 * 366);

// Out-of-range options are InvalidArgument, before any work (FindConvoys).
struct ConvoyOptions {
  // Two reads at one site this close are "together". From 1s to kMaxAnprDuration.
  absl::Duration window = absl::Seconds(90);
  int min_sites = 3;      // distinct sites at which a pair was seen together (>= 1)
  int min_occasions = 2;  // separate occasions (see occasion_gap; >= 1)
  // A plate's consecutive reads more than this apart belong to different trips; a pair's
  // occasions are built from its plates' trips (see ConvoyPair). From 0 to kMaxAnprDuration.
  absl::Duration occasion_gap = absl::Minutes(30);
  // Reads in [since, until] only (inclusive).
  std::optional<absl::Time> since = std::nullopt, until = std::nullopt;
  double min_score = 0;  // drop pairs scoring below this (score is >= 0)
  // Also drop pairs not significant once corrected for the candidate pairs tested: keep the
  // pairs that a Benjamini-Hochberg procedure at false_discovery_rate accepts, every
  // candidate pair counting as a test. Off: only min_score applies.
  bool correct_for_multiple_tests = true;
  double false_discovery_rate = 0.01;  // in (0, 1)
};

// Two plates seen together. A co-sighting is a pair of reads (one of each plate) at the same
// site at most `window` apart. A plate's trips split its reads, in time order, where
// consecutive reads are more than occasion_gap apart; the pair's occasions are its
// co-sightings joined when they share a trip of either plate (so the outward and return legs
// of one round trip are one occasion), and an occasion's extent is its distinct sites.
// The score measures the pair against chance. At a site s read by both, with n_a, n_b their
// reads there, K_a the sum over a's reads of the other reads in their windows, c the pair's
// co-sightings there, N_s the site's reads and T_s their time span (at least 2 * window):
//   expected = sum_s ((K_a - c) n_b + (K_b - c) n_a) / (2 N_s)  +  n_a n_b 2 window / T_s,
// i.e. the meetings each plate would have had with the other if its reads had fallen like
// the rest of the traffic it met, plus the site's average traffic as a floor.
// Co-sightings on one occasion are not independent (plates that meet at one camera often
// meet at the next), so the test counts occasions, and takes how far chance meetings run
// from the data: over every candidate pair, ConvoyResult::co_sightings_per_occasion (u) and
// occasion_tail[k] (F(k), the fraction of occasions at >= k sites). Then
//   met = expected / u                          chance occasions of any extent,
//   expected_occasions = met * (prod_i F(k_i))^(1/occasions)  for the pair's extents k_i,
//   score = -log10 P(Poisson(expected_occasions) >= occasions | Poisson(met) >= 1),
// conditioned on one meeting because every candidate pair has met once by definition (so
// the candidate pairs are the family of tests); lift = co_sightings / expected.
// Commuters on busy roads meet much traffic and are read often, so they expect many meetings;
// plates read mostly together, at quiet times, over several cameras each time, score high.
struct ConvoyPair {
  NodeId a = kNoNode, b = kNoNode;  // a < b
  int sites = 0;                    // distinct sites with a co-sighting
  int occasions = 0;
  std::int64_t co_sightings = 0;
  double expected = 0;             // chance co-sightings
  double expected_occasions = 0;   // chance occasions as extensive as the pair's (see above)
  double lift = 0;
  double score = 0;
  std::int64_t first_time = 0, last_time = 0;  // earliest / latest read of any co-sighting
  std::vector<AnprRead> reads;                 // the reads of every co-sighting, by (time, edge)
};

// A group of plates: the connected components of the qualifying pairs (pairs sharing a plate
// are merged).
struct Convoy {
  std::vector<NodeId> plates;      // ascending
  std::vector<NodeId> sites;       // ascending: every site of a member pair's co-sighting
  // Runs of the union of the pairs' reads split at gaps > occasion_gap (simpler than, and not
  // the same as, a pair's occasions: a round trip's two legs can count twice here).
  int occasions = 0;
  double score = 0;                // the highest score of a member pair
  std::vector<std::size_t> pairs;  // indices into ConvoyResult::pairs, ascending
  std::vector<AnprRead> reads;     // union of the pairs' reads, by (time, edge)
};

struct ConvoyResult {
  std::uint64_t candidate_pairs = 0;  // plate pairs with a co-sighting (both plates eligible)
  double score_threshold = 0;         // the score a pair needed (min_score or the correction)
  // The chance model of occasions, from every candidate pair's occasions: co-sightings per
  // occasion, and occasion_tail[k] = the fraction of occasions at >= k distinct sites (k <= 64;
  // [0] = [1] = 1).
  double co_sightings_per_occasion = 0;
  std::vector<double> occasion_tail;
  std::vector<ConvoyPair> pairs;      // qualifying pairs, by score desc, then (a, b)
  std::vector<Convoy> convoys;        // by score desc, then first plate
};

// Finds convoys. Cost: O(R log R + C log C) for R visible reads and C candidate co-sightings
// (read pairs within one window at one site, of plates read at >= min_sites sites); memory
// O(R + C).
absl::StatusOr<ConvoyResult> FindConvoys(const Graph& graph, const ConvoyOptions& options,
                                         const QueryContext& ctx);

// A new snapshot holding every fact of `graph` plus one TRAVELLED_WITH edge a -> b per pair of
// `convoys`: time = the pair's first co-sighting, label = the most restrictive label of its
// reads, provenance = a record of a "derived:convoys" extract (Source::kDerived) whose id
// names the pair and the record ids of its reads (no such extract when there are no pairs).
// `convoys` must come from this graph: a pair naming a node out of range or not a plate, or
// without reads, or a read that is not a SEEN_AT edge here, is InvalidArgument; a result from
// another graph whose ids happen to name plates and reads here is not detected.
absl::StatusOr<std::shared_ptr<const Graph>> DeriveConvoyGraph(const Graph& graph,
                                                               const ConvoyResult& convoys,
                                                               const QueryContext& ctx);

// Adds every fact of `graph` (extracts, records, labels, nodes with their records, properties,
// positions and merges, edges, metadata) to `builder`, so that building it alone reproduces
// the graph. Returns the builder handle of each NodeId (indexed by NodeId). Cost O(V + E + P).
absl::StatusOr<std::vector<GraphBuilder::Handle>> CopyGraphInto(const Graph& graph,
                                                                GraphBuilder& builder);

// --- cloned plates ------------------------------------------------------------------------

enum class CloneReason : std::uint8_t {
  kSpeed = 0,       // two consecutive reads imply a speed above max_speed_kmh
  kMakeMismatch,    // the camera's make differs from the PNC vehicle displaying the plate
  kColourMismatch,  // likewise for colour
};
std::string_view CloneReasonName(CloneReason reason);  // "speed", "make", "colour"

struct CloneOptions {
  double max_speed_kmh = 200;
  double min_distance_m = 1000;  // consecutive reads closer than this are never a conflict
  bool compare_make_colour = true;
  // Reads in [since, until] only (inclusive).
  std::optional<absl::Time> since = std::nullopt, until = std::nullopt;
};

// One piece of evidence that a plate is cloned.
struct CloneConflict {
  NodeId plate = kNoNode;
  CloneReason reason = CloneReason::kSpeed;
  std::vector<AnprRead> reads;  // kSpeed: the two reads, in time order; else the one read
  double distance_m = 0;        // kSpeed: between the two sites
  std::int64_t seconds = 0;     // kSpeed: time between the reads
  double speed_kmh = 0;         // kSpeed: implied speed (+infinity when seconds == 0)
  NodeId vehicle = kNoNode;     // mismatches: the vehicle PNC says displays the plate
  EdgeId displays = 0;          // mismatches: that DISPLAYS edge
  std::string read_value;       // mismatches: what the camera read, e.g. "RED"
  std::string vehicle_value;    // mismatches: the vehicle's value(s), e.g. "BLUE"
};

struct CloneResult {
  std::vector<CloneConflict> conflicts;  // by (plate, first read time, first read edge, reason)
  std::vector<NodeId> plates;            // distinct plates with a conflict, ascending
};

// Speed: for each plate, its visible reads at positioned sites in (time, edge) order; each
// consecutive pair at least min_distance_m apart whose implied speed exceeds max_speed_kmh
// (reads at the same instant at distinct sites included) is a conflict. Make/colour: each
// read carrying read_make / read_colour is compared (case-insensitively) with the vehicle
// whose DISPLAYS edge is the latest not after the read (edges of unknown time count as
// earliest); a value matching none of the vehicle's values is a conflict. Cost O(R log R + P)
// for R reads and P plate properties.
absl::StatusOr<CloneResult> FindClones(const Graph& graph, const CloneOptions& options,
                                       const QueryContext& ctx);

// --- misreads -----------------------------------------------------------------------------

struct MisreadOptions {
  int max_substitutions = 2;             // confusable substitutions allowed (O/0/D/Q, I/1/T, ...)
  bool allow_indel = true;               // also one dropped or added character
  double substitution_likelihood = 0.1;  // P(a camera turns one character into a confusable one)
  double indel_likelihood = 0.05;        // P(a camera drops or adds one character)
  double pseudo_reads = 1;               // added to every plate's reads in the prior (> 0)
  std::size_t max_results = 20;          // 0 = all
};

// A known plate that a read VRM may be a misread of. The likelihood is the probability that the
// plate is what the camera saw, given the VRM it reported, over the hypotheses "the VRM is
// right" and "it is a misread of candidate p" (every candidate the options allow):
//   w(p)    = (reads(p) + pseudo_reads) * substitution_likelihood^s(p) * indel_likelihood^i(p)
//   w(VRM)  = reads(VRM) + pseudo_reads          (reads(VRM) = 0 when it is no visible plate)
//   likelihood(p) = w(p) / (w(VRM) + sum over candidates q of w(q))
// i.e. a prior proportional to how often the plate is read (smoothed, so that a plate never
// read still counts), times the chance of the camera's mistakes. A plate read a thousand times
// one O/0 away from a VRM never read before scores about 0.99; two plates read equally often
// split the probability between them and the VRM. Each camera's own confidence in a read is
// not kept in the snapshot, so it plays no part.
struct MisreadCandidate {
  NodeId plate = kNoNode;
  int substitutions = 0;
  int indels = 0;           // 0 or 1
  double likelihood = 0;    // in (0, 1): see above
  std::uint64_t reads = 0;  // visible reads of the plate
};

// The known (visible) plates indexed by their confusable-folded key (O/0/D/Q -> O, I/1/T ->
// I, B/8 -> B, S/5 -> S, Z/2 -> Z, G/6 -> G). Build once per snapshot and clearance and query
// many times; Find is thread-safe. Build: O(P log P) for P plates; Find: O(L * A) look-ups for
// a VRM of length L over an alphabet of A folded characters.
class MisreadIndex {
 public:
  static absl::StatusOr<MisreadIndex> Build(const Graph& graph, const QueryContext& ctx);

  // Known plates that `vrm` (normalised here) may be a misread of — never the VRM itself —
  // by likelihood desc, then reads desc, then NodeId (max_results applied after the
  // likelihoods are normalised over every candidate).
  absl::StatusOr<std::vector<MisreadCandidate>> Find(std::string_view vrm,
                                                     const MisreadOptions& options) const;

 private:
  const Graph* graph_ = nullptr;
  std::vector<std::pair<std::uint64_t, NodeId>> entries_;  // (hash of folded key, plate)
  std::vector<std::uint64_t> reads_;                       // by plate - first plate
  NodeId first_plate_ = 0;
};

// Builds a MisreadIndex and queries it once.
absl::StatusOr<std::vector<MisreadCandidate>> FindMisreads(const Graph& graph, std::string_view vrm,
                                                           const MisreadOptions& options,
                                                           const QueryContext& ctx);

// --- the scene: plates, vehicles and people near a place and time ------------------------

struct NearbyOptions {
  // Either an offence (its OCCURRED_AT location's position, and its committed_from /
  // committed_to properties widened by `margin`, from 0 to kMaxAnprDuration) ...
  std::optional<NodeId> offence = std::nullopt;
  absl::Duration margin = absl::Minutes(30);
  // ... or a point and a time range (inclusive).
  std::optional<GeoPoint> at = std::nullopt;
  absl::Time from = absl::InfinitePast(), to = absl::InfiniteFuture();
  double radius_m = 500;
};

struct NearbySite {
  NodeId site = kNoNode;
  double distance_m = 0;
};

// An entity reached from the scene and the path that reaches it: path = site, plate
// [, vehicle [, person]]; edges = the read (SEEN_AT) [, DISPLAYS [, KEEPER_OF / USED]]. The
// records of `edges` are the evidence. A plate's path uses its earliest read at the scene.
struct SceneLink {
  NodeId node = kNoNode;
  std::vector<NodeId> path;
  std::vector<EdgeId> edges;
};

struct NearbyResult {
  GeoPoint centre{0, 0};
  double radius_m = 0;
  std::int64_t from = 0, to = 0;    // the time range searched (UTC seconds, clamped)
  std::vector<NearbySite> sites;    // by (distance, id)
  std::vector<AnprRead> reads;      // at those sites in [from, to], by (time, edge)
  std::vector<SceneLink> plates;    // one per plate, ascending
  std::vector<SceneLink> vehicles;  // one per (vehicle, plate), by (vehicle, plate)
  std::vector<SceneLink> people;    // one per (person, vehicle, edge), by those
};

namespace internal {
struct SiteIndexAccess;
}  // namespace internal

// The camera sites of a snapshot (positioned Locations with a SEEN_AT read) in a
// Boost.Geometry R-tree of (longitude, latitude) points in degrees, used as a bounding-box
// prefilter, and each site's reads sorted by time. It holds every site and read whatever its
// label (queries apply their own clearance), so one index serves every caller; build once per
// snapshot and pass it to FindNearby for each query. Thread-safe to query. Build cost
// O(S log S + R log d) for S sites and R reads (d a site), with ctx.threads; memory 4 bytes a
// read.
class SiteIndex {
 public:
  static absl::StatusOr<SiteIndex> Build(const Graph& graph, const QueryContext& ctx);
  const Graph& graph() const { return *graph_; }  // the indexed snapshot (must outlive this)

 private:
  friend struct internal::SiteIndexAccess;  // FindNearby's view of the tree and reads
  struct Impl;                              // the tree and the sites' reads
  const Graph* graph_ = nullptr;
  std::shared_ptr<const Impl> impl_;
};

// Sites from the index whose haversine distance from the centre is <= radius_m and that the
// caller may see with one visible read; then the reads, plates, vehicles and people. Cost
// O(log S + k) for k candidate sites, O(log d) a site to find its reads in the time range, plus
// the reads, vehicles and people reached (not the sites' whole histories).
absl::StatusOr<NearbyResult> FindNearby(const SiteIndex& index, const NearbyOptions& options,
                                        const QueryContext& ctx);
// Builds a SiteIndex and queries it once.
absl::StatusOr<NearbyResult> FindNearby(const Graph& graph, const NearbyOptions& options,
                                        const QueryContext& ctx);

// --- journeys -----------------------------------------------------------------------------

struct JourneyStep {
  AnprRead read;
  // From the previous step (0 for the first step): seconds, great-circle metres (NaN when a
  // site has no position) and implied speed (NaN when unknown, +infinity when seconds == 0
  // and the sites differ).
  std::int64_t seconds = 0;
  double distance_m = 0;
  double speed_kmh = 0;
};

struct JourneyOptions {
  absl::Time from = absl::InfinitePast(), to = absl::InfiniteFuture();  // inclusive
};

struct Journey {
  NodeId plate = kNoNode;
  std::vector<JourneyStep> steps;  // by (time, edge)
  double distance_m = 0;           // sum of the known step distances
};

// The visible reads of one plate in [from, to], in time order. NotFound when the plate is not
// a visible plate node. Cost O(d log d) for the plate's out-degree d.
absl::StatusOr<Journey> PlateJourney(const Graph& graph, NodeId plate,
                                     const JourneyOptions& options, const QueryContext& ctx);

}  // namespace polegraph

#endif  // POLEGRAPH_ANPR_H_
