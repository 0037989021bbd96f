// Validation rules shared by every record type (validate.h): a reflection walk over every field
// (UTF-8 text, known enum values, plausible times and dates, coordinates, no unknown fields)
// and the record meta. Cost: O(size of the record); the field path of a failure is built only
// when a rule fails.
// ApplyMeta finds a marking met before in the sink first in a direct-mapped front (session 9):
// the marking packed into seven words (PackMarking: sizes, then each text of at most 16 bytes
// as two words read without going outside it), one multiply hash, a 56-byte compare; only a
// miss, or a marking with longer texts or more than two caveats, builds the raw string key and
// probes the hash map. Scale 1, callgrind: ApplyMeta 401 -> 247 M instructions (1.16 M
// records). (A first version hashing the raw string key kept ~260 instructions a record: the
// string appends, not the map, were the cost.)
#include "ingest/internal/validate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "ingest/internal/field_checks.h"
#include "ingest/internal/keys_fast.h"
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

// Checks one value of a field (index -1 for a singular field).
absl::Status CheckValue(const Message& m, const Reflection* r, const FieldCheck& c, int index,
                        std::int64_t extracted_at, FieldPath* path) {
  const FieldDescriptor* f = c.field;
  const bool rep = index >= 0;
  path->Push(f, index);
  absl::Status s;
  switch (c.kind) {
    case FieldCheck::Kind::kText: {
      std::string scratch;
      const std::string& v = rep ? r->GetRepeatedStringReference(m, f, index, &scratch)
                                 : r->GetStringReference(m, f, &scratch);
      if (!IsValidUtf8(v)) s = Fail(*path, "text is not valid UTF-8");
      break;
    }
    case FieldCheck::Kind::kEnum: {
      const int v = rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f);
      const std::int64_t at = static_cast<std::int64_t>(v) - c.enum_min;
      const bool known = c.valid.empty()
                             ? f->enum_type()->FindValueByNumber(v) != nullptr
                             : at >= 0 && at < static_cast<std::int64_t>(c.valid.size()) &&
                                   c.valid[static_cast<std::size_t>(at)];
      if (!known) s = Fail(*path, absl::StrCat("unknown ", f->enum_type()->name(), " value ", v));
      break;
    }
    case FieldCheck::Kind::kTime: {
      const std::int64_t v = rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f);
      s = CheckTime(v, extracted_at, *path);
      break;
    }
    case FieldCheck::Kind::kFloat:
    case FieldCheck::Kind::kDouble: {
      const double v = c.kind == FieldCheck::Kind::kDouble
                           ? (rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f))
                           : (rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
      if (!std::isfinite(v)) {
        s = Fail(*path, "value is not a finite number");
      } else if (c.limit > 0 && std::fabs(v) > c.limit) {
        s = Fail(*path, absl::StrCat("coordinate ", v, " is out of range"));
      }
      break;
    }
    case FieldCheck::Kind::kMessage: {
      const Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      if (c.date) {
        absl::Status d = CheckDate(static_cast<const pb::Date&>(sub), extracted_at);
        if (!d.ok()) s = Fail(*path, std::string(d.message()));
      }
      if (s.ok()) s = Walk(sub, extracted_at, path);
      break;
    }
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
  for (const FieldCheck& c : ChecksOf(m.GetDescriptor()).checks) {
    if (c.repeated) {
      const int n = r->FieldSize(m, c.field);
      for (int i = 0; i < n; ++i) {
        absl::Status s = CheckValue(m, r, c, i, extracted_at, path);
        if (!s.ok()) return s;
      }
    } else if (c.kind != FieldCheck::Kind::kMessage || r->HasField(m, c.field)) {
      // An unset scalar reads as its default (empty text, enum 0, time 0, 0.0), which every
      // rule accepts, so only sub-messages need the presence test.
      absl::Status s = CheckValue(m, r, c, -1, extracted_at, path);
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
  return CheckDateParts(d.year(), d.month(), d.day(), extracted_at);
}

absl::Status CheckDateParts(std::int32_t year, std::int32_t month, std::int32_t day,
                            std::int64_t extracted_at) {
  if (year == 0 && month == 0 && day == 0) return absl::OkStatus();  // not set
  auto shown = [&] { return absl::StrCat(year, "-", month, "-", day); };
  if (month < 1 || month > 12) {
    return absl::InvalidArgumentError(absl::StrCat("impossible date ", shown(), ": month"));
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    return absl::InvalidArgumentError(absl::StrCat("impossible date ", shown(), ": day"));
  }
  if (year < 1900) {
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
    if (absl::CivilDay(year, month, day) > extract_day) {
      return absl::InvalidArgumentError(
          absl::StrCat("impossible date ", shown(), ": after the extract date"));
    }
  }
  return absl::OkStatus();
}

namespace {

// Appends v as `width` decimal digits (zero-padded; v in [0, 10^width)).
void AppendDigits(std::string* out, std::int64_t v, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out->append(buf, static_cast<std::size_t>(width));
}

// Writes "YYYY-MM-DD" into out[0, 10) (year in [0, 9999], month and day in [0, 99]).
void PutDate(char* out, int year, int month, int day) {
  for (int i = 3; i >= 0; --i, year /= 10) out[i] = static_cast<char>('0' + year % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + month / 10);
  out[6] = static_cast<char>('0' + month % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + day / 10);
  out[9] = static_cast<char>('0' + day % 10);
}

void AppendDate(std::string* out, int year, int month, int day) {
  const std::size_t at = out->size();
  out->resize(at + 10);
  PutDate(out->data() + at, year, month, day);
}

}  // namespace

// Both run for many records: written out rather than through a format-string parser.
std::string DateString(const pb::Date& d) { return DateText(d.year(), d.month(), d.day()); }

std::string DateText(std::int32_t year, std::int32_t month, std::int32_t day) {
  std::string out;
  AppendDateText(year, month, day, &out);
  return out;
}

void AppendDateText(std::int32_t year, std::int32_t month, std::int32_t day, std::string* out) {
  if (year < 0 || year > 9999 || month < 0 || month > 99 || day < 0 || day > 99) {
    out->append(absl::StrFormat("%04d-%02d-%02d", year, month, day));
    return;
  }
  AppendDate(out, year, month, day);
}

std::string TimeString(std::int64_t seconds) {
  std::string fast;
  if (FastTimeString(seconds, &fast)) return fast;
  const absl::CivilSecond t =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  if (t.year() < 1000 || t.year() > 9999) {  // absl writes %Y unpadded
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                            absl::UTCTimeZone());
  }
  std::string out;
  out.reserve(20);
  AppendDate(&out, static_cast<int>(t.year()), t.month(), t.day());
  out += 'T';
  AppendDigits(&out, t.hour(), 2);
  out += ':';
  AppendDigits(&out, t.minute(), 2);
  out += ':';
  AppendDigits(&out, t.second(), 2);
  out += 'Z';
  return out;
}

void AppendKeyPart(std::string_view s, std::string* out) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  const std::size_t from = out->size();
  out->append(s.data(), s.size());
  for (std::size_t i = from; i < out->size(); ++i) {
    char& c = (*out)[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
}

std::string KeyPart(std::string_view s) {
  std::string out;
  AppendKeyPart(s, &out);
  return out;
}

namespace {

// The raw values of a marking as one string: the classification, then each text with its
// length in front (so distinct markings give distinct keys).
void RawMarkingKey(const MetaFields& meta, std::string* key) {
  key->clear();
  auto put = [key](std::string_view text) {
    const auto n = static_cast<std::uint32_t>(text.size());
    key->append(reinterpret_cast<const char*>(&n), sizeof n);
    key->append(text.data(), text.size());
  };
  const auto c = static_cast<std::uint32_t>(meta.classification);
  key->append(reinterpret_cast<const char*>(&c), sizeof c);
  put(meta.owning_force);
  for (std::string_view cv : meta.caveats) put(cv);
}

// The bytes of s (at most 16) as two words with no read outside s: the first and last 8 when
// there are 8 or more (overlapping), else packed into the first. With the size, they tell
// every such text from any other.
void PackShort(std::string_view s, std::uint64_t* a, std::uint64_t* b) {
  const char* p = s.data();
  const std::size_t n = s.size();
  *a = *b = 0;
  if (n >= 8) {
    std::memcpy(a, p, 8);
    std::memcpy(b, p + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    *a = lo | (std::uint64_t{hi} << 32);
  } else if (n > 0) {
    *a = static_cast<unsigned char>(p[0]) | (static_cast<std::uint64_t>(p[n / 2]) & 0xFF) << 8 |
         (static_cast<std::uint64_t>(p[n - 1]) & 0xFF) << 16;
  }
}

// The marking packed for the front of the cache (MarkingCache::Recent), or false when its
// force or a caveat is over 16 bytes or it has more than two caveats.
bool PackMarking(const MetaFields& meta, std::array<std::uint64_t, 7>* key) {
  const std::size_t caveats = meta.caveats.size();
  if (meta.owning_force.size() > 16 || caveats > 2) return false;
  std::uint64_t sizes = static_cast<std::uint32_t>(meta.classification);
  sizes |= std::uint64_t{meta.owning_force.size()} << 32 | std::uint64_t{caveats} << 40;
  PackShort(meta.owning_force, &(*key)[1], &(*key)[2]);
  (*key)[3] = (*key)[4] = (*key)[5] = (*key)[6] = 0;
  for (std::size_t i = 0; i < caveats; ++i) {
    const std::string_view cv = meta.caveats[i];
    if (cv.size() > 16) return false;
    sizes |= std::uint64_t{cv.size()} << (48 + 8 * i);
    PackShort(cv, &(*key)[3 + 2 * i], &(*key)[4 + 2 * i]);
  }
  (*key)[0] = sizes;
  return true;
}

std::size_t RecentSlot(const std::array<std::uint64_t, 7>& key) {
  // Independent multiplies by odd constants, summed, then mixed once: no chain of rounds.
  std::uint64_t h = key[0] * 0x9E3779B97F4A7C15ull + key[1] * 0xBF58476D1CE4E5B9ull +
                    key[2] * 0x94D049BB133111EBull + key[3] * 0xD6E8FEB86659FD93ull +
                    key[4] * 0xA0761D6478BD642Full + key[5] * 0xE7037ED1A0B428DBull +
                    key[6] * 0x8EBC6AF09C88C6E3ull;
  h ^= h >> 32;
  h *= 0x9E3779B97F4A7C15ull;
  return static_cast<std::size_t>(h >> (64 - RecordSink::MarkingCache::kRecentBits));
}

}  // namespace

MetaFields MetaFields::Of(bool has_meta, const pb::RecordMeta& meta) {
  MetaFields m;
  m.present = has_meta;
  m.record_id = meta.record_id();
  m.classification = meta.marking().classification();
  m.owning_force = meta.marking().owning_force();
  for (const std::string& cv : meta.marking().caveats()) m.caveats.push_back(cv);
  return m;
}

absl::Status ApplyMeta(const MetaFields& meta, RecordSink* sink) {
  if (!meta.present) return absl::InvalidArgumentError("record meta missing");
  if (meta.record_id.empty()) return absl::InvalidArgumentError("record meta: empty record_id");
  // A marking met before in this sink: its label (the rules below passed for it).
  RecordSink::MarkingCache& cache = sink->marking_cache();
  std::array<std::uint64_t, 7> packed;
  RecordSink::MarkingCache::Recent* recent = nullptr;
  if (PackMarking(meta, &packed)) {
    recent = &cache.recent[RecentSlot(packed)];
    if (recent->label != kNone && recent->key == packed) {
      sink->SetMetaLabel(meta.record_id, recent->label);
      return absl::OkStatus();
    }
  }
  RawMarkingKey(meta, &cache.scratch);
  if (auto it = cache.label_by_raw.find(cache.scratch); it != cache.label_by_raw.end()) {
    if (recent != nullptr) *recent = {packed, it->second};
    sink->SetMetaLabel(meta.record_id, it->second);
    return absl::OkStatus();
  }
  Classification c;
  switch (meta.classification) {
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
      return absl::InvalidArgumentError(
          absl::StrCat("record marking: unknown classification ", meta.classification));
  }
  LabelFact label;
  label.classification = c;
  label.force = KeyPart(meta.owning_force);
  if (label.force.empty()) return absl::InvalidArgumentError("record marking: empty owning force");
  std::vector<std::string>& caveats = label.caveats;
  for (std::string_view cv : meta.caveats) {
    std::string k = KeyPart(cv);
    if (!k.empty()) caveats.push_back(std::move(k));
  }
  std::sort(caveats.begin(), caveats.end());
  caveats.erase(std::unique(caveats.begin(), caveats.end()), caveats.end());
  sink->SetMeta(std::string(meta.record_id), std::move(label));
  cache.label_by_raw.emplace(cache.scratch, sink->label());
  if (recent != nullptr) *recent = {packed, sink->label()};
  return absl::OkStatus();
}

}  // namespace polegraph::ingest_internal
