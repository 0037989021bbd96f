// TextHash: the hash of a string key that also takes a string_view, so std::unordered_map and
// std::unordered_set with TextHash and std::equal_to<> find a key without building a string.
// Tables of string keys that may grow while a std::bad_alloc can unwind through them are
// std::unordered_map, not Abseil's (the builder's and ingest's): when growing an Abseil table
// throws, the table is left claiming the new capacity over its old array, and its destructor,
// run as the exception unwinds, frees memory it does not own (session 13: the CLI under an
// address-space limit crashed there about once in 200 runs). The standard tables keep their
// state when an insert throws.
#ifndef POLEGRAPH_LIB_GRAPH_TEXT_HASH_H_
#define POLEGRAPH_LIB_GRAPH_TEXT_HASH_H_

#include <cstddef>
#include <functional>
#include <string_view>

namespace polegraph::internal {

struct TextHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_TEXT_HASH_H_
