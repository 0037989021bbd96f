// WriteQuarantine (ingest.h): the quarantine as JSON lines, one object per record:
//   {"file":"pnd.pb","offset":1234,"index":7,"record_id":"CR-9","reason":"..."}
// Strings are escaped per RFC 8259; bytes that are not valid UTF-8 (a record id can be
// anything) are written as \u00XX so the output is always valid JSON.
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "polegraph/ingest.h"
#include "polegraph/keys.h"

namespace polegraph {
namespace {

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  const bool utf8 = IsValidUtf8(s);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && !utf8)) {
      absl::StrAppendFormat(out, "\\u%04x", c);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

}  // namespace

absl::Status WriteQuarantine(const IngestReport& report, const std::string& path) {
  std::string text;
  for (const QuarantineEntry& q : report.quarantine) {
    text += "{\"file\":";
    AppendJsonString(q.file, &text);
    absl::StrAppend(&text, ",\"offset\":", q.offset, ",\"index\":", q.index, ",\"record_id\":");
    AppendJsonString(q.record_id, &text);
    text += ",\"reason\":";
    AppendJsonString(q.reason, &text);
    text += "}\n";
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot create quarantine file '", path,
                                               "': check the directory exists and is writable"));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    return absl::DataLossError(absl::StrCat("writing quarantine file '", path, "' failed"));
  }
  return absl::OkStatus();
}

}  // namespace polegraph
