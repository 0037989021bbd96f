// The oracle of pnc_index_decode_test.cc: the first PNC pass of ChunkParser::Parse done the
// protobuf way (record_oracle::ProtobufPath index-only: ExtractReader::Parse, the wire check,
// PncFacts into an index-only sink), a line-per-fact dump of an index-only ChunkFacts, a check
// of every value DecodePncIndex reads against the parsed message, and Compare(), which runs the
// production ChunkParser (decoder on) and the oracle on the same extract and checks that they
// agree.
#ifndef POLEGRAPH_TESTS_INGEST_PNC_INDEX_ORACLE_H_
#define POLEGRAPH_TESTS_INGEST_PNC_INDEX_ORACLE_H_

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "anpr_decode_oracle.h"
#include "fixture.h"
#include "ingest/internal/field_checks.h"
#include "ingest/internal/pnc_index_decode.h"
#include "record_decode_oracle.h"

namespace polegraph::testing::pnc_index_oracle {

using anpr_oracle::SameMeta;
using ingest_internal::ChunkFacts;
using ingest_internal::ChunkParser;
using ingest_internal::DecodePncIndex;
using ingest_internal::MetaFields;
using ingest_internal::PncIndexFields;

// One line per index fact, in order: equal dumps mean equal first-pass results.
inline std::vector<std::string> IndexDump(const ChunkFacts& f) {
  std::vector<std::string> out;
  for (const auto& r : f.records) {
    out.push_back(absl::StrCat("record ", r.offset, " ", r.index, " id=",
                               ingest_internal::Av(f.Text(r.record_id)), " label=", r.label));
  }
  for (const auto& l : f.labels) {
    out.push_back(absl::StrCat("label ", static_cast<int>(l.classification), " ", l.force, " ",
                               absl::StrJoin(l.caveats, "|")));
  }
  for (const auto& n : f.names) {
    out.push_back(absl::StrCat("name ", n.key, " ", n.pnc_id, " ", n.record_id, " ", n.how));
  }
  for (const auto& v : f.vrms) {
    out.push_back(absl::StrCat("vrm ", v.vrm, " ", v.vehicle_key, " ", v.since));
  }
  for (const auto& q : f.quarantine) {
    out.push_back(absl::StrCat("quarantine ", q.file, " ", q.offset, " ", q.index,
                               " id=", q.record_id, " reason=", q.reason));
  }
  CHECK(f.nodes.empty());  // an index-only pass keeps no graph facts
  CHECK(f.props.empty());
  CHECK(f.edges.empty());
  return out;
}

inline bool SameDate(const PncIndexFields::DateParts& d, const pb::Date& p) {
  return d.year == p.year() && d.month == p.month() && d.day == p.day();
}
inline bool SameName(const PncIndexFields::Name& d, const pb::PersonName& p) {
  return d.forename == p.forename() && d.surname == p.surname();
}
inline bool SameAddress(const PncIndexFields::Address& d, const pb::Address& p) {
  return d.uprn == p.uprn() && d.line == p.line() && d.town == p.town() &&
         d.postcode == p.postcode();
}

// When the decoder takes `payload`, protobuf must parse it into exactly its values and the
// field rules must accept them. Returns whether the decoder took it.
inline bool CheckDecodedValues(const ExtractReader& reader, std::string_view payload) {
  PncIndexFields d;
  const std::int64_t extracted_at = reader.header().extracted_at();
  if (!DecodePncIndex(payload, extracted_at, &d)) return false;
  pb::PncRecord m;
  REQUIRE(reader.Parse(payload, &m).ok());
  CHECK(ingest_internal::ValidateFields(m, extracted_at).ok());
  if (d.which == PncIndexFields::Case::kNominal) {
    REQUIRE(m.has_nominal());
    const pb::Nominal& n = m.nominal();
    CHECK(SameMeta(d.meta, MetaFields::Of(n.has_meta(), n.meta())));
    CHECK(d.pnc_id == n.pnc_id());
    CHECK(d.cro_number == n.cro_number());
    REQUIRE(d.names.size() == 1 + static_cast<std::size_t>(n.aliases_size()));
    CHECK(SameName(d.names[0], n.name()));
    for (int i = 0; i < n.aliases_size(); ++i) CHECK(SameName(d.names[i + 1], n.aliases(i)));
    CHECK(SameDate(d.date_of_birth, n.date_of_birth()));
    REQUIRE(d.alternative_dobs.size() ==
            static_cast<std::size_t>(n.alternative_dates_of_birth_size()));
    for (int i = 0; i < n.alternative_dates_of_birth_size(); ++i) {
      CHECK(SameDate(d.alternative_dobs[i], n.alternative_dates_of_birth(i)));
    }
    REQUIRE(d.addresses.size() == static_cast<std::size_t>(n.addresses_size()));
    for (int i = 0; i < n.addresses_size(); ++i) {
      CHECK(SameAddress(d.addresses[i], n.addresses(i)));
    }
    std::uint32_t unreferenced = 0, unspecified = 0;
    for (const pb::Arrest& a : n.arrests()) {
      unreferenced += a.crime_reference().empty() && a.arrest_id().empty();
    }
    for (const pb::Disposal& x : n.disposals()) {
      unspecified += x.type() == pb::DISPOSAL_UNSPECIFIED;
    }
    CHECK(d.arrests == static_cast<std::uint32_t>(n.arrests_size()));
    CHECK(d.arrests_without_reference == unreferenced);
    CHECK(d.disposals == static_cast<std::uint32_t>(n.disposals_size()));
    CHECK(d.disposals_unspecified == unspecified);
  } else {
    REQUIRE(d.which == PncIndexFields::Case::kVehicle);
    REQUIRE(m.has_vehicle());
    const pb::Vehicle& v = m.vehicle();
    CHECK(SameMeta(d.meta, MetaFields::Of(v.has_meta(), v.meta())));
    CHECK(d.vrm == v.vrm());
    CHECK(d.vin == v.vin());
    CHECK(d.vrm_since == v.vrm_since());
    CHECK(d.has_keeper == v.has_keeper());
    CHECK(d.keeper_has_person == v.keeper().has_person());
    const pb::PersonRef& k = v.keeper().person();
    CHECK(d.keeper_pnc_id == k.pnc_id());
    CHECK(SameName(d.keeper_name, k.name()));
    CHECK(SameDate(d.keeper_dob, k.date_of_birth()));
    CHECK(d.keeper_has_address == k.has_address());
    CHECK(SameAddress(d.keeper_address, k.address()));
  }
  return true;
}

struct Tally : record_oracle::Tally {
  std::size_t names = 0, vrms = 0;
};

// Writes `payloads` as a PNC extract, reads it back with `limits` and compares the index-only
// parse (decoder on) with the oracle on every chunk of a few records.
inline Tally Compare(const std::vector<std::string>& payloads, ExtractLimits limits = {},
                     std::int64_t extracted_at = kExtractedAt) {
  TempDir dir;
  std::vector<ExtractReader::Chunk> chunks;
  const auto reader = record_oracle::WriteAndScan(dir.File("pnc.pb"), pb::PNC, payloads, limits,
                                                  extracted_at, &chunks);
  Tally t;
  ChunkParser parser;
  for (const auto& chunk : chunks) {
    const ChunkFacts decoded = parser.Parse(*reader, chunk, /*index_only=*/true);
    const ChunkFacts oracle =
        record_oracle::ProtobufPath<record_oracle::PncTraits>(*reader, chunk, /*index_only=*/true);
    const std::vector<std::string> a = IndexDump(decoded), b = IndexDump(oracle);
    anpr_oracle::CheckSameDump(a, b);
    t.accepted += oracle.records.size();
    t.quarantined += oracle.quarantine.size();
    t.names += oracle.names.size();
    t.vrms += oracle.vrms.size();
    std::string bytes;
    const absl::Status read =
        reader->ForEachRecord(chunk, &bytes, [&](const ExtractReader::Frame& f) {
          ++t.records;
          if (limits.max_nesting >= ingest_internal::kPncIndexDecodeDepth &&
              CheckDecodedValues(*reader, f.payload)) {
            ++t.decoded;
          }
        });
    REQUIRE(read.ok());
  }
  return t;
}

}  // namespace polegraph::testing::pnc_index_oracle

#endif  // POLEGRAPH_TESTS_INGEST_PNC_INDEX_ORACLE_H_
