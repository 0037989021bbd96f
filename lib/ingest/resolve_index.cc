// Resolver's PNC name and VRM indexes (internal/resolve.h): Index() files every PNC chunk's
// index entries before the first Apply(); EndPeopleAndVehicles() frees them.
//
// How: the strings live in an arena of 1 MiB blocks (TextArena) that never move, so the maps
// hold views of them: the name index is a flat_hash_map from the key to its first match and
// count of distinct PNC IDs, the matches a vector chained per key in indexing order; the VRM
// index keeps, per VRM, the vehicle with the greatest (vrm_since, key). A new key is copied
// into the arena by the same probe that found it missing (lazy_emplace), and the map's slot of
// the entry kAhead on is prefetched. Building and freeing the index takes no malloc per entry
// (session 7's std::string / std::vector index: a dozen each, ~1.5 CPU s at scale 10 to build
// and to free at the first ANPR chunk). The matches are a RegionVector
// (graph/reserved_region.h): as a std::vector their doublings' copies and abandoned buffers
// were ~1 % of the ingest's page faults at scale 10 (session 10).
// Cost: O(entries) expected hash-map operations; memory: the strings once (a nominal's PNC ID
// and record id once for all its entries) plus ~40 bytes an entry.
#include <algorithm>
#include <memory>
#include <string_view>

#include "ingest/internal/resolve.h"

namespace polegraph::ingest_internal {

std::string_view Resolver::TextArena::Add(std::string_view s) {
  if (s.size() > left_) {
    const std::size_t size = std::max(kBlock, s.size());
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    at_ = blocks_.back().get();
    left_ = size;
  }
  std::copy(s.begin(), s.end(), at_);
  const std::string_view added(at_, s.size());
  at_ += s.size();
  left_ -= s.size();
  return added;
}

void Resolver::Index(const ChunkFacts& file) {
  // A nominal's entries come together and share its PNC ID and record id: stored once.
  // The map is far bigger than the caches: the slots of the key kAhead entries on are loaded
  // meanwhile. A new key is copied into the arena (the map holds a view of it) by the same
  // probe that found it missing.
  constexpr std::size_t kAhead = 8;
  const std::vector<NameIndexEntry>& names = file.names;
  NameMatch last;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i + kAhead < names.size()) names_.prefetch(Av(names[i + kAhead].key));
    const NameIndexEntry& e = names[i];
    bool added = false;
    auto it = names_.lazy_emplace(Av(e.key), [&](const auto& construct) {
      construct(Av(names_text_.Add(e.key)), NameKey{kNone, 0});
      added = true;
    });
    std::uint32_t* link = &it->second.first;
    if (!added) {
      while (*link != kNone && name_matches_[*link].pnc_id != e.pnc_id) {
        link = &name_matches_[*link].next;
      }
      if (*link != kNone) continue;  // this PNC ID is filed under the key already
    }
    if (last.pnc_id != e.pnc_id) last.pnc_id = names_text_.Add(e.pnc_id);
    if (last.record_id != e.record_id) last.record_id = names_text_.Add(e.record_id);
    if (last.how != e.how) last.how = names_text_.Add(e.how);
    *link = static_cast<std::uint32_t>(name_matches_.size());
    ++it->second.count;
    name_matches_.push_back(last);
  }
  for (const VrmIndexEntry& e : file.vrms) {
    auto it = vrms_.find(Av(e.vrm));
    if (it == vrms_.end()) {
      vrms_.emplace(Av(names_text_.Add(e.vrm)),
                    VrmVehicle{names_text_.Add(e.vehicle_key), e.since});
    } else if (e.since > it->second.since ||
               (e.since == it->second.since &&
                std::string_view(e.vehicle_key) > it->second.vehicle_key)) {
      it->second = VrmVehicle{names_text_.Add(e.vehicle_key), e.since};
    }
  }
}

void Resolver::EndPeopleAndVehicles() {
  people_ended_ = true;
  absl::flat_hash_map<absl::string_view, NameKey>().swap(names_);
  name_matches_.Clear();
  absl::flat_hash_map<absl::string_view, VrmVehicle>().swap(vrms_);
  names_text_.Clear();
  origin_.Clear();
  origin_records_.Clear();
  std::string().swap(origin_ids_);
}

}  // namespace polegraph::ingest_internal
