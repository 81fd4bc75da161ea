// Reaching definitions over a unit's CFG (bit vectors, iterated to a fixed point in reverse
// postorder). Resolves every use to the set of versions that reach it.
#ifndef CELLFLOW_IR_DATAFLOW_H_
#define CELLFLOW_IR_DATAFLOW_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "ir/ir.h"

namespace cellflow {

// A set of DefIds.
class DefSet {
 public:
  DefSet() = default;
  explicit DefSet(size_t n) : words_((n + 63) / 64, 0) {}
  void Set(DefId d) { words_[d >> 6] |= uint64_t{1} << (d & 63); }
  void Clear(DefId d) { words_[d >> 6] &= ~(uint64_t{1} << (d & 63)); }
  bool Has(DefId d) const { return (words_[d >> 6] >> (d & 63)) & 1; }
  // this |= other; returns true if this changed.
  bool Union(const DefSet& other) {
    bool changed = false;
    for (size_t i = 0; i < words_.size(); ++i) {
      uint64_t before = words_[i];
      words_[i] |= other.words_[i];
      changed |= words_[i] != before;
    }
    return changed;
  }
  bool operator==(const DefSet& other) const { return words_ == other.words_; }
  bool Empty() const {
    for (uint64_t w : words_) {
      if (w != 0) return false;
    }
    return true;
  }

  // The bits as 64-bit words (bit d of word d / 64 is DefId d), for the solver.
  size_t WordCount() const { return words_.size(); }
  uint64_t* Words() { return words_.data(); }
  const uint64_t* Words() const { return words_.data(); }
  void Assign(const uint64_t* words) { std::copy(words, words + words_.size(), words_.begin()); }

 private:
  std::vector<uint64_t> words_;
};

class ReachingDefinitions {
 public:
  // Solves the unit and fills every Use's `reaching` (stored in the unit) and `reachable`.
  explicit ReachingDefinitions(Unit* unit)
      : ReachingDefinitions(unit, [](const Instr&, const DefSet&) {}) {}

  // The same, and replays the unit as Walk does while it fills the uses: `visit` sees a use
  // with its `reaching` already filled (the uses after it not yet).
  template <typename Visit>
  ReachingDefinitions(Unit* unit, Visit&& visit) : unit_(unit) {
    Solve();
    // Every reaching set in one vector of the unit, reserved up front so that the spans of
    // the uses filled so far stay valid.
    std::vector<DefId>& pool = unit->reaching_defs;
    pool.clear();
    size_t most = 0;
    for (Use& u : unit->uses) {
      u.reachable = false;
      u.reaching = {};
      most += unit->defs_of[u.name].size();
    }
    pool.reserve(most);
    Walk([&](const Instr& instr, const DefSet& state) {
      if (instr.kind == InstrKind::kUse) {
        Use& u = unit->uses[instr.id];
        u.reachable = true;
        size_t begin = pool.size();
        for (DefId d : unit->defs_of[instr.name]) {
          if (state.Has(d)) pool.push_back(d);
        }
        u.reaching = std::span<const DefId>(pool.data() + begin, pool.size() - begin);
      }
      visit(instr, state);
    });
  }

  // Replays the instructions of every reachable block with the state before each one:
  // visit(const Instr&, const DefSet&).
  template <typename Visit>
  void Walk(Visit&& visit) const {
    DefSet state(unit_->defs.size());
    for (BlockId b = 0; b < unit_->blocks.size(); ++b) {
      if (!reachable_[b]) continue;
      if (coarse_) {
        for (const Instr& instr : unit_->blocks[b].instrs) {
          visit(instr, state);
          CoarseTransfer(instr, &state);
        }
        continue;
      }
      state.Assign(in_.data() + b * words_);  // (no words at all for a unit without definitions)
      for (const Instr& instr : unit_->blocks[b].instrs) {
        visit(instr, state);
        Transfer(instr, &state);
      }
    }
  }

  // Units whose blocks times definitions pass this many bits (machine-made code with tens of
  // thousands of branches; real notebooks and the standard library stay under 2^17) are solved
  // coarsely: see CoarseTransfer.
  static constexpr size_t kMaxDenseBits = size_t{1} << 28;

  bool Reachable(BlockId b) const { return reachable_[b]; }
  // The defs of `name` in `state`, sorted.
  std::vector<DefId> DefsOf(NameId name, const DefSet& state) const;

 private:
  // IN of every block, and which blocks the entry reaches.
  void Solve();

  void Transfer(const Instr& instr, DefSet* state) const {
    if (instr.kind != InstrKind::kDef) return;
    if (!(instr.flags & kInstrKeeps)) {
      for (DefId d : unit_->defs_of[instr.name]) state->Clear(d);
    }
    state->Set(instr.id);
  }
  // The coarse solution, in block order without per-block sets: a binding reaches every
  // later read, and ends the name's entry version; deletions are left out. It never says a
  // name may be unbound or was deleted, only that nothing earlier binds it.
  void CoarseTransfer(const Instr& instr, DefSet* state) const {
    if (instr.kind != InstrKind::kDef) return;
    const Definition& def = unit_->defs[instr.id];
    if (def.kind == DefKind::kUndefined || def.kind == DefKind::kExternal) {
      state->Set(instr.id);
      return;
    }
    if (!IsBinding(def.kind)) return;
    for (DefId d : unit_->defs_of[instr.name]) {
      DefKind k = unit_->defs[d].kind;
      if (k == DefKind::kUndefined || k == DefKind::kExternal) state->Clear(d);
    }
    state->Set(instr.id);
  }

  Unit* unit_;
  size_t words_ = 0;          // 64-bit words per set
  std::vector<uint64_t> in_;  // IN of block b: words [b * words_, (b + 1) * words_)
  std::vector<char> reachable_;
  bool coarse_ = false;  // too large for a set per block: Walk uses CoarseTransfer
};

}  // namespace cellflow

#endif  // CELLFLOW_IR_DATAFLOW_H_
