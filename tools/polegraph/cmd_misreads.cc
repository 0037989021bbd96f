// polegraph misreads G.pg --plate VRM [--max-substitutions 2] [--no-indel] [--limit 20]
//                         [--threads T] [--clearance LEVEL] [--text]
//
// The known plates a read VRM may be a misread of (FindMisreads): confusable substitutions
// (O/0/D/Q, I/1/T, B/8, S/5, Z/2, G/6) and one dropped or added character, ranked by
// likelihood.
#include <iostream>

#include "absl/strings/str_format.h"
#include "polegraph/anpr_cli.h"
#include "polegraph/commands.h"
#include "polegraph/keys.h"

namespace polegraph::tools {

int RunMisreads(int argc, char** argv) {
  Args args;
  CommonOptions(args);
  args.Option("plate").Option("max-substitutions").Option("limit").Flag("no-indel");
  if (absl::Status s = args.Parse(argc, argv);
      !s.ok() || args.positionals().size() != 1 || !args.Has("plate")) {
    std::cerr << "usage: polegraph misreads G.pg --plate VRM [--max-substitutions 2] "
                 "[--no-indel] [--limit 20] [--threads T] [--clearance LEVEL] [--caveats C,...] "
                 "[--forces F,...] [--text]\n"
              << kClearanceHelp;
    if (!s.ok()) std::cerr << s.message() << "\n";
    return 2;
  }
  MisreadOptions o;
  auto subs = args.IntIn("max-substitutions", o.max_substitutions, 0, kMaxInt32);
  auto limit = args.Int("limit", static_cast<std::int64_t>(o.max_results));
  auto ctx = ContextOption(args);
  for (const absl::Status& s : {subs.status(), limit.status(), ctx.status()}) {
    if (!s.ok()) return Fail("misreads", s);
  }
  if (*limit < 0) return Fail("misreads", absl::InvalidArgumentError("--limit must be >= 0"));
  o.max_substitutions = static_cast<int>(*subs);
  o.max_results = static_cast<std::size_t>(*limit);
  o.allow_indel = !args.Has("no-indel");
  std::shared_ptr<const Graph> g = OpenOrReport("misreads", args);
  if (g == nullptr) return 1;
  auto r = FindMisreads(*g, args.Get("plate"), o, *ctx);
  if (!r.ok()) {
    return Fail("misreads", r.status());
  }
  const std::string vrm = NormaliseVrm(args.Get("plate"));
  if (args.Has("text")) {
    std::cout << absl::StrFormat("%s may be a misread of %d known plates\n", vrm, r->size());
    for (const MisreadCandidate& c : *r) {
      std::cout << absl::StrFormat(
          "  %-10s likelihood %-8.3g substitutions %d indels %d reads %d\n", g->key(c.plate),
          c.likelihood, c.substitutions, c.indels, c.reads);
    }
    return 0;
  }
  JsonWriter j(std::cout);
  j.BeginObject();
  j.Field("vrm", vrm);
  j.Key("candidates");
  j.BeginArray();
  for (const MisreadCandidate& c : *r) {
    j.BeginObject();
    j.Field("plate", g->key(c.plate));
    j.Field("likelihood", c.likelihood);
    j.Field("substitutions", c.substitutions);
    j.Field("indels", c.indels);
    j.Field("reads", c.reads);
    j.EndObject();
  }
  j.EndArray();
  j.EndObject();
  j.Newline();
  return 0;
}

}  // namespace polegraph::tools
