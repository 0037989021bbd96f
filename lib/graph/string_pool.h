// StringPool: the builder's interning table for node keys, property values and merge texts.
#ifndef POLEGRAPH_LIB_GRAPH_STRING_POOL_H_
#define POLEGRAPH_LIB_GRAPH_STRING_POOL_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"

namespace polegraph {
namespace internal {

// A string pool: each distinct string stored once in one char buffer, numbered densely in
// first-seen order. The hash set holds only the 32-bit ids (hashing and comparing through the
// buffer), so a distinct string costs its chars + an 8-byte end offset + about 6 bytes of
// table, and a repeat costs nothing. Not copyable or movable (the set's functors point at it).
class StringPool {
 public:
  StringPool() : ids_(0, Hash{this}, Eq{this}) {}
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  // The id of `s`, adding it if new. Ids are < 2^32-1; the caller checks size() first.
  std::uint32_t Intern(std::string_view s) {
    // One hash and one probe whether or not `s` is new: the string is appended (so that the
    // table can hash the new id) only when the probe finds no match.
    return *ids_.lazy_emplace(s, [&](const auto& construct) {
      const auto id = static_cast<std::uint32_t>(ends_.size());
      chars_.insert(chars_.end(), s.begin(), s.end());
      ends_.push_back(chars_.size());
      construct(id);
    });
  }
  std::optional<std::uint32_t> Find(std::string_view s) const {
    auto it = ids_.find(s);
    if (it == ids_.end()) return std::nullopt;
    return *it;
  }
  std::string_view Get(std::uint32_t id) const {
    const std::uint64_t begin = id == 0 ? 0 : ends_[id - 1];
    return {chars_.data() + begin, static_cast<std::size_t>(ends_[id] - begin)};
  }
  std::size_t size() const { return ends_.size(); }
  // Frees the lookup table (Get still works; Intern and Find must not be called again).
  void DropIndex() {
    absl::flat_hash_set<std::uint32_t, Hash, Eq>(0, Hash{this}, Eq{this}).swap(ids_);
  }
  void Reserve(std::size_t strings, std::size_t chars) {
    ends_.reserve(strings);
    chars_.reserve(chars);
    ids_.reserve(strings);
  }
  // Frees everything.
  void Clear() {
    DropIndex();
    std::vector<char>().swap(chars_);
    std::vector<std::uint64_t>().swap(ends_);
  }

 private:
  struct Hash {
    using is_transparent = void;
    const StringPool* pool;
    std::size_t operator()(std::string_view s) const {
      return absl::Hash<absl::string_view>()(absl::string_view(s.data(), s.size()));
    }
    std::size_t operator()(std::uint32_t id) const { return (*this)(pool->Get(id)); }
  };
  struct Eq {
    using is_transparent = void;
    const StringPool* pool;
    std::string_view View(std::uint32_t id) const { return pool->Get(id); }
    std::string_view View(std::string_view s) const { return s; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return View(a) == View(b);
    }
  };
  std::vector<char> chars_;
  std::vector<std::uint64_t> ends_;  // end of string i in chars_
  absl::flat_hash_set<std::uint32_t, Hash, Eq> ids_;
};

}  // namespace internal
}  // namespace polegraph

#endif  // POLEGRAPH_LIB_GRAPH_STRING_POOL_H_
