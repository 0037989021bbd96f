// polegraph-gen: synthetic PNC, PND and ANPR extracts with planted ground truth.
//
//   polegraph-gen --scale S --seed N --out DIR [--bad-fraction F]
// writes DIR/pnc.pb, DIR/pnd.pb, DIR/anpr.pb (extract files, see polegraph/extract.h) and
// DIR/truth.json (see the README (polegraph-gen and truth.json)), and prints a one-line JSON summary. Scale 1 is about one
// million records, two thirds of them ANPR reads; the same arguments give byte-identical files.
#include <chrono>
#include <filesystem>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "common/args.h"
#include "common/json.h"
#include "common/last_resort.h"
#include "output.h"

namespace {

absl::Status Run(int argc, char** argv) {
  polegraph::tools::Args args;
  args.Option("scale").Option("seed").Option("out").Option("bad-fraction");
  if (absl::Status s = args.Parse(argc, argv); !s.ok()) return s;
  if (!args.positionals().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", args.positionals()[0],
                     "'; usage: polegraph-gen --scale S --seed N --out DIR [--bad-fraction F]"));
  }
  if (!args.Has("out")) return absl::InvalidArgumentError("--out DIR is required");
  auto scale = args.Double("scale", 1.0);
  auto seed = args.Int("seed", 1);
  auto bad = args.Double("bad-fraction", 0.0);
  if (!scale.ok()) return scale.status();
  if (!seed.ok()) return seed.status();
  if (!bad.ok()) return bad.status();
  if (!(*scale >= 0.01 && *scale <= 100)) {
    return absl::InvalidArgumentError("--scale must be between 0.01 and 100");
  }
  if (*seed < 0) return absl::InvalidArgumentError("--seed must be a non-negative integer");
  if (!(*bad >= 0 && *bad <= 0.5)) {
    return absl::InvalidArgumentError("--bad-fraction must be between 0 and 0.5");
  }
  const std::string dir = args.Get("out");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat(dir, ": cannot create directory: ", ec.message()));

  const auto started = std::chrono::steady_clock::now();
  polegraph::gen::Config config;
  config.scale = *scale;
  config.seed = static_cast<std::uint64_t>(*seed);
  config.bad_fraction = *bad;
  const polegraph::gen::World world(config);
  polegraph::gen::Truth truth;
  const std::string pnc = dir + "/pnc.pb", pnd = dir + "/pnd.pb", anpr = dir + "/anpr.pb";
  if (absl::Status s = polegraph::gen::WritePnc(world, pnc, &truth); !s.ok()) return s;
  if (absl::Status s = polegraph::gen::WritePnd(world, pnd, &truth); !s.ok()) return s;
  if (absl::Status s = polegraph::gen::WriteAnpr(world, anpr, &truth); !s.ok()) return s;
  const std::string truth_path = dir + "/truth.json";
  if (absl::Status s = polegraph::gen::WriteTruth(world, truth, truth_path); !s.ok()) return s;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  polegraph::tools::JsonWriter j(std::cout, false);
  j.BeginObject();
  j.Key("files");
  j.BeginArray();
  for (const std::string& f : {pnc, pnd, anpr, truth_path}) j.String(f);
  j.EndArray();
  j.Key("records");
  j.BeginObject();
  j.Field("pnc", truth.pnc_records);
  j.Field("pnd", truth.pnd_records);
  j.Field("anpr", truth.anpr_records);
  j.Field("total", truth.pnc_records + truth.pnd_records + truth.anpr_records);
  j.EndObject();
  j.Field("bad_records", static_cast<std::uint64_t>(truth.bad_records.size()));
  j.Field("seconds", seconds);
  j.EndObject();
  j.Newline();
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  // Unwinding from std::bad_alloc removes the temporary file being written (the files already
  // finished are whole).
  return polegraph::tools::RunReportingExceptions(
      "polegraph-gen", "try a smaller --scale or a larger machine", [&] {
        absl::Status s = Run(argc, argv);
        if (s.ok()) return 0;
        std::cerr << "polegraph-gen: " << s.message() << "\n";
        return s.code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
      });
}
