// The names a module reads without defining them: builtins, module attributes, and the
// Jupyter kernel's namespace.
#ifndef CELLFLOW_PASSES_BUILTINS_H_
#define CELLFLOW_PASSES_BUILTINS_H_

#include <string_view>
#include <vector>

namespace cellflow {

// dir(builtins) of Python 3.`minor` (8 to 13).
bool IsBuiltin(std::string_view name, int minor);
// The builtins of 3.`minor` in the order of CPython's builtins dict (its suggestion order).
std::vector<std::string_view> BuiltinNames(int minor);

// __name__, __doc__, __spec__, ...: set in every module, script and kernel.
bool IsModuleDunder(std::string_view name);

// In, Out, _, _i, _N, _iN, get_ipython, display, ...: defined in a Jupyter kernel.
bool IsKernelName(std::string_view name);

// spark, sc, dbutils, display, ...: defined in a Databricks notebook's Python namespace.
bool IsDatabricksName(std::string_view name);
// The names a Spark kernel or the pyspark shell binds before the first cell (sc, spark,
// sqlContext, ...).
bool IsSparkShellName(std::string_view name);

// __file__ and __cached__: a script has them, a kernel does not (NB105).
bool IsScriptOnlyName(std::string_view name);

// A builtin Python 2 had and Python 3 does not ("raw_input", "xrange", "unicode", ...): what to
// write instead in Python 3 ("input", "range", "str", ...), or empty.
std::string_view Python2BuiltinReplacement(std::string_view name);

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_BUILTINS_H_
