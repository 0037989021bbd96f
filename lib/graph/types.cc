// Names of the vocabulary in types.h, as they appear in JSON, on the command line and in
// entity names ("person:16/123456X").
#include "polegraph/types.h"

#include <array>

namespace polegraph {
namespace {

constexpr std::array<std::string_view, kNumNodeKinds> kNodeKindNames = {
    "person", "vehicle", "plate", "location", "offence"};
constexpr std::array<std::string_view, kNumEdgeKinds> kEdgeKindNames = {
    "KEEPER_OF",   "USED",          "DISPLAYS",     "SEEN_AT",   "RESIDES_AT",
    "FREQUENTS",   "SUSPECT_IN",    "ARRESTED_FOR", "CONVICTED_OF", "VICTIM_OF",
    "WITNESS_TO",  "INVOLVED_IN",   "OCCURRED_AT",  "ASSOCIATE_OF", "TRAVELLED_WITH"};
constexpr std::array<std::string_view, 4> kSourceNames = {"PNC", "PND", "ANPR", "DERIVED"};
constexpr std::array<std::string_view, 4> kClassificationNames = {
    "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP-SECRET"};

template <typename E, std::size_t N>
std::optional<E> Parse(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

Clearance Clearance::Unrestricted() {
  Clearance c;
  c.level = Classification::kTopSecret;
  c.all_caveats = true;
  return c;
}

std::string_view NodeKindName(NodeKind kind) {
  return kNodeKindNames[static_cast<std::size_t>(kind)];
}
std::string_view EdgeKindName(EdgeKind kind) {
  return kEdgeKindNames[static_cast<std::size_t>(kind)];
}
std::string_view SourceName(Source source) {
  return kSourceNames[static_cast<std::size_t>(source)];
}
std::string_view ClassificationName(Classification c) {
  return kClassificationNames[static_cast<std::size_t>(c)];
}
std::optional<NodeKind> ParseNodeKind(std::string_view name) {
  return Parse<NodeKind>(kNodeKindNames, name);
}
std::optional<EdgeKind> ParseEdgeKind(std::string_view name) {
  return Parse<EdgeKind>(kEdgeKindNames, name);
}
std::optional<Classification> ParseClassification(std::string_view name) {
  if (name == "OFFICIAL_SENSITIVE") return Classification::kOfficialSensitive;
  if (name == "TOP_SECRET" || name == "TOP SECRET") return Classification::kTopSecret;
  return Parse<Classification>(kClassificationNames, name);
}

}  // namespace polegraph
