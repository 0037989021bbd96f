// Deliberately invalid records for --bad-fraction: each function breaks one rule that ingest
// must quarantine (bad VRM, impossible date, missing key, unknown enum value, empty record id,
// invalid UTF-8 text) and returns the reason written to truth.json's bad_records.
#include "output.h"

namespace polegraph::gen {
namespace {

constexpr const char kInvalidUtf8[] = "\xC3\x28\xFF";  // a broken two-byte sequence and 0xFF

void ImpossibleDate(Rng& rng, pb::Date* d) {
  if (rng.Chance(0.5)) {
    d->set_month(13);
  } else {
    d->set_month(2);
    d->set_day(30);
  }
}

std::string BadVrm(Rng& rng) {
  static constexpr const char* kBad[] = {"AB1#CDE", "ABCDEFGH12", "12345678", "A!B2CD", "??"};
  return kBad[rng.Below(std::size(kBad))];
}

}  // namespace

std::string CorruptPnc(pb::PncRecord* record, Rng& rng) {
  const int kind = static_cast<int>(rng.Below(5));
  if (record->has_nominal()) {
    pb::Nominal* n = record->mutable_nominal();
    switch (kind) {
      case 0:
        n->mutable_meta()->clear_record_id();
        return "empty_record_id";
      case 1:
        ImpossibleDate(rng, n->mutable_date_of_birth());
        return "impossible_date";
      case 2:
        n->clear_pnc_id();
        return "missing_key";
      case 3:
        n->mutable_name()->set_surname(std::string("Sm") + kInvalidUtf8);
        return "invalid_utf8";
      default:
        n->set_sex(static_cast<pb::Sex>(9));
        return "unknown_enum";
    }
  }
  pb::Vehicle* v = record->mutable_vehicle();
  switch (kind) {
    case 0:
      v->mutable_meta()->clear_record_id();
      return "empty_record_id";
    case 1:
      v->set_vrm(BadVrm(rng));
      return "bad_vrm";
    case 2:
      v->clear_vrm();
      v->clear_vin();
      return "missing_key";
    case 3:
      v->set_make(std::string("FO") + kInvalidUtf8);
      return "invalid_utf8";
    default:
      v->mutable_meta()->mutable_marking()->set_classification(static_cast<pb::Classification>(17));
      return "unknown_enum";
  }
}

std::string CorruptPnd(pb::PndRecord* record, Rng& rng) {
  const int kind = static_cast<int>(rng.Below(5));
  if (record->has_crime()) {
    pb::Crime* c = record->mutable_crime();
    switch (kind) {
      case 0:
        c->mutable_meta()->clear_record_id();
        return "empty_record_id";
      case 1: {
        if (c->people_size() == 0) {
          pb::CrimePerson* p = c->add_people();
          p->set_role(pb::VICTIM);
          p->mutable_person()->mutable_name()->set_forename("Alex");
          p->mutable_person()->mutable_name()->set_surname("Morgan");
          p->mutable_person()->mutable_date_of_birth()->set_year(1990);
          p->mutable_person()->mutable_date_of_birth()->set_day(1);
        }
        ImpossibleDate(rng, c->mutable_people(0)->mutable_person()->mutable_date_of_birth());
        return "impossible_date";
      }
      case 2:
        c->clear_crime_reference();
        return "missing_key";
      case 3:
        c->set_modus_operandi(std::string("Entry forced ") + kInvalidUtf8);
        return "invalid_utf8";
      default:
        c->mutable_meta()->mutable_marking()->set_classification(
            static_cast<pb::Classification>(17));
        return "unknown_enum";
    }
  }
  if (record->has_intelligence()) {
    pb::Intelligence* i = record->mutable_intelligence();
    switch (kind % 3) {
      case 0:
        i->mutable_meta()->clear_record_id();
        return "empty_record_id";
      case 1:
        i->set_text(std::string("Subject ") + kInvalidUtf8);
        return "invalid_utf8";
      default:
        i->mutable_grading()->set_source(static_cast<pb::SourceEvaluation>(7));
        return "unknown_enum";
    }
  }
  pb::Custody* c = record->mutable_custody();
  switch (kind % 4) {
    case 0:
      c->mutable_meta()->clear_record_id();
      return "empty_record_id";
    case 1:
      ImpossibleDate(rng, c->mutable_detainee()->mutable_date_of_birth());
      return "impossible_date";
    case 2:
      c->clear_custody_id();
      c->clear_crime_reference();
      return "missing_key";
    default:
      c->mutable_detainee()->mutable_name()->set_surname(std::string("Jo") + kInvalidUtf8);
      return "invalid_utf8";
  }
}

std::string CorruptAnpr(pb::AnprRecord* record, Rng& rng) {
  pb::Read* r = record->mutable_read();
  switch (rng.Below(4)) {
    case 0:
      r->mutable_meta()->clear_record_id();
      return "empty_record_id";
    case 1:
      r->set_vrm(BadVrm(rng));
      return "bad_vrm";
    case 2:
      r->clear_site_id();
      return "missing_key";
    default:
      r->set_make(std::string("VAUX") + kInvalidUtf8);
      return "invalid_utf8";
  }
}

}  // namespace polegraph::gen
