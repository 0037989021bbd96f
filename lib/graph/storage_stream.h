// The order of a snapshot's sections in its file, and the interface through which
// GraphBuilder::Build hands finished sections to a file being written while it builds
// (SnapshotWriter, polegraph/io.h; implemented in lib/io/snapshot_writer.cc).
//
// Build makes the sections step by step (builder_build.cc); each section belongs to the
// stage of Build that finishes it (StageOf), and a file holds its sections by stage, in
// section-table order within a stage (FileOrder). So a file streamed during Build can write
// a stage's sections as soon as Build publishes the stage, and SaveSnapshot of a graph
// already built writes the same bytes: the order is fixed by this table, never by timing or
// by the thread count. (The section table still lists the sections in SectionId order, each
// with its offset; readers take the offsets from the table, so they need no change.)
#ifndef POLEGRAPH_LIB_GRAPH_STORAGE_STREAM_H_
#define POLEGRAPH_LIB_GRAPH_STORAGE_STREAM_H_

#include <array>
#include <memory>

#include "absl/status/status.h"
#include "graph/storage.h"

namespace polegraph::internal {

// Stages of Build, in the order it finishes them.
enum class BuildStage : int {
  kTables,       // extracts, records, force / caveat / property-name / metadata tables
  kNodes,        // node kinds and keys
  kLabels,       // positions and the label table
  kNodeLabels,   // node records, node labels and label sets
  kValues,       // the property-value pool
  kProperties,   // properties
  kMergeTexts,   // the merge-text pool
  kMerges,       // merges
  kEdgeColumns,  // the edge columns, out-neighbours and out-offsets
  kInCsr,        // the in-CSR
};
inline constexpr int kNumBuildStages = static_cast<int>(BuildStage::kInCsr) + 1;

// The stage that finishes section `id`.
constexpr BuildStage StageOf(SectionId id) {
  using S = SectionId;
  using B = BuildStage;
  switch (id) {
    case S::node_kind:
    case S::kind_first:
    case S::key_base:
    case S::key_offsets:
    case S::key_wide:
    case S::key_chars:
      return B::kNodes;
    case S::position_range:
    case S::position:
    case S::label_classification:
    case S::label_force:
    case S::label_caveats:
      return B::kLabels;
    case S::node_label:
    case S::record_base:
    case S::record_offsets:
    case S::record_wide:
    case S::records:
    case S::label_set_offsets:
    case S::label_set_members:
      return B::kNodeLabels;
    case S::value_base:
    case S::value_offsets:
    case S::value_wide:
    case S::value_chars:
      return B::kValues;
    case S::prop_base:
    case S::prop_offsets:
    case S::prop_wide:
    case S::prop_name:
    case S::prop_name_escape_at:
    case S::prop_name_escape:
    case S::prop_record:
    case S::prop_escape_at:
    case S::prop_escape:
    case S::prop_value:
      return B::kProperties;
    case S::merge_text_base:
    case S::merge_text_offsets:
    case S::merge_text_wide:
    case S::merge_text_chars:
      return B::kMergeTexts;
    case S::merge_base:
    case S::merge_offsets:
    case S::merge_wide:
    case S::merge_rule:
    case S::merge_record:
    case S::merge_text:
      return B::kMerges;
    case S::edge_kind:
    case S::edge_time:
    case S::edge_label_code:
    case S::edge_label_table:
    case S::edge_label_escape:
    case S::edge_record:
    case S::out_base:
    case S::out_delta:
    case S::out_wide:
    case S::out_neighbours:
      return B::kEdgeColumns;
    case S::in_base:
    case S::in_delta:
    case S::in_wide:
    case S::in_neighbours:
    case S::in_edge:
      return B::kInCsr;
    case S::record_offset_base:
    case S::record_offset_delta:
    case S::record_offset_wide:
    case S::record_id_base:
    case S::record_id_offsets:
    case S::record_id_wide:
    case S::record_id_chars:
    case S::extract_first_record:
    case S::extract_source:
    case S::extract_extracted_at:
    case S::extract_schema_version:
    case S::extract_record_count:
    case S::extract_digest:
    case S::extract_path_offsets:
    case S::extract_path_chars:
    case S::extract_force_offsets:
    case S::extract_force_chars:
    case S::extract_id_offsets:
    case S::extract_id_chars:
    case S::force_names_offsets:
    case S::force_names_chars:
    case S::caveat_names_offsets:
    case S::caveat_names_chars:
    case S::meta_name_offsets:
    case S::meta_name_chars:
    case S::meta_value_offsets:
    case S::meta_value_chars:
    case S::prop_names_offsets:
    case S::prop_names_chars:
    case S::kCount:  // (not a section)
      return B::kTables;
  }
  return B::kTables;
}

// The sections in file order: by StageOf, then by SectionId.
constexpr std::array<SectionId, kNumSections> FileOrder() {
  std::array<SectionId, kNumSections> order{};
  std::size_t k = 0;
  for (int stage = 0; stage < kNumBuildStages; ++stage) {
    for (int i = 0; i < kNumSections; ++i) {
      if (static_cast<int>(StageOf(static_cast<SectionId>(i))) == stage) {
        order[k++] = static_cast<SectionId>(i);
      }
    }
  }
  return order;
}
inline constexpr std::array<SectionId, kNumSections> kFileOrder = FileOrder();

// Receives the sections of a Graph::Storage while Build makes them. Build calls Begin once,
// then Publish with rising stages, then exactly one of Built (success) or Abandon (failure,
// before the storage is destroyed). Called from Build's calling thread only.
class SectionSink {
 public:
  virtual ~SectionSink() = default;
  // Build starts making `s`. Fails (and Build returns the error) when the sink cannot take
  // it, e.g. it already received a build.
  virtual absl::Status Begin(const Graph::Storage& s) = 0;
  // Every section of the stages up to and including `stage` is final: its bytes do not change
  // while the storage lives.
  virtual void Publish(BuildStage stage) = 0;
  // Build succeeded and `graph` owns the storage (the sink may keep it alive until done).
  virtual void Built(std::shared_ptr<const Graph> graph) = 0;
  // Build failed; the storage is destroyed after this returns, so the sink stops reading it.
  virtual void Abandon() = 0;
};

}  // namespace polegraph::internal

#endif  // POLEGRAPH_LIB_GRAPH_STORAGE_STREAM_H_
