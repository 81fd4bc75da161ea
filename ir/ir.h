// The SSA-like IR: per code unit (the notebook's module scope across its cells, or one
// function body) a control-flow graph whose instructions define, read and delete names.
//
// Every definition is a version of its name (DefId). A read is later resolved to the set of
// versions that reach it; the pseudo-version "undefined" (one per name, at the unit's entry)
// stands for "no binding on this path", and a `del` is a version that is "deleted".
#ifndef CELLFLOW_IR_IR_H_
#define CELLFLOW_IR_IR_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"

#include "lexer/str_util.h"
#include "lexer/token.h"
#include "parser/ast.h"

namespace cellflow {

using NameId = uint32_t;
using DefId = uint32_t;
using BlockId = uint32_t;

enum class DefKind : uint8_t {
  kUndefined,  // entry pseudo-version: nothing bound yet
  kExternal,   // entry pseudo-version of a name bound outside the unit (globals read by a
               // function, closure variables): its value is the caller's business
  kParam,      // function parameter
  kBind,       // assignment, import, def, class, loop target, ...
  kDelete,     // del x, or the implicit unbinding of `except E as x`
  kProven,     // bound for sure: a read under an `except NameError` guard did not raise
};

// A version that binds the name (as opposed to the entry, external or deleted versions).
inline bool IsBinding(DefKind k) {
  return k == DefKind::kBind || k == DefKind::kParam || k == DefKind::kProven;
}

enum InstrFlag : uint16_t {
  kInstrGuarded = 1 << 0,   // inside a try whose handler catches NameError
  kInstrImplicit = 1 << 1,  // kDelete: the end of an except handler, not a `del`
  kInstrTimeit = 1 << 2,    // kUndefined: the end of %timeit code, whose names do not outlive it
  // kCall of a method: `name.attr(...)`, the attribute in Unit::call_attrs[id].
  kInstrMethod = 1 << 3,
  // With kInstrMethod: called on a new instance, `name(...).attr(...)`.
  kInstrOnInstance = 1 << 4,
  // kDef that ends no earlier definition: a wildcard with a prefix binds only some names,
  // so the wildcards before it still reach past it.
  kInstrKeeps = 1 << 5,
  // kUse by a `del` statement, which needs the name bound in the namespace itself: a builtin
  // there is not.
  kInstrDeletes = 1 << 6,
  // kUse of the name a one-line cell starts with that is also an automagic (`pwd()`, `ls[0]`):
  // unless a variable shadows it, IPython runs the magic instead of the line.
  kInstrAutomagic = 1 << 7,
  // kCall whose value is only stored or shown (`it = gen()`, `coro = main()`, `gen()` alone):
  // a generator's or coroutine's body does not run there.
  kInstrStored = 1 << 8,
};

enum class InstrKind : uint8_t {
  kDef,   // name := new version `def`
  kUse,   // read of name
  kCall,  // call of the function or class bound to `name` (for call-site checks)
};

// The pseudo-name defined by `from m import *`, exec(), globals(), %run: after one of these,
// any name may be bound, so reads it reaches are not reported.
inline constexpr std::string_view kWildcardName = "*";

struct Instr {
  InstrKind kind;
  uint16_t flags = 0;
  NameId name = 0;
  uint32_t id = 0;  // kDef: DefId; kUse: UseId; kCall: call index
  Range site;       // the name token (kCall: the callee token)
};

struct Block {
  std::vector<Instr> instrs;
  // Most blocks have one or two of each: kept inline.
  absl::InlinedVector<BlockId, 2> succs;
  absl::InlinedVector<BlockId, 2> preds;
};

struct Definition {
  NameId name = 0;
  DefKind kind = DefKind::kBind;
  uint8_t flags = 0;
  Range site;
  BlockId block = 0;
  uint32_t order = 0;  // emission order (execution order of the source)
  // For kBind of a def or class statement: the node, so calls can be resolved.
  const Stmt* stmt = nullptr;
};

struct Use {
  NameId name = 0;
  uint8_t flags = 0;
  Range site;
  BlockId block = 0;
  uint32_t order = 0;
  std::span<const DefId> reaching;  // filled by the dataflow (in Unit::reaching_defs); sorted
  bool reachable = false;           // filled by the dataflow
};

// A name read in a function body that resolves outside it (a global), with where.
struct GlobalRead {
  std::string_view name;
  Range site;
};

enum class UnitKind : uint8_t { kModule, kFunction, kLambda };

struct Unit {
  Unit() = default;
  // Not copyable: the uses' reaching sets point into reaching_defs.
  Unit(const Unit&) = delete;
  Unit& operator=(const Unit&) = delete;
  Unit(Unit&&) = default;
  Unit& operator=(Unit&&) = default;

  UnitKind kind = UnitKind::kModule;
  std::string_view name;       // "module", or the function's name
  const void* node = nullptr;  // FunctionDefStmt / Lambda for function units
  // A lambda in module-level code (not in a def): most run in the cell that holds them, as an
  // argument of map(), sorted() or DataFrame.apply().
  bool in_module_code = false;
  // A generator or coroutine function without decorators: calling it runs none of its body.
  bool lazy = false;
  std::vector<std::string_view> names;  // NameId → text
  absl::flat_hash_map<std::string_view, NameId, StringViewHash, StringViewEq> name_ids;
  std::vector<Block> blocks;  // blocks[0] is the entry
  BlockId exit = 0;
  std::vector<Definition> defs;
  std::vector<Use> uses;
  // NameId → its definitions, in order (most names have the entry version and one more).
  std::vector<absl::InlinedVector<DefId, 2>> defs_of;
  // Wildcards that bind only names with a prefix (`globals()[f"df_{k}"] = ...`), by DefId;
  // the others bind any name.
  std::vector<std::pair<DefId, std::string_view>> wildcard_prefixes;
  std::vector<DefId> reaching_defs;  // what every Use::reaching points into

  // Filled for function units: globals read on some path from entry (not rebound first), and
  // names of globals called.
  std::vector<GlobalRead> global_reads;
  std::vector<GlobalRead> global_calls;
  std::vector<std::string_view> global_writes;  // `global x` then x = ...
  // Its own names that a nested function binds (`nonlocal x` then x = ...) whenever it runs.
  std::vector<std::string_view> nonlocal_writes;
  std::vector<std::string_view> call_attrs;  // the methods of kInstrMethod calls
  // A method: its class, and the methods it calls on its first parameter (`self.step()`).
  const ClassDefStmt* owner_class = nullptr;
  std::vector<GlobalRead> self_calls;

  NameId Intern(std::string_view name) {
    auto [it, inserted] = name_ids.try_emplace(name, static_cast<NameId>(names.size()));
    if (inserted) {
      names.push_back(name);
      defs_of.emplace_back();
    }
    return it->second;
  }
  // The prefix of the wildcard `d`, or null for one that binds any name.
  const std::string_view* WildcardPrefix(DefId d) const {
    for (const auto& [id, prefix] : wildcard_prefixes) {
      if (id == d) return &prefix;
    }
    return nullptr;
  }
  // Whether the wildcard `d` may bind `name`.
  bool WildcardBinds(DefId d, std::string_view name) const {
    const std::string_view* prefix = WildcardPrefix(d);
    return prefix == nullptr || name.starts_with(*prefix);
  }
  const NameId* FindName(std::string_view name) const {
    auto it = name_ids.find(name);
    return it == name_ids.end() ? nullptr : &it->second;
  }
};

}  // namespace cellflow

#endif  // CELLFLOW_IR_IR_H_
