// Test helpers for the extract tests: a bitwise CRC-32C reference, an independent encoder of
// the documented extract format (used as the oracle for the writer and to build malformed
// files), temporary directories, and sample PNC / PND / ANPR records of mixed sizes.
#ifndef POLEGRAPH_TESTS_EXTRACT_EXTRACT_TEST_UTIL_H_
#define POLEGRAPH_TESTS_EXTRACT_EXTRACT_TEST_UTIL_H_

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "polegraph/anpr.pb.h"
#include "polegraph/common.pb.h"
#include "polegraph/pnc.pb.h"
#include "polegraph/pnd.pb.h"

namespace polegraph::test {

// CRC-32C one bit at a time, straight from the definition (reflected 0x82F63B78).
inline std::uint32_t ReferenceCrc32c(std::uint32_t crc, std::string_view data) {
  crc = ~crc;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc & 1u) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return ~crc;
}

inline constexpr std::string_view kMagic = "PGXTRCT1";

inline std::string Le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
  return s;
}

// One frame exactly as include/polegraph/extract.h documents it.
inline std::string EncodeFrame(char type, std::string_view payload) {
  std::string f(1, type);
  f += Le32(static_cast<std::uint32_t>(payload.size()));
  f += payload;
  return f + Le32(ReferenceCrc32c(0, f));
}

inline std::string EncodeTrailer(std::uint64_t count, std::uint32_t digest) {
  pb::ExtractTrailer t;
  t.set_record_count(count);
  t.set_digest(digest);
  return EncodeFrame('T', t.SerializeAsString());
}

// A whole well-formed file: magic, header, records, trailer.
inline std::string EncodeExtract(const pb::ExtractHeader& header,
                                 const std::vector<std::string>& payloads) {
  std::string out(kMagic);
  out += EncodeFrame('H', header.SerializeAsString());
  std::uint32_t digest = 0;
  for (const std::string& p : payloads) {
    out += EncodeFrame('R', p);
    digest = ReferenceCrc32c(digest, p);
  }
  return out + EncodeTrailer(payloads.size(), digest);
}

inline pb::ExtractHeader MakeHeader(pb::SourceSystem source) {
  pb::ExtractHeader h;
  h.set_source(source);
  h.set_force("MPS");
  h.set_extracted_at(1764000000);
  h.set_schema_version(1);
  h.set_extract_id("test-extract-0001");
  return h;
}

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ =
        std::filesystem::temp_directory_path() /
        ("polegraph_extract_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A file held in memory (memfd), named "/proc/self/fd/N": the damage tests read thousands of
// damaged copies, and on disk ext4 flushes each rewritten file on close, which under load
// costs tens of seconds.
class MemFile {
 public:
  explicit MemFile(std::string_view bytes) : fd_(::memfd_create("extract_test", MFD_CLOEXEC)) {
    std::size_t done = 0;
    while (fd_ >= 0 && done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void WriteBytes(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline void FillMeta(pb::RecordMeta* meta, const std::string& id) {
  meta->set_record_id(id);
  meta->mutable_marking()->set_classification(pb::OFFICIAL_SENSITIVE);
  meta->mutable_marking()->set_owning_force("MPS");
}

// PNC records of mixed sizes: record 0 empty (no oneof set, a zero-byte payload), nominals
// with i aliases and arrests, vehicles with keepers, and one large nominal (~1.5 KB).
inline std::vector<pb::PncRecord> SamplePncRecords(int n) {
  std::vector<pb::PncRecord> out(static_cast<std::size_t>(n));
  for (int i = 1; i < n; ++i) {
    pb::PncRecord& r = out[static_cast<std::size_t>(i)];
    const std::string id = "PNC" + std::to_string(i);
    if (i % 3 != 0) {
      pb::Nominal* nom = r.mutable_nominal();
      FillMeta(nom->mutable_meta(), id);
      nom->set_pnc_id("9" + std::to_string(i % 10) + "/12345" + std::to_string(i % 10) + "Z");
      nom->mutable_name()->set_surname("SMITH" + std::string(static_cast<std::size_t>(i), 'X'));
      nom->mutable_date_of_birth()->set_year(1980 + i);
      for (int a = 0; a < i % 4; ++a) nom->add_aliases()->set_forename("ALIAS" + std::to_string(a));
      for (int a = 0; a < i % 3; ++a) {
        nom->add_arrests()->set_offence_code("030/0" + std::to_string(a));
      }
      if (i == 7) {
        for (int a = 0; a < 40; ++a) nom->add_addresses()->set_line(std::string(30, 'A' + a % 26));
      }
    } else {
      pb::Vehicle* v = r.mutable_vehicle();
      FillMeta(v->mutable_meta(), id);
      v->set_vrm("AB" + std::to_string(10 + i) + " CDE");
      v->set_vin("WVWZZZ1JZXW" + std::to_string(100000 + i));
      v->mutable_keeper()->mutable_person()->set_pnc_id("01/99999" + std::to_string(i % 10) + "K");
      v->mutable_keeper()->set_since(1600000000 + i);
    }
  }
  return out;
}

inline std::vector<pb::PndRecord> SamplePndRecords(int n) {
  std::vector<pb::PndRecord> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    pb::PndRecord& r = out[static_cast<std::size_t>(i)];
    const std::string id = "PND" + std::to_string(i);
    if (i % 3 == 0) {
      pb::Crime* c = r.mutable_crime();
      FillMeta(c->mutable_meta(), id);
      c->set_crime_reference("CR/" + std::to_string(i));
      pb::CrimePerson* p = c->add_people();
      p->set_role(pb::SUSPECT);
      p->mutable_person()->mutable_name()->set_surname("JONES");
      c->add_vehicles()->set_vrm("XY" + std::to_string(i));
    } else if (i % 3 == 1) {
      pb::Intelligence* in = r.mutable_intelligence();
      FillMeta(in->mutable_meta(), id);
      in->mutable_grading()->set_source(pb::RELIABLE);
      in->add_subjects()->set_pnc_id("05/1234" + std::to_string(i % 10) + "B");
      in->set_text(std::string(static_cast<std::size_t>(i * 5), 't'));
    } else {
      pb::Custody* c = r.mutable_custody();
      FillMeta(c->mutable_meta(), id);
      c->set_custody_id("CUS" + std::to_string(i));
      c->mutable_detainee()->set_pnc_id("07/7654" + std::to_string(i % 10) + "C");
    }
  }
  return out;
}

// ANPR: a few sites, then reads at those sites (the ~60-byte records of real ANPR feeds).
inline pb::AnprRecord SampleAnprRead(std::uint64_t i) {
  pb::AnprRecord r;
  pb::Read* rd = r.mutable_read();
  FillMeta(rd->mutable_meta(), "R" + std::to_string(i));
  rd->set_vrm("AB" + std::to_string(10 + i % 90) + "CDE");
  rd->set_site_id("S" + std::to_string(i % 5));
  rd->set_lane(static_cast<std::uint32_t>(i % 3));
  rd->set_read_at(1764000000 + static_cast<std::int64_t>(i));
  rd->set_confidence(0.5f + static_cast<float>(i % 50) / 100.0f);
  return r;
}

inline std::vector<pb::AnprRecord> SampleAnprRecords(int n) {
  std::vector<pb::AnprRecord> out;
  for (int i = 0; i < n; ++i) {
    if (i < 5) {
      pb::AnprRecord r;
      pb::Site* s = r.mutable_site();
      FillMeta(s->mutable_meta(), "S" + std::to_string(i));
      s->set_site_id("S" + std::to_string(i));
      s->set_latitude(52.48 + i * 0.01);
      s->set_longitude(-1.89 - i * 0.01);
      s->set_road("M6");
      s->set_direction(pb::NORTHBOUND);
      out.push_back(r);
    } else {
      out.push_back(SampleAnprRead(static_cast<std::uint64_t>(i)));
    }
  }
  return out;
}

}  // namespace polegraph::test

#endif  // POLEGRAPH_TESTS_EXTRACT_EXTRACT_TEST_UTIL_H_
