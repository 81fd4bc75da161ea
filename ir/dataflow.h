// Reaching definitions over a unit's CFG (bit vectors, iterated to a fixed point in reverse
// postorder). Resolves every use to the set of versions that reach it.
#ifndef CELLFLOW_IR_DATAFLOW_H_
#define CELLFLOW_IR_DATAFLOW_H_

#include <cstdint>
#include <functional>
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

 private:
  std::vector<uint64_t> words_;
};

class ReachingDefinitions {
 public:
  // Solves the unit and fills every Use's `reaching` and `reachable`.
  explicit ReachingDefinitions(Unit* unit);

  // Replays the instructions of every reachable block with the state before each one.
  void Walk(const std::function<void(const Instr&, const DefSet&)>& visit) const;

  bool Reachable(BlockId b) const { return reachable_[b]; }
  // The defs of `name` in `state`, sorted.
  std::vector<DefId> DefsOf(NameId name, const DefSet& state) const;

 private:
  void Transfer(const Instr& instr, DefSet* state) const;

  Unit* unit_;
  std::vector<DefSet> in_;
  std::vector<bool> reachable_;
};

}  // namespace cellflow

#endif  // CELLFLOW_IR_DATAFLOW_H_
