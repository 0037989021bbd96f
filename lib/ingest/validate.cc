// Validation rules shared by every record type (validate.h): a reflection walk over every field
// (UTF-8 text, known enum values, plausible times and dates, coordinates, no unknown fields)
// and the record meta. Cost: O(size of the record); the field path of a failure is built only
// when a rule fails.
#include "ingest/internal/validate.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "polegraph/keys.h"

namespace polegraph::ingest_internal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// The path of the field being checked, e.g. "nominal.aliases[1].surname".
class FieldPath {
 public:
  void Push(const FieldDescriptor* f, int index) { stack_.push_back({f, index}); }
  void Pop() { stack_.pop_back(); }
  std::string ToString() const {
    std::string s;
    for (const auto& [f, index] : stack_) {
      if (!s.empty()) s += '.';
      s += f->name();
      if (index >= 0) absl::StrAppend(&s, "[", index, "]");
    }
    return s;
  }

 private:
  std::vector<std::pair<const FieldDescriptor*, int>> stack_;
};

absl::Status Fail(const FieldPath& path, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path.ToString(), ": ", Av(what)));
}

absl::Status CheckTime(std::int64_t t, std::int64_t extracted_at, const FieldPath& path) {
  if (t < 0) return Fail(path, absl::StrCat("time ", t, " is negative"));
  if (extracted_at > 0 && t > extracted_at + kTimeSlackSeconds) {
    return Fail(path, absl::StrCat("time ", Av(TimeString(t)),
                                   " is more than a day after the extract time ",
                                   Av(TimeString(extracted_at))));
  }
  return absl::OkStatus();
}

absl::Status Walk(const Message& m, std::int64_t extracted_at, FieldPath* path);

// The fields of a message type in field-number order (the order of Reflection::ListFields),
// computed once per type and thread. Node-based map: references stay valid across inserts.
const std::vector<const FieldDescriptor*>& FieldsByNumber(const google::protobuf::Descriptor* d) {
  thread_local std::unordered_map<const google::protobuf::Descriptor*,
                                  std::vector<const FieldDescriptor*>>
      cache;
  auto [it, inserted] = cache.try_emplace(d);
  if (inserted) {
    for (int i = 0; i < d->field_count(); ++i) it->second.push_back(d->field(i));
    std::sort(it->second.begin(), it->second.end(),
              [](const FieldDescriptor* a, const FieldDescriptor* b) {
                return a->number() < b->number();
              });
  }
  return it->second;
}

// Checks one value of a field (index -1 for a singular field).
absl::Status CheckValue(const Message& m, const Reflection* r, const FieldDescriptor* f, int index,
                        std::int64_t extracted_at, FieldPath* path) {
  const bool rep = index >= 0;
  path->Push(f, index);
  absl::Status s;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& v = rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
                                 : r->GetStringReference(m, f, &scratch);
      if (!IsValidUtf8(v)) s = Fail(*path, "text is not valid UTF-8");
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int v = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      if (f->enum_type()->FindValueByNumber(v) == nullptr) {
        s = Fail(*path, absl::StrCat("unknown ", f->enum_type()->name(), " value ", v));
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const std::int64_t v = rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f);
      s = CheckTime(v, extracted_at, *path);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const double v = f->cpp_type() == FieldDescriptor::CPPTYPE_DOUBLE
                           ? (rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f))
                           : (rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
      const std::string& name = f->name();
      const double limit = name == "latitude" ? 90 : name == "longitude" ? 180 : 0;
      if (!std::isfinite(v)) {
        s = Fail(*path, "value is not a finite number");
      } else if (limit > 0 && std::fabs(v) > limit) {
        s = Fail(*path, absl::StrCat("coordinate ", v, " is out of range"));
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      static const google::protobuf::Descriptor* const kDate = pb::Date::descriptor();
      if (f->message_type() == kDate) {
        absl::Status d = CheckDate(static_cast<const pb::Date&>(sub), extracted_at);
        if (!d.ok()) s = Fail(*path, std::string(d.message()));
      }
      if (s.ok()) s = Walk(sub, extracted_at, path);
      break;
    }
    default:
      break;
  }
  path->Pop();
  return s;
}

absl::Status Walk(const Message& m, std::int64_t extracted_at, FieldPath* path) {
  const Reflection* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) {
    const auto& unknown = r->GetUnknownFields(m);
    return absl::InvalidArgumentError(absl::StrCat(
        path->ToString().empty() ? m.GetDescriptor()->name() : path->ToString(), ": field ",
        unknown.field(0).number(), " is not in the ", m.GetDescriptor()->name(),
        " schema (a record of another source, or a corrupt payload)"));
  }
  for (const FieldDescriptor* f : FieldsByNumber(m.GetDescriptor())) {
    // Field-number order and "set" as ListFields defines it (present, non-empty repeated, or
    // a non-default value for a field without presence), without building a list per message.
    if (f->is_repeated() ? r->FieldSize(m, f) == 0 : !r->HasField(m, f)) continue;
    if (f->is_repeated()) {
      const int n = r->FieldSize(m, f);
      for (int i = 0; i < n; ++i) {
        absl::Status s = CheckValue(m, r, f, i, extracted_at, path);
        if (!s.ok()) return s;
      }
    } else {
      absl::Status s = CheckValue(m, r, f, -1, extracted_at, path);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateFields(const google::protobuf::Message& message, std::int64_t extracted_at) {
  FieldPath path;
  return Walk(message, extracted_at, &path);
}

bool IsDateSet(const pb::Date& d) { return d.year() != 0 || d.month() != 0 || d.day() != 0; }

absl::Status CheckDate(const pb::Date& d, std::int64_t extracted_at) {
  if (!IsDateSet(d)) return absl::OkStatus();
  auto shown = [&] { return absl::StrCat(d.year(), "-", d.month(), "-", d.day()); };
  if (d.month() < 1 || d.month() > 12) {
    return absl::InvalidArgumentError(absl::StrCat("impossible date ", shown(), ": month"));
  }
  if (d.day() < 1 || d.day() > DaysInMonth(d.year(), d.month())) {
    return absl::InvalidArgumentError(absl::StrCat("impossible date ", shown(), ": day"));
  }
  if (d.year() < 1900) {
    return absl::InvalidArgumentError(absl::StrCat("impossible date ", shown(), ": before 1900"));
  }
  if (extracted_at > 0) {
    // Every date of a file is checked against the same extract time: convert it once.
    thread_local std::int64_t cached_at = 0;
    thread_local absl::CivilDay cached_day;
    if (cached_at != extracted_at) {
      cached_day = absl::ToCivilDay(absl::FromUnixSeconds(extracted_at), absl::UTCTimeZone());
      cached_at = extracted_at;
    }
    const absl::CivilDay extract_day = cached_day;
    if (absl::CivilDay(d.year(), d.month(), d.day()) > extract_day) {
      return absl::InvalidArgumentError(
          absl::StrCat("impossible date ", shown(), ": after the extract date"));
    }
  }
  return absl::OkStatus();
}

std::string DateString(const pb::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

std::string TimeString(std::int64_t seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

std::string KeyPart(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

absl::Status ApplyMeta(bool has_meta, const pb::RecordMeta& meta, RecordSink* sink) {
  if (!has_meta) return absl::InvalidArgumentError("record meta missing");
  if (meta.record_id().empty()) return absl::InvalidArgumentError("record meta: empty record_id");
  const pb::Marking& mark = meta.marking();
  Classification c;
  switch (mark.classification()) {
    case pb::OFFICIAL:
      c = Classification::kOfficial;
      break;
    case pb::OFFICIAL_SENSITIVE:
      c = Classification::kOfficialSensitive;
      break;
    case pb::SECRET:
      c = Classification::kSecret;
      break;
    case pb::TOP_SECRET:
      c = Classification::kTopSecret;
      break;
    case pb::CLASSIFICATION_UNSPECIFIED:
      return absl::InvalidArgumentError("record marking: classification unspecified");
    default:
      return absl::InvalidArgumentError(absl::StrCat("record marking: unknown classification ",
                                                     static_cast<int>(mark.classification())));
  }
  LabelFact label;
  label.classification = c;
  label.force = KeyPart(mark.owning_force());
  if (label.force.empty()) return absl::InvalidArgumentError("record marking: empty owning force");
  std::vector<std::string>& caveats = label.caveats;
  for (const std::string& cv : mark.caveats()) {
    std::string k = KeyPart(cv);
    if (!k.empty()) caveats.push_back(std::move(k));
  }
  std::sort(caveats.begin(), caveats.end());
  caveats.erase(std::unique(caveats.begin(), caveats.end()), caveats.end());
  sink->SetMeta(meta.record_id(), std::move(label));
  return absl::OkStatus();
}

}  // namespace polegraph::ingest_internal
