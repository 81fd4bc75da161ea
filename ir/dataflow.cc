// The classic iterative reaching-definitions solver: gen/kill applied instruction by
// instruction, blocks visited in reverse postorder until nothing changes.
#include "ir/dataflow.h"

#include <algorithm>

namespace cellflow {

ReachingDefinitions::ReachingDefinitions(Unit* unit) : unit_(unit) {
  const size_t nblocks = unit->blocks.size();
  const size_t ndefs = unit->defs.size();
  in_.assign(nblocks, DefSet(ndefs));
  reachable_.assign(nblocks, false);

  // Reverse postorder from the entry, iteratively (no recursion: units can be huge).
  std::vector<BlockId> post;
  post.reserve(nblocks);
  {
    std::vector<std::pair<BlockId, size_t>> stack{{0, 0}};
    reachable_[0] = true;
    while (!stack.empty()) {
      auto& [b, next] = stack.back();
      const std::vector<BlockId>& succs = unit->blocks[b].succs;
      if (next < succs.size()) {
        BlockId s = succs[next++];
        if (!reachable_[s]) {
          reachable_[s] = true;
          stack.push_back({s, 0});
        }
        continue;
      }
      post.push_back(b);
      stack.pop_back();
    }
  }
  std::vector<BlockId> rpo(post.rbegin(), post.rend());

  // IN(b) = union of OUT(pred); the entry's pseudo-versions are instructions of block 0, so
  // IN(entry) is empty. Reaching definitions is monotone: iterate until nothing changes.
  std::vector<DefSet> out(nblocks, DefSet(ndefs));
  bool changed = true;
  while (changed) {
    changed = false;
    for (BlockId b : rpo) {
      DefSet in(ndefs);
      for (BlockId p : unit->blocks[b].preds) {
        if (reachable_[p]) in.Union(out[p]);
      }
      DefSet state = in;
      for (const Instr& instr : unit->blocks[b].instrs) Transfer(instr, &state);
      in_[b] = std::move(in);
      if (!(state == out[b])) {
        out[b] = std::move(state);
        changed = true;
      }
    }
  }

  for (Use& u : unit->uses) u.reachable = false;
  Walk([&](const Instr& instr, const DefSet& state) {
    if (instr.kind != InstrKind::kUse) return;
    Use& u = unit->uses[instr.id];
    u.reachable = true;
    u.reaching = DefsOf(instr.name, state);
  });
}

void ReachingDefinitions::Transfer(const Instr& instr, DefSet* state) const {
  if (instr.kind != InstrKind::kDef) return;
  for (DefId d : unit_->defs_of[instr.name]) state->Clear(d);
  state->Set(instr.id);
}

void ReachingDefinitions::Walk(
    const std::function<void(const Instr&, const DefSet&)>& visit) const {
  for (BlockId b = 0; b < unit_->blocks.size(); ++b) {
    if (!reachable_[b]) continue;
    DefSet state = in_[b];
    for (const Instr& instr : unit_->blocks[b].instrs) {
      visit(instr, state);
      Transfer(instr, &state);
    }
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
