// GraphBuilder::InternValue + AddPropertyById (values interned apart, maybe on another thread)
// against the oracle AddProperty by value: the same calls through both entry points give
// graphs with byte-identical snapshots, also when the values are interned on a second thread
// ahead of the adds, in batches handed over under a mutex (as Ingest's pipeline stage does),
// and misuse (an id never returned) fails Build with a message.
#include <catch2/catch.hpp>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"
#include "polegraph/graph.h"
#include "polegraph/io.h"

namespace polegraph::testing {
namespace {

struct Prop {
  std::uint32_t node;  // index into the node keys
  std::string value;
  std::uint32_t record;
};

// Skewed: a few hot values ("red") and many rare ones, repeats of the same property in a
// row (collapsed), and the empty value.
std::vector<Prop> Workload(std::uint32_t seed, std::size_t n) {
  std::mt19937 rng(seed);
  std::vector<Prop> out;
  for (std::size_t i = 0; i < n; ++i) {
    Prop p;
    p.node = rng() % 50;
    p.record = static_cast<std::uint32_t>(rng() % 20);
    const std::uint32_t r = rng() % 10;
    p.value = r < 5 ? "red" : r < 9 ? "v" + std::to_string(rng() % 3000) : std::string();
    out.push_back(p);
    if (rng() % 8 == 0) out.push_back(p);  // an immediate repeat
  }
  return out;
}

// A builder with 50 plates, 20 records and one label.
GraphBuilder Started(std::vector<GraphBuilder::Handle>* nodes) {
  GraphBuilder b;
  b.AddExtract(ExtractInfo{});
  const LabelId label = b.InternLabel(Classification::kOfficial, "GMP", {});
  for (int r = 0; r < 20; ++r) b.AddRecord(0, "R" + std::to_string(r), 10 * r);
  for (int i = 0; i < 50; ++i) {
    nodes->push_back(b.AddNode(NodeKind::kPlate, "P" + std::to_string(i), label, 0));
  }
  return b;
}

std::string SnapshotBytes(GraphBuilder b, const std::string& path) {
  auto g = std::move(b).Build(2);
  REQUIRE(g.ok());
  REQUIRE(SaveSnapshot(**g, path).ok());
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The oracle: every property added by value.
std::string ByValue(const std::vector<Prop>& props, const std::string& path) {
  std::vector<GraphBuilder::Handle> nodes;
  GraphBuilder b = Started(&nodes);
  for (const Prop& p : props) b.AddProperty(nodes[p.node], "colour", p.value, p.record);
  return SnapshotBytes(std::move(b), path);
}

// The values interned on a second thread, `batch` at a time, ahead of the adds (the adding
// thread waits for each batch's ids, while the interning thread goes on with the next).
std::string ById(const std::vector<Prop>& props, std::size_t batch, const std::string& path) {
  std::vector<GraphBuilder::Handle> nodes;
  GraphBuilder b = Started(&nodes);
  std::vector<std::uint32_t> ids(props.size());
  std::mutex mu;
  std::condition_variable cv;
  std::size_t ready = 0;  // ids[0, ready) are set
  std::thread interner([&] {
    for (std::size_t begin = 0; begin < props.size(); begin += batch) {
      const std::size_t end = std::min(props.size(), begin + batch);
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint64_t hash = GraphBuilder::ValueHash(props[i].value);
        b.PrefetchValue(hash);
        b.PrefetchValueChars(hash);
        ids[i] = b.InternValue(props[i].value, hash);
      }
      std::lock_guard<std::mutex> lock(mu);
      ready = end;
      cv.notify_all();
    }
  });
  for (std::size_t i = 0; i < props.size(); ++i) {
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return ready > i; });
    }
    b.AddPropertyById(nodes[props[i].node], "colour", ids[i], props[i].record);
  }
  interner.join();
  return SnapshotBytes(std::move(b), path);
}

TEST_CASE("AddPropertyById with InternValue on another thread equals AddProperty by value") {
  TempDir dir;
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{20000}}) {
    const std::vector<Prop> props = Workload(static_cast<std::uint32_t>(n) + 3, n);
    const std::string oracle = ByValue(props, dir.File("oracle.pg"));
    REQUIRE_FALSE(oracle.empty());
    for (std::size_t batch : {std::size_t{1}, std::size_t{7}, std::size_t{4096}}) {
      INFO("properties " << props.size() << ", batch " << batch);
      CHECK(ById(props, batch, dir.File("by_id.pg")) == oracle);
    }
  }
}

TEST_CASE("AddPropertyById checks its value id") {
  std::vector<GraphBuilder::Handle> nodes;
  GraphBuilder b = Started(&nodes);
  const std::uint32_t red = b.InternValue("red", GraphBuilder::ValueHash("red"));
  b.AddPropertyById(nodes[0], "colour", red, 0);
  b.AddPropertyById(nodes[1], "colour", red + 1, 0);  // never returned by InternValue
  auto g = std::move(b).Build();
  REQUIRE_FALSE(g.ok());
  CHECK(g.status().message() == "AddPropertyById: value 1 was not returned by InternValue");
}

}  // namespace
}  // namespace polegraph::testing
