// polegraph convoys G.pg [--window 90s] [--min-sites 3] [--min-occasions 2] [--occasion-gap 30m]
//                        [--since T --until T] [--min-score S] [--fdr Q] [--uncorrected]
//                        [--limit N]
//                        [--derive-out G2.pg] [--threads T] [--clearance LEVEL] [--text]
//
// Plates that travel together (FindConvoys): convoys[] with plates, sites, occasions, score,
// their pairs and the evidencing reads (edge ids and record ids). --derive-out writes a new
// snapshot with a TRAVELLED_WITH edge per pair.
#include <iostream>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "polegraph/anpr_cli.h"
#include "polegraph/commands.h"
#include "polegraph/io.h"

namespace polegraph::tools {
namespace {

constexpr char kUsage[] =
    "usage: polegraph convoys G.pg [--window 90s] [--min-sites 3] [--min-occasions 2] "
    "[--occasion-gap 30m] [--since T --until T] [--min-score S] [--fdr 0.01] [--uncorrected] "
    "[--limit N] [--derive-out G2.pg] [--threads T] [--clearance LEVEL] [--caveats C,...] [--forces F,...] "
    "[--text]\n";

std::vector<std::string> Keys(const Graph& g, const std::vector<NodeId>& nodes) {
  std::vector<std::string> keys;
  for (NodeId v : nodes) keys.emplace_back(g.key(v));
  return keys;
}

void WriteJson(const Graph& g, const ConvoyResult& r, std::size_t limit) {
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("candidate_pairs", r.candidate_pairs);
  j.Field("score_threshold", r.score_threshold);
  j.Field("co_sightings_per_occasion", r.co_sightings_per_occasion);
  j.Field("pairs", static_cast<std::uint64_t>(r.pairs.size()));
  j.Field("count", static_cast<std::uint64_t>(r.convoys.size()));
  j.Key("convoys");
  j.BeginArray();
  for (std::size_t i = 0; i < r.convoys.size() && i < limit; ++i) {
    const Convoy& c = r.convoys[i];
    j.BeginObject();
    j.Key("plates");
    j.BeginArray();
    for (const std::string& k : Keys(g, c.plates)) j.String(k);
    j.EndArray();
    j.Key("sites");
    j.BeginArray();
    for (const std::string& k : Keys(g, c.sites)) j.String(k);
    j.EndArray();
    j.Field("occasions", c.occasions);
    j.Field("score", c.score);
    j.Key("pairs");
    j.BeginArray();
    for (std::size_t k : c.pairs) {
      const ConvoyPair& p = r.pairs[k];
      j.BeginObject();
      j.Key("plates");
      j.BeginArray();
      j.String(g.key(p.a));
      j.String(g.key(p.b));
      j.EndArray();
      j.Field("sites", p.sites);
      j.Field("occasions", p.occasions);
      j.Field("co_sightings", p.co_sightings);
      j.Field("expected", p.expected);
      j.Field("expected_occasions", p.expected_occasions);
      j.Field("lift", p.lift);
      j.Field("score", p.score);
      j.Field("first", IsoTime(p.first_time));
      j.Field("last", IsoTime(p.last_time));
      j.EndObject();
    }
    j.EndArray();
    j.Key("reads");
    WriteReads(g, c.reads, j);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Newline();
}

void WriteText(const Graph& g, const ConvoyResult& r, std::size_t limit) {
  std::cout << absl::StrFormat("%d convoys from %d pairs\n", r.convoys.size(), r.pairs.size());
  for (std::size_t i = 0; i < r.convoys.size() && i < limit; ++i) {
    const Convoy& c = r.convoys[i];
    std::cout << absl::StrFormat("#%d  score %.2f  plates %s  sites %d  occasions %d\n", i + 1,
                                 c.score, absl::StrJoin(Keys(g, c.plates), " "), c.sites.size(),
                                 c.occasions);
    for (std::size_t k : c.pairs) {
      const ConvoyPair& p = r.pairs[k];
      std::cout << absl::StrFormat(
          "    %s + %s: %d together (%.3g expected), %d sites, %d "
          "occasions, score %.2f\n",
          g.key(p.a), g.key(p.b), p.co_sightings, p.expected, p.sites, p.occasions, p.score);
    }
    for (const AnprRead& read : c.reads) std::cout << "    " << ReadText(g, read) << "\n";
  }
}

}  // namespace

int RunConvoys(int argc, char** argv) {
  Args args;
  CommonOptions(args);
  args.Option("window").Option("min-sites").Option("min-occasions").Option("occasion-gap");
  args.Option("since").Option("until").Option("min-score").Option("limit").Option("derive-out");
  args.Option("fdr");
  args.Flag("uncorrected");
  if (absl::Status s = args.Parse(argc, argv); !s.ok() || args.positionals().size() != 1) {
    std::cerr << kUsage << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  ConvoyOptions o;
  auto window = DurationOption(args, "window", o.window);
  auto gap = DurationOption(args, "occasion-gap", o.occasion_gap);
  auto sites = args.IntIn("min-sites", o.min_sites, 1, kMaxInt32);
  auto occasions = args.IntIn("min-occasions", o.min_occasions, 1, kMaxInt32);
  auto since = TimeOption(args, "since");
  auto until = TimeOption(args, "until");
  auto score = args.Double("min-score", o.min_score);
  auto fdr = args.Double("fdr", o.false_discovery_rate);
  auto limit = args.Int("limit", 1000);
  auto ctx = ContextOption(args);
  for (const absl::Status& s :
       {window.status(), gap.status(), sites.status(), occasions.status(), since.status(),
        until.status(), score.status(), fdr.status(), limit.status(), ctx.status()}) {
    if (!s.ok()) return Fail("convoys", s);
  }
  if (*limit < 0) return Fail("convoys", absl::InvalidArgumentError("--limit must be >= 0"));
  o.window = *window;
  o.occasion_gap = *gap;
  o.min_sites = static_cast<int>(*sites);
  o.min_occasions = static_cast<int>(*occasions);
  o.since = *since;
  o.until = *until;
  o.min_score = *score;
  o.false_discovery_rate = *fdr;
  o.correct_for_multiple_tests = !args.Has("uncorrected");
  std::shared_ptr<const Graph> g = OpenOrReport("convoys", args);
  if (g == nullptr) return 1;
  absl::StatusOr<ConvoyResult> r = FindConvoys(*g, o, *ctx);
  if (!r.ok())
    return Fail("convoys", r.status());
  if (args.Has("derive-out")) {
    auto derived = DeriveConvoyGraph(*g, *r, *ctx);
    if (!derived.ok()) return Fail("convoys", derived.status());
    if (absl::Status s = SaveSnapshot(**derived, args.Get("derive-out")); !s.ok()) {
      return Fail("convoys", s);
    }
  }
  if (args.Has("text")) {
    WriteText(*g, *r, static_cast<std::size_t>(*limit));
  } else {
    WriteJson(*g, *r, static_cast<std::size_t>(*limit));
  }
  return 0;
}

}  // namespace polegraph::tools
