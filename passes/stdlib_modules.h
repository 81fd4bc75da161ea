// The top-level modules of the Python standard library, per version (3.8 to 3.13), with the
// modules later versions removed and the Python 2 names Python 3 renamed.
#ifndef CELLFLOW_PASSES_STDLIB_MODULES_H_
#define CELLFLOW_PASSES_STDLIB_MODULES_H_

#include <string>
#include <string_view>
#include <vector>

namespace cellflow {

// The oldest and newest minor versions of Python 3 the tables know.
inline constexpr int kOldestStdlibMinor = 8;
inline constexpr int kNewestStdlibMinor = 13;

// True if `top_level` ("os", "_thread", "__future__") is a top-level module of the standard
// library of Python 3.`python_minor`, as `sys.stdlib_module_names` lists them (platform-specific
// modules such as `winreg` included, test modules not). A minor version outside 8..13 is
// treated as the nearest known one.
bool IsStdlibModule(std::string_view top_level, int python_minor);

// True for a module of CPython's regression-test package that code outside CPython imports:
// "test.support" (and its submodules), "test.libregrtest", "test.regrtest", "test.test_*".
// The package itself, "test", is not in the table (sys.stdlib_module_names leaves test
// modules out), and a notebook that imports it almost always means a test.py of its own.
bool IsRegressionTestModule(std::string_view dotted);

// For a module that an earlier 3.x standard library had and 3.`python_minor` no longer has
// (distutils and imp in 3.12, telnetlib in 3.13, ...): the minor version that removed it. 0 when
// the module is in the standard library of 3.`python_minor` or never was in 3.8 or later.
int StdlibRemovedIn(std::string_view top_level, int python_minor);

// Every top-level standard library module of 3.`python_minor`, sorted (for "did you mean").
const std::vector<std::string_view>& StdlibModules(int python_minor);

// What replaces a module the standard library dropped.
struct StdlibReplacement {
  // The module to import instead: for a Python 2 module the Python 3 module that took its
  // place ("urllib2" → "urllib.request", "cPickle" → "pickle"); for a module removed in 3.x
  // its standard successor ("imp" → "importlib"). Empty when there is none.
  std::string_view module;
  // A PyPI distribution that brings the removed module back under its own name ("distutils" →
  // "setuptools", "imghdr" → "standard-imghdr"). Empty when there is none.
  std::string_view distribution;
};
// The replacement of a Python 2 module or of a module removed in 3.8 or later; both fields are
// empty for any other name.
StdlibReplacement ReplacementForRemovedModule(std::string_view top_level);

// What `from module import *` binds under Python 3.`python_minor` (the module's __all__, else
// its public names), for the standard-library modules that notebooks star-import (math,
// tkinter, os, typing, turtle, ...: see scripts/gen_stdlib_star_exports.py), sorted; null for
// any other module.
const std::vector<std::string>* StdlibStarExports(std::string_view module, int python_minor);

// True if `top_level` is a Python 2 standard library module that Python 3 does not have.
bool IsPython2StdlibModule(std::string_view top_level);

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_STDLIB_MODULES_H_
