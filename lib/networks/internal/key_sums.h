// Per-key weight sums for the multilevel algorithms' inner loops (refinement, aggregation,
// local moving): the weights of a vertex's or a community's arcs summed per neighbouring
// community. KeySums for any number of keys; SmallSums for a few.
//
// Few keys (at most kTableMaxKeys) go to an open-addressing table of about twice that many
// slots, which stays in the L1/L2 cache; more go to a dense array over the key universe (on a
// large graph, megabytes that every access misses). Either way keys are listed in order of
// first touch and each sum is formed in the order of the Add calls, so the results do not
// depend on which path ran. One object per thread; Begin/End bracket one use.
#ifndef POLEGRAPH_LIB_NETWORKS_INTERNAL_KEY_SUMS_H_
#define POLEGRAPH_LIB_NETWORKS_INTERNAL_KEY_SUMS_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

#include "polegraph/types.h"

namespace polegraph::internal {

class KeySums {
 public:
  static constexpr std::size_t kTableMaxKeys = 64;

  // Starts a use with at most `max_keys` distinct keys, all below `universe`.
  void Begin(std::size_t max_keys, std::size_t universe) {
    keys_.clear();
    sums_.clear();
    table_ = max_keys <= kTableMaxKeys;
    if (table_) {
      cap_ = std::bit_ceil(std::max<std::size_t>(16, 2 * max_keys));
      shift_ = 64 - std::countr_zero(cap_);
      if (slot_key_.size() < cap_) slot_key_.resize(cap_);
      std::fill_n(slot_key_.begin(), cap_, kEmpty);
      slot_of_.resize(cap_);
    } else if (dense_.size() < universe) {
      dense_.assign(universe, kEmpty);
    }
  }
  void Add(NodeId key, double w) {
    std::uint32_t& index = Index(key);
    if (index == kEmpty) {
      index = static_cast<std::uint32_t>(keys_.size());
      keys_.push_back(key);
      sums_.push_back(w);
    } else {
      sums_[index] += w;
    }
  }
  // The keys in order of first touch and their sums.
  std::size_t size() const { return keys_.size(); }
  NodeId key(std::size_t i) const { return keys_[i]; }
  double sum(std::size_t i) const { return sums_[i]; }
  // Ends the use (clears the dense entries it set).
  void End() {
    if (!table_) {
      for (NodeId k : keys_) dense_[k] = kEmpty;
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = ~std::uint32_t{0};

  // The slot holding key's index into keys_/sums_ (kEmpty when new; the caller fills it).
  std::uint32_t& Index(NodeId key) {
    if (!table_) return dense_[key];
    std::size_t h = (key * 0x9e3779b97f4a7c15ULL) >> shift_;
    while (slot_key_[h] != key && slot_key_[h] != kEmpty) h = (h + 1) & (cap_ - 1);
    if (slot_key_[h] == kEmpty) {
      slot_key_[h] = key;
      slot_of_[h] = kEmpty;
    }
    return slot_of_[h];
  }

  bool table_ = true;
  std::size_t cap_ = 0;
  int shift_ = 0;
  std::vector<NodeId> slot_key_;        // table: the key in each slot, or kEmpty
  std::vector<std::uint32_t> slot_of_;  // table: index of the slot's key
  std::vector<std::uint32_t> dense_;    // dense: index of each key, or kEmpty
  std::vector<NodeId> keys_;
  std::vector<double> sums_;
};

// Per-key sums of at most kMaxKeys keys (a vertex with a few arcs, most of them on graphs of
// small degree): a linear search over a few entries on the stack instead of a table set up per
// use. Like KeySums, keys are listed in order of first touch and each sum is formed in the
// order of the Add calls, so either gives the same sums. Used by refinement (session 10) and
// local moving's evaluation (session 17).
class SmallSums {
 public:
  static constexpr std::size_t kMaxKeys = 8;
  // At most kMaxKeys distinct keys per object.
  void Add(NodeId key, double w) {
    for (std::size_t q = 0; q < size_; ++q) {
      if (keys_[q] == key) {
        sums_[q] += w;
        return;
      }
    }
    keys_[size_] = key;
    sums_[size_++] = w;
  }
  std::size_t size() const { return size_; }
  NodeId key(std::size_t q) const { return keys_[q]; }
  double sum(std::size_t q) const { return sums_[q]; }

 private:
  std::size_t size_ = 0;
  NodeId keys_[kMaxKeys];
  double sums_[kMaxKeys];
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_NETWORKS_INTERNAL_KEY_SUMS_H_
