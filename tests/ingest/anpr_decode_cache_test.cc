// The decoded ANPR path's per-chunk shortcuts (facts_anpr.cc: the site cache, the VRM normalised
// on the stack, the record id copied only for a quarantine) against the protobuf path, which
// takes none of them (anpr_decode_oracle.h): whole chunks of many records, so that reads meet
// sites cached by earlier reads of the chunk, with quarantined records between them.
#include <string>
#include <vector>

#include "anpr_decode_oracle.h"
#include "fixture.h"

namespace polegraph::testing {
namespace {

using namespace anpr_oracle;  // NOLINT(build/namespaces): a test's own helpers

std::string Read(const std::string& id, const std::string& vrm, const std::string& site,
                 float confidence = 0.5f) {
  return AsRead(Len(1, DefaultMeta(id)) + Len(2, vrm) + Len(3, site) +
                VarintField(5, static_cast<std::uint64_t>(kT0)) + Fixed(7, confidence) +
                Len(8, "FORD"));
}

TEST_CASE("site cache: repeated, respelt and new sites around quarantined reads") {
  const std::vector<std::string> cases = {
      Read("R1", "AB12CDE", "s1"),
      Read("R2", "ab12 cde", "s1"),            // same site: cached text and hash
      Read("R3", "XY51ABC", " S1 "),           // another raw id, same key "SITE-S1"
      Read("R4", "BAD!", "s2"),                // quarantined (invalid VRM) before s2 is cached
      Read("R5", "AB12CDE", "s2", 1.5f),       // quarantined (confidence) before s2 is cached
      Read("R6", "AB12CDE", "s1", -1.0f),      // quarantined, s1 cached: the entry stays
      Read("R7", "K1", "s1"),                  // s1 again after the quarantines
      Read("R8", "K1", "s2"),                  // s2 first cached now
      Read("", "K1", "s2"),                    // quarantined: empty record id
      Read("R9", "K1", ""),                    // quarantined: no site id
      Read("R10", "", "s2"),                   // quarantined: no VRM
      Read("R11", "a-b.1\t2c\vde", "s2"),      // every character NormaliseVrm drops
      Read("R12", std::string(40, ' ') + "AB12CDE", "s2"),  // longer than the stack buffer
      Read("R13", std::string(40, 'A'), "s2"),              // long and invalid
      AsSite(SiteBody("S9")),                  // a site record: SiteFacts, not the cache
      Read("R14", "AB12CDE", "s1"),
  };
  std::int64_t chars = 0;
  const Tally t = Compare(cases, {}, kExtractedAt, /*records_per_chunk=*/1000, &chars);
  CHECK(t.records == cases.size());
  CHECK(t.quarantined == 7);  // R4, R5, R6, "", R9, R10, R13
  CHECK(t.accepted == 9);
  // The cache reused "SITE-S1" for R2, R7, R14 (R3's raw id " S1 " has an entry of its own)
  // and "SITE-S2" for R11, R12: 5 x 7 chars.
  CHECK(chars == -5 * 7);
  // One record per chunk: nothing to reuse.
  const Tally one = Compare(cases, {}, kExtractedAt, /*records_per_chunk=*/1, &chars);
  CHECK(one.accepted == 9);
  CHECK(chars == 0);
}

TEST_CASE("site cache: generated and mutated records in large chunks") {
  const GeneratedRecords generated = GenerateRecords("anpr.pb", 11);
  std::int64_t chars = 0;
  const Tally t =
      Compare(generated.payloads, {}, generated.extracted_at, /*records_per_chunk=*/4096, &chars);
  CHECK(t.records > 5000);
  CHECK(t.quarantined > 50);
  CHECK(chars < -1000);  // many reads of a few hundred sites
  const std::vector<std::string> mutated =
      MutatedRecords(generated.payloads, /*stride=*/3, /*seed=*/20261127);
  const Tally m = Compare(mutated, {}, generated.extracted_at, /*records_per_chunk=*/4096);
  CHECK(m.quarantined > m.records / 10);
  CHECK(m.accepted > m.records / 10);
}

TEST_CASE("site cache: empty and one-record extracts") {
  CHECK(Compare({}, {}, kExtractedAt, 4096).records == 0);
  CHECK(Compare({Read("R1", "AB12CDE", "s1")}, {}, kExtractedAt, 4096).accepted == 1);
}

}  // namespace
}  // namespace polegraph::testing
