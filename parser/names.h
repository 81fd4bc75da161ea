// Name occurrences of a module, as `cellflow dump names` prints them (CPython ast semantics).
#ifndef CELLFLOW_PARSER_NAMES_H_
#define CELLFLOW_PARSER_NAMES_H_

#include <string_view>
#include <vector>

#include "parser/ast.h"

namespace cellflow {

enum class NameUse : uint8_t {
  kLoad,
  kStore,
  kDel,
  kDef,       // def / class name
  kParam,     // parameter of a def or lambda
  kImport,    // bound by an import alias ("*" for a star import)
  kGlobal,    // in a global statement (offset: the keyword)
  kNonlocal,  // in a nonlocal statement (offset: the keyword)
};

std::string_view NameUseName(NameUse use);  // "load", "store", ...

struct NameOccurrence {
  Identifier name;
  Offset offset = 0;  // the name token (or the keyword for global / nonlocal)
  NameUse use = NameUse::kLoad;
};

// Every occurrence in `module`, in tree order. Matches shared/oracles/py_names.py: attribute
// names, keyword-argument names and names in string annotations are not occurrences.
std::vector<NameOccurrence> CollectNames(const Module* module);

}  // namespace cellflow

#endif  // CELLFLOW_PARSER_NAMES_H_
