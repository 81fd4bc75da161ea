// Scope analysis: CPython's symbol table (Python/symtable.c, 3.11 rules) over cellflow's AST.
//
// Collect facts, then analyze: the first pass walks the tree, creates a scope per module,
// class, function, lambda and comprehension, and records per name a bitmask of what the scope
// does with it; the second pass resolves each name to local, cell, free, or global (explicit or
// implicit), as the compiler would.
#ifndef CELLFLOW_IR_SCOPES_H_
#define CELLFLOW_IR_SCOPES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "lexer/lexer.h"
#include "lexer/str_util.h"
#include "parser/arena.h"
#include "parser/ast.h"

namespace cellflow {

// What a scope does with a name (CPython's DEF_* bits).
enum SymbolFlag : uint16_t {
  kDefGlobal = 1 << 0,     // global statement (or walrus target echoed to the module)
  kDefLocal = 1 << 1,      // bound by assignment, def, class, for, with, except, match, del
  kDefParam = 1 << 2,      // parameter
  kDefNonlocal = 1 << 3,   // nonlocal statement (or walrus target in a comprehension)
  kUse = 1 << 4,           // read
  kDefFreeClass = 1 << 6,  // free in a method, and bound in the class too
  kDefImport = 1 << 7,     // bound by import
  kDefAnnot = 1 << 8,      // annotated simple name
  kDefCompIter = 1 << 9,   // comprehension iteration variable
};
inline constexpr uint16_t kDefBound = kDefLocal | kDefParam | kDefImport;

// How a name resolves in a scope (CPython's LOCAL ... CELL).
enum class Resolution : uint8_t {
  kNone = 0,  // only for echo entries that CPython adds without a scope
  kLocal,
  kGlobalExplicit,
  kGlobalImplicit,
  kFree,
  kCell,
};

enum class ScopeKind : uint8_t { kModule, kClass, kFunction, kLambda, kComprehension };

// What the module scope's own table holds.
enum class ModuleSymbols : uint8_t {
  kAll,  // every name the module binds or reads, as CPython's symtable has them
  // Only where the module declares names global or nonlocal itself (which CPython checks
  // against what came before): for passes that take every module-level name as the module's
  // without asking the table. The nested scopes and the errors are the same as with kAll.
  kWhereDeclared,
};

struct Symbol {
  std::string_view name;  // mangled where CPython mangles
  uint16_t flags = 0;
  Resolution resolution = Resolution::kNone;
};

struct Scope {
  ScopeKind kind = ScopeKind::kModule;
  std::string_view name;          // def/class name; "lambda", "listcomp", "setcomp", ...
  std::string_view private_name;  // the class whose name mangles __x here (empty: none)
  Offset start = 0;               // the token CPython gives as the scope's line
  const void* node = nullptr;     // the Stmt or Expr that made it (null for the module)
  Scope* parent = nullptr;
  std::vector<Scope*> children;  // in creation order
  std::vector<Symbol> symbols;   // in first-seen order
  // Name → symbols position, once the scope has kIndexFrom symbols; smaller scopes (most
  // lambdas, comprehensions and short functions) are searched in order.
  absl::flat_hash_map<std::string_view, uint32_t, StringViewHash, StringViewEq> index;
  static constexpr size_t kIndexFrom = 8;
  bool is_generator = false;
  bool is_coroutine = false;

  // The symbol for `name` as written in this scope (mangled like CPython), or null.
  const Symbol* Resolve(std::string_view name) const;
  // True if a scope nested in this one binds `name` (one of this scope's cells) through a
  // `nonlocal` statement.
  bool BoundByNested(std::string_view name) const;
  // Appends this scope's cells that BoundByNested.
  void CellsBoundByNested(std::vector<std::string_view>* out) const;
  const Symbol* Find(std::string_view name) const {
    if (index.empty()) {
      // Length and first character first: most symbols differ there, without a memcmp call.
      for (const Symbol& s : symbols) {
        if (s.name.size() == name.size() && (name.empty() || s.name[0] == name[0]) &&
            SameBytes(s.name.data(), name.data(), name.size())) {
          return &s;
        }
      }
      return nullptr;
    }
    auto it = index.find(name);
    return it == index.end() ? nullptr : &symbols[it->second];
  }
  Symbol* Find(std::string_view name) {
    return const_cast<Symbol*>(static_cast<const Scope*>(this)->Find(name));
  }
  // "function" for functions, lambdas and comprehensions, as CPython's symtable says.
  std::string_view TypeName() const;
};

// The scopes of one module. Owns the scopes; names point into the AST, the source buffer or
// an internal arena (mangled names).
class ScopeTree {
 public:
  // Its symbols are all the module's unless built with ModuleSymbols::kWhereDeclared.
  const Scope* module() const { return module_; }
  // The module starts with `from __future__ import annotations`.
  bool future_annotations() const { return future_annotations_; }
  // The scope a def, class, lambda or comprehension node created, or null.
  const Scope* ScopeOf(const void* node) const {
    auto it = by_node_.find(node);
    return it == by_node_.end() ? nullptr : it->second;
  }
  // The first problem CPython's symtable would raise (e.g. "no binding for nonlocal 'x'
  // found"); empty if none. Scopes are still built after a problem.
  const std::vector<SyntaxDiagnostic>& errors() const { return errors_; }

 private:
  friend class ScopeBuilder;
  friend std::unique_ptr<ScopeTree> BuildScopes(const Module*, std::string_view, bool,
                                                ModuleSymbols);
  Scope module_scope_;                          // inline: many modules (cells) have no other scope
  std::vector<std::unique_ptr<Scope>> scopes_;  // the others
  absl::flat_hash_map<const void*, const Scope*> by_node_;
  Scope* module_ = nullptr;
  bool future_annotations_ = false;
  Arena names_;
  std::vector<SyntaxDiagnostic> errors_;
};

// Builds the scopes of `module` (parsed from `buffer`) with CPython 3.11's rules, including its
// checks of future statements. Under `from __future__ import annotations` annotations are not
// evaluated and bind or read nothing. `top_level_await`: compiled as IPython compiles a cell
// (PyCF_ALLOW_TOP_LEVEL_AWAIT), where an asynchronous comprehension may run at module level.
std::unique_ptr<ScopeTree> BuildScopes(const Module* module, std::string_view buffer,
                                       bool top_level_await = false,
                                       ModuleSymbols module_symbols = ModuleSymbols::kAll);
bool HasFutureAnnotations(const Module* module);

// CPython's _Py_Mangle: "__x" in class "C" is "_C__x"; *storage holds a changed name.
std::string_view MangleName(std::string_view private_name, std::string_view name,
                            std::string* storage);

// The flag names of shared/oracles/README.md ("assigned", "free", ...), sorted.
std::vector<std::string_view> SymbolFlagNames(const Symbol& symbol, bool in_module);

}  // namespace cellflow

#endif  // CELLFLOW_IR_SCOPES_H_
