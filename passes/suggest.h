// "Did you mean" hints: CPython's NameError suggestion algorithm (Python/suggestions.c) and
// the conventional import aliases of the scientific Python stack.
#ifndef CELLFLOW_PASSES_SUGGEST_H_
#define CELLFLOW_PASSES_SUGGEST_H_

#include <span>
#include <string_view>
#include <vector>

namespace cellflow {

// CPython's weighted Levenshtein distance: substitution 2, case-only substitution 1, insertion
// or deletion 2; returns max_cost + 1 as soon as the distance must exceed max_cost.
size_t SuggestionDistance(std::string_view a, std::string_view b, size_t max_cost);

// The candidate CPython would suggest for `name` from one list (the best under its cut-off:
// distance <= (len(name) + len(candidate) + 3) * 2 / 6, ties to the earliest), or empty.
// `candidates` must be in the order CPython would see them (dir() sorts them). Unlike CPython
// there is no cut-off at 750 candidates.
std::string_view BestSuggestion(std::string_view name,
                                std::span<const std::string_view> candidates);

// The same first letter, whatever its case (`Wall` and `all` are not): a misspelling seldom
// changes it. With `skip_underscores`, leading underscores aside (`_df` and `df`).
bool SameInitial(std::string_view a, std::string_view b, bool skip_underscores = false);

// Every name ConventionalImport knows, in the table's order.
std::vector<std::string_view> ConventionalAliases();

// The import statement a conventional alias stands for ("np" → "import numpy as np"), or
// empty.
std::string_view ConventionalImport(std::string_view name);

// Every name StandardMemberImport knows, in the table's order.
std::vector<std::string_view> StandardMemberNames();

// The import of a standard library name that notebooks use without its module ("product" →
// "from itertools import product", "List" → "from typing import List"), or empty.
std::string_view StandardMemberImport(std::string_view name);

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_SUGGEST_H_
