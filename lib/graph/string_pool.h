// StringPool: the builder's interning table for node keys, property values and merge texts.
//
// What: each distinct string stored once in one char buffer, numbered densely in first-seen
// order.
// How: an open-addressing table (linear probing, load at most 3/4, growing by half: the home
// slot of a hash is its top bits scaled to the capacity, so any capacity works) of 16-byte slots,
// each holding the string's 32-bit hash, its id, and where its chars are (offset and length). A
// probe compares hashes first and reads the chars only on a hash match, so a lookup touches one
// table cache line plus, for a hit, the string's own chars: no separate control bytes or end-offset
// array. Callers that know a string's hash in advance (computed on another thread with HashOf) pass
// it in and may Prefetch() the slot, then PrefetchChars() the candidate's chars, some lookups
// ahead, so the misses overlap. Cost: a distinct string costs its chars + an 8-byte end offset +
// 16/load (21..32) bytes of table (growing by half rather than doubling: at scale 10 the node table
// is 10.2 M slots, 164 MB, for 6.41 M keys); a lookup is expected O(1) probes (O(length) to
// compare). Growth rehashes from the slots alone, without reading the strings (amortised O(1) a
// string). A table of 2 MiB or more lives in one ReservedRegion (reserved_region.h: address
// space for the largest table, on transparent huge pages) and grows in place: the old slots
// are taken out from the last and put back under the new capacity (RehashInPlace; no copy
// aside since session 10), so only the final table's pages are ever faulted in and zeroed,
// once (sessions 7 and 8 tried huge pages with the table as a std::vector: each growth zeroed
// a fresh, larger table on fresh huge pages, which cost more than the page walks saved). An
// empty slot is all zero bytes (the id is stored plus one), so fresh pages need no
// initialising. The chars likewise move once, at 2 MiB, into a region of their own
// (RegionVector) and never again (no copy per doubling; huge pages for the compares).
// Measured and dropped (session 10): the end offsets (and the resolver's origin records) on
// 4 KiB pages instead of huge ones, meant to cut the kernel's zeroing of fresh huge pages:
// +30-45 k page faults at scale 10 and no CPU difference that stood out of the run-to-run
// noise of clear_page_erms (0.2-1.5 s on the applier's thread for one binary).
#ifndef POLEGRAPH_LIB_GRAPH_STRING_POOL_H_
#define POLEGRAPH_LIB_GRAPH_STRING_POOL_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/hash/hash.h"
#include "graph/prefetch.h"
#include "graph/reserved_region.h"

namespace polegraph {
namespace internal {

// Not thread-safe for writes; HashOf is a pure function, callable from any thread. Not
// copyable (keep it in place).
class StringPool {
 public:
  StringPool() = default;
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  // The hash Intern/Find use (the same value on every thread of this process).
  static std::uint64_t HashOf(std::string_view s) {
    return absl::Hash<absl::string_view>()(absl::string_view(s.data(), s.size()));
  }

  // The id of `s`, adding it if new. Ids are < 2^32-1; the caller checks size() first.
  // `hash` must be HashOf(s).
  std::uint32_t Intern(std::string_view s) { return Intern(s, HashOf(s)); }
  std::uint32_t Intern(std::string_view s, std::uint64_t hash) {
    if (used_ + 1 > (capacity_ / 4) * 3) Grow(used_ + 1);
    const auto tag = static_cast<std::uint32_t>(hash);
    for (std::size_t i = Home(tag);; i = Next(i)) {
      Slot& slot = slots_[i];
      if (slot.id1 == 0) {
        const auto id = static_cast<std::uint32_t>(ends_.size());
        const std::uint64_t begin = chars_.size();
        chars_.Append(s.data(), s.size());
        ends_.push_back(chars_.size());
        slot = Slot{tag, id + 1, (begin << 16) | ShortLength(s.size())};
        ++used_;
        return id;
      }
      if (slot.hash == tag && Matches(slot, s)) return slot.id1 - 1;
    }
  }
  std::optional<std::uint32_t> Find(std::string_view s) const { return Find(s, HashOf(s)); }
  std::optional<std::uint32_t> Find(std::string_view s, std::uint64_t hash) const {
    if (capacity_ == 0) return std::nullopt;
    const auto tag = static_cast<std::uint32_t>(hash);
    for (std::size_t i = Home(tag);; i = Next(i)) {
      const Slot& slot = slots_[i];
      if (slot.id1 == 0) return std::nullopt;
      if (slot.hash == tag && Matches(slot, s)) return slot.id1 - 1;
    }
  }
  // Hints that the string with this hash will be looked up soon: loads its home slot and the
  // cache line after it (linear probing at a load of 1/2..3/4 often walks past the first).
  void Prefetch(std::uint64_t hash) const {
    if (capacity_ == 0) return;
    const std::size_t home = Home(static_cast<std::uint32_t>(hash));
    PrefetchLine(&slots_[home]);
    if (home + kSlotsPerLine < capacity_) PrefetchLine(&slots_[home + kSlotsPerLine]);
  }
  // Loads the chars (their first and last cache lines) of the first slot whose hash matches
  // (best after Prefetch(hash), some time before), and returns that slot's id (nullopt if
  // none). Reads the table, so call it only where Find may be called.
  std::optional<std::uint32_t> PrefetchChars(std::uint64_t hash) const {
    if (capacity_ == 0) return std::nullopt;
    const auto tag = static_cast<std::uint32_t>(hash);
    for (std::size_t i = Home(tag);; i = Next(i)) {
      const Slot& slot = slots_[i];
      if (slot.id1 == 0) return std::nullopt;
      if (slot.hash == tag) {
        // Both ends: a string of a few dozen chars straddles two cache lines about a third
        // of the time, and the comparison reads them all.
        const char* begin = chars_.data() + (slot.where >> 16);
        const std::uint64_t length = slot.where & 0xFFFF;
        PrefetchLine(begin);
        if (length > 1 && ((reinterpret_cast<std::uintptr_t>(begin) ^
                            reinterpret_cast<std::uintptr_t>(begin + length - 1)) >> 6) != 0) {
          PrefetchLine(begin + length - 1);
        }
        return slot.id1 - 1;
      }
    }
  }
  std::string_view Get(std::uint32_t id) const {
    const std::uint64_t begin = id == 0 ? 0 : ends_[id - 1];
    return {chars_.data() + begin, static_cast<std::size_t>(ends_[id] - begin)};
  }
  std::size_t size() const { return ends_.size(); }
  // Frees the lookup table (Get still works; Intern and Find must not be called again).
  void DropIndex() {
    std::vector<Slot>().swap(small_);
    region_.Release();
    slots_ = nullptr;
    capacity_ = 0;
    used_ = 0;
  }
  void Reserve(std::size_t strings, std::size_t chars) {
    ends_.Reserve(strings);
    chars_.Reserve(chars);
    if (strings > used_) Grow(strings);
  }
  // Frees everything.
  void Clear() {
    DropIndex();
    chars_.Clear();
    ends_.Clear();
  }

 private:
  static constexpr std::uint64_t kLongLength = 0xFFFF;  // lengths from here on: see ends_
  static constexpr std::size_t kSlotsPerLine = 4;        // 16-byte slots in a 64-byte line
  struct Slot {
    std::uint32_t hash = 0;  // low 32 bits of HashOf
    std::uint32_t id1 = 0;   // the string's id + 1; 0: the slot is empty (and all zero)
    std::uint64_t where = 0;  // offset in chars_ << 16 | min(length, kLongLength)
  };
  // Tables from kRegionMin bytes on live in region_ (reserved once for kRegionMax bytes: 4 G
  // slots, ids for 3 G strings); a smaller table, or one the system would not reserve for,
  // in small_.
  static constexpr std::size_t kRegionMin = std::size_t{2} << 20;
  static constexpr std::size_t kRegionMax = std::size_t{1} << 36;
  static std::uint64_t ShortLength(std::size_t n) { return n < kLongLength ? n : kLongLength; }
  // The home slot of a 32-bit hash: its fraction of 2^32 scaled to the capacity (the table's
  // capacity is no power of two; the hash's top bits choose the slot).
  std::size_t Home(std::uint32_t tag) const {
    return static_cast<std::size_t>((std::uint64_t{tag} * capacity_) >> 32);
  }
  std::size_t Next(std::size_t i) const { return i + 1 == capacity_ ? 0 : i + 1; }

  bool Matches(const Slot& slot, std::string_view s) const {
    const std::uint64_t length = slot.where & 0xFFFF;
    if (length != ShortLength(s.size())) return false;
    if (length == kLongLength) return Get(slot.id1 - 1) == s;
    return s.empty() || std::memcmp(chars_.data() + (slot.where >> 16), s.data(), s.size()) == 0;
  }
  // Makes room for `strings` entries within the load limit (rehashing from the slots): the
  // capacity grows by half until they fit.
  void Grow(std::size_t strings) {
    std::size_t capacity = std::max<std::size_t>(capacity_, 16);
    while ((capacity / 4) * 3 < strings) capacity += capacity / 2;
    if (capacity <= capacity_) return;
    Slot* const old = slots_;
    const std::size_t old_capacity = capacity_;
    const std::size_t bytes = capacity * sizeof(Slot);
    if (bytes >= kRegionMin && bytes <= kRegionMax && region_.Reserve(kRegionMax)) {
      Slot* const table = static_cast<Slot*>(region_.data());
      if (old == table) {
        RehashInPlace(old_capacity, capacity);
        return;
      }
      // From small_ into the region (all zero: never touched).
      slots_ = table;
      capacity_ = capacity;
      for (std::size_t i = 0; i < old_capacity; ++i) {
        if (old[i].id1 != 0) Place(old[i]);
      }
      std::vector<Slot>().swap(small_);
      return;
    }
    std::vector<Slot> table(capacity);
    slots_ = table.data();
    capacity_ = capacity;
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (old[i].id1 != 0) Place(old[i]);
    }
    small_.swap(table);  // `table` now holds the old vector (if any), freed here
    if (old != nullptr && old == region_.data()) region_.Release();
  }
  // Grows the table at slots_ (in region_) from old_capacity to capacity slots without a copy
  // aside: the old slots are taken out from the last to the first, each cleared and put back
  // under the new capacity from its new home on. A home scales with the capacity (Home is
  // monotone in the hash), so a new home is at or past the old one and mostly past the slot
  // the string sat in (a few probe steps on): when it is, every slot from it on holds a string
  // already put back or nothing (the old slots up there are all taken out), so the probe sees
  // only the new table. The few whose new home falls before their old slot (long probe chains
  // at the table's start) or whose probe would wrap around go to `later`, put back at the end
  // with Place. Every string put back by the pass sits behind an unbroken run of slots from its
  // home, and the pass only ever clears slots below the ones it fills, so lookups stay exact.
  // Session 10: the copy aside was a fresh allocation of used_ slots at every growth (~5 % of
  // the ingest's page faults at scale 10).
  void RehashInPlace(std::size_t old_capacity, std::size_t capacity) {
    capacity_ = capacity;
    std::vector<Slot> later;
    for (std::size_t p = old_capacity; p-- > 0;) {
      const Slot slot = slots_[p];
      if (slot.id1 == 0) continue;
      slots_[p] = Slot{};
      std::size_t i = Home(slot.hash);
      if (i < p) {
        later.push_back(slot);
        continue;
      }
      while (i < capacity && slots_[i].id1 != 0) ++i;
      if (i == capacity) {
        later.push_back(slot);
        continue;
      }
      slots_[i] = slot;
    }
    for (const Slot& slot : later) Place(slot);
  }
  // Puts a slot of a string not in the table into the first empty slot from its home on.
  void Place(const Slot& slot) {
    std::size_t i = Home(slot.hash);
    while (slots_[i].id1 != 0) i = Next(i);
    slots_[i] = slot;
  }

  RegionVector<char> chars_;
  RegionVector<std::uint64_t> ends_;  // end of string i in chars_
  // The table: capacity_ slots at slots_ (none, or at least 16), in small_ or region_.
  Slot* slots_ = nullptr;
  std::size_t capacity_ = 0;
  std::vector<Slot> small_;
  ReservedRegion region_;
  std::size_t used_ = 0;
};

}  // namespace internal
}  // namespace polegraph

#endif  // POLEGRAPH_LIB_GRAPH_STRING_POOL_H_
