// The classic iterative reaching-definitions solver: gen/kill applied instruction by
// instruction, blocks visited in reverse postorder until nothing changes.
#include "ir/dataflow.h"

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

namespace cellflow {
namespace {

// The solver's working vectors, kept per thread: a notebook has many small units, and a batch
// many notebooks.
struct Scratch {
  std::vector<BlockId> post;
  std::vector<std::pair<BlockId, size_t>> stack;
  std::vector<uint32_t> position;
  std::vector<uint64_t> out;
};

}  // namespace

void ReachingDefinitions::Solve() {
  thread_local Scratch scratch;
  Unit* unit = unit_;
  const size_t nblocks = unit->blocks.size();
  const size_t ndefs = unit->defs.size();
  words_ = (ndefs + 63) / 64;
  coarse_ = nblocks * words_ * 64 > kMaxDenseBits;
  if (!coarse_) in_.assign(nblocks * words_, 0);
  reachable_.assign(nblocks, 0);

  // Reverse postorder from the entry, iteratively (no recursion: units can be huge).
  std::vector<BlockId>& post = scratch.post;
  post.clear();
  {
    std::vector<std::pair<BlockId, size_t>>& stack = scratch.stack;
    stack.assign(1, {0, 0});
    reachable_[0] = 1;
    while (!stack.empty()) {
      auto& [b, next] = stack.back();
      const auto& succs = unit->blocks[b].succs;
      if (next < succs.size()) {
        BlockId s = succs[next++];
        if (!reachable_[s]) {
          reachable_[s] = 1;
          stack.push_back({s, 0});
        }
        continue;
      }
      post.push_back(b);
      stack.pop_back();
    }
  }

  // A unit without definitions (a lambda that reads no name) has nothing to solve, and no
  // words to point into; a coarse one is solved as Walk goes.
  if (words_ == 0 || coarse_) return;

  // Without a back edge (every reachable predecessor comes first in reverse postorder, as in
  // most notebooks' module code) one pass in that order is the fixed point.
  bool acyclic = true;
  {
    std::vector<uint32_t>& position = scratch.position;
    position.assign(nblocks, 0);
    for (size_t i = 0; i < post.size(); ++i) {
      position[post[i]] = static_cast<uint32_t>(post.size() - 1 - i);
    }
    for (BlockId b : post) {
      for (BlockId p : unit->blocks[b].preds) {
        if (reachable_[p] && position[p] >= position[b]) acyclic = false;
      }
    }
  }

  // IN(b) = union of OUT(pred); the entry's pseudo-versions are instructions of block 0, so
  // IN(entry) is empty. Reaching definitions is monotone: iterate until nothing changes.
  std::vector<uint64_t>& out = scratch.out;
  out.assign(nblocks * words_, 0);
  DefSet state(ndefs);
  const size_t row_bytes = words_ * sizeof(uint64_t);
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto it = post.rbegin(); it != post.rend(); ++it) {
      const BlockId b = *it;
      uint64_t* in = &in_[b * words_];
      std::fill(in, in + words_, 0);
      for (BlockId p : unit->blocks[b].preds) {
        if (!reachable_[p]) continue;
        const uint64_t* from = &out[p * words_];
        for (size_t w = 0; w < words_; ++w) in[w] |= from[w];
      }
      state.Assign(in);
      for (const Instr& instr : unit->blocks[b].instrs) Transfer(instr, &state);
      uint64_t* block_out = &out[b * words_];
      if (std::memcmp(state.Words(), block_out, row_bytes) != 0) {
        std::memcpy(block_out, state.Words(), row_bytes);
        changed = true;
      }
    }
    if (acyclic) break;
  }
}

std::vector<DefId> ReachingDefinitions::DefsOf(NameId name, const DefSet& state) const {
  std::vector<DefId> out;
  for (DefId d : unit_->defs_of[name]) {
    if (state.Has(d)) out.push_back(d);
  }
  return out;
}

}  // namespace cellflow
