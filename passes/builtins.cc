// Names every module can read without defining them: builtins per Python version and, in a
// Jupyter kernel, the names IPython puts in the user namespace.
#include "passes/builtins.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace cellflow {
namespace {

struct BuiltinName {
  std::string_view name;
  int since_minor;  // 3.x
};

// dir(builtins), sorted; names added after 3.8 carry their first minor version.
constexpr BuiltinName kBuiltins[] = {
    {"ArithmeticError", 8},
    {"AssertionError", 8},
    {"AttributeError", 8},
    {"BaseException", 8},
    {"BaseExceptionGroup", 11},
    {"BlockingIOError", 8},
    {"BrokenPipeError", 8},
    {"BufferError", 8},
    {"BytesWarning", 8},
    {"ChildProcessError", 8},
    {"ConnectionAbortedError", 8},
    {"ConnectionError", 8},
    {"ConnectionRefusedError", 8},
    {"ConnectionResetError", 8},
    {"DeprecationWarning", 8},
    {"EOFError", 8},
    {"Ellipsis", 8},
    {"EncodingWarning", 10},
    {"EnvironmentError", 8},
    {"Exception", 8},
    {"ExceptionGroup", 11},
    {"False", 8},
    {"FileExistsError", 8},
    {"FileNotFoundError", 8},
    {"FloatingPointError", 8},
    {"FutureWarning", 8},
    {"GeneratorExit", 8},
    {"IOError", 8},
    {"ImportError", 8},
    {"ImportWarning", 8},
    {"IndentationError", 8},
    {"IndexError", 8},
    {"InterruptedError", 8},
    {"IsADirectoryError", 8},
    {"KeyError", 8},
    {"KeyboardInterrupt", 8},
    {"LookupError", 8},
    {"MemoryError", 8},
    {"ModuleNotFoundError", 8},
    {"NameError", 8},
    {"None", 8},
    {"NotADirectoryError", 8},
    {"NotImplemented", 8},
    {"NotImplementedError", 8},
    {"OSError", 8},
    {"OverflowError", 8},
    {"PendingDeprecationWarning", 8},
    {"PermissionError", 8},
    {"ProcessLookupError", 8},
    {"PythonFinalizationError", 13},
    {"RecursionError", 8},
    {"ReferenceError", 8},
    {"ResourceWarning", 8},
    {"RuntimeError", 8},
    {"RuntimeWarning", 8},
    {"StopAsyncIteration", 8},
    {"StopIteration", 8},
    {"SyntaxError", 8},
    {"SyntaxWarning", 8},
    {"SystemError", 8},
    {"SystemExit", 8},
    {"TabError", 8},
    {"TimeoutError", 8},
    {"True", 8},
    {"TypeError", 8},
    {"UnboundLocalError", 8},
    {"UnicodeDecodeError", 8},
    {"UnicodeEncodeError", 8},
    {"UnicodeError", 8},
    {"UnicodeTranslateError", 8},
    {"UnicodeWarning", 8},
    {"UserWarning", 8},
    {"ValueError", 8},
    {"Warning", 8},
    {"ZeroDivisionError", 8},
    {"_IncompleteInputError", 13},
    {"__build_class__", 8},
    {"__debug__", 8},
    {"__doc__", 8},
    {"__import__", 8},
    {"__loader__", 8},
    {"__name__", 8},
    {"__package__", 8},
    {"__spec__", 8},
    {"abs", 8},
    {"aiter", 10},
    {"all", 8},
    {"anext", 10},
    {"any", 8},
    {"ascii", 8},
    {"bin", 8},
    {"bool", 8},
    {"breakpoint", 8},
    {"bytearray", 8},
    {"bytes", 8},
    {"callable", 8},
    {"chr", 8},
    {"classmethod", 8},
    {"compile", 8},
    {"complex", 8},
    {"copyright", 8},
    {"credits", 8},
    {"delattr", 8},
    {"dict", 8},
    {"dir", 8},
    {"divmod", 8},
    {"enumerate", 8},
    {"eval", 8},
    {"exec", 8},
    {"exit", 8},
    {"filter", 8},
    {"float", 8},
    {"format", 8},
    {"frozenset", 8},
    {"getattr", 8},
    {"globals", 8},
    {"hasattr", 8},
    {"hash", 8},
    {"help", 8},
    {"hex", 8},
    {"id", 8},
    {"input", 8},
    {"int", 8},
    {"isinstance", 8},
    {"issubclass", 8},
    {"iter", 8},
    {"len", 8},
    {"license", 8},
    {"list", 8},
    {"locals", 8},
    {"map", 8},
    {"max", 8},
    {"memoryview", 8},
    {"min", 8},
    {"next", 8},
    {"object", 8},
    {"oct", 8},
    {"open", 8},
    {"ord", 8},
    {"pow", 8},
    {"print", 8},
    {"property", 8},
    {"quit", 8},
    {"range", 8},
    {"repr", 8},
    {"reversed", 8},
    {"round", 8},
    {"set", 8},
    {"setattr", 8},
    {"slice", 8},
    {"sorted", 8},
    {"staticmethod", 8},
    {"str", 8},
    {"sum", 8},
    {"super", 8},
    {"tuple", 8},
    {"type", 8},
    {"vars", 8},
    {"zip", 8},
};

// The same names in the order of CPython's builtins dict (3.11, then 3.13's additions): the
// order in which CPython tries them for a NameError suggestion.
constexpr std::string_view kBuiltinDictOrder[] = {
    "__name__",
    "__doc__",
    "__package__",
    "__loader__",
    "__spec__",
    "__build_class__",
    "__import__",
    "abs",
    "all",
    "any",
    "ascii",
    "bin",
    "breakpoint",
    "callable",
    "chr",
    "compile",
    "delattr",
    "dir",
    "divmod",
    "eval",
    "exec",
    "format",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "hex",
    "id",
    "input",
    "isinstance",
    "issubclass",
    "iter",
    "aiter",
    "len",
    "locals",
    "max",
    "min",
    "next",
    "anext",
    "oct",
    "ord",
    "pow",
    "print",
    "repr",
    "round",
    "setattr",
    "sorted",
    "sum",
    "vars",
    "None",
    "Ellipsis",
    "NotImplemented",
    "False",
    "True",
    "bool",
    "memoryview",
    "bytearray",
    "bytes",
    "classmethod",
    "complex",
    "dict",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "property",
    "int",
    "list",
    "map",
    "object",
    "range",
    "reversed",
    "set",
    "slice",
    "staticmethod",
    "str",
    "super",
    "tuple",
    "type",
    "zip",
    "__debug__",
    "BaseException",
    "BaseExceptionGroup",
    "Exception",
    "GeneratorExit",
    "KeyboardInterrupt",
    "SystemExit",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BufferError",
    "EOFError",
    "ImportError",
    "LookupError",
    "MemoryError",
    "NameError",
    "OSError",
    "ReferenceError",
    "RuntimeError",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SystemError",
    "TypeError",
    "ValueError",
    "Warning",
    "FloatingPointError",
    "OverflowError",
    "ZeroDivisionError",
    "BytesWarning",
    "DeprecationWarning",
    "EncodingWarning",
    "FutureWarning",
    "ImportWarning",
    "PendingDeprecationWarning",
    "ResourceWarning",
    "RuntimeWarning",
    "SyntaxWarning",
    "UnicodeWarning",
    "UserWarning",
    "BlockingIOError",
    "ChildProcessError",
    "ConnectionError",
    "FileExistsError",
    "FileNotFoundError",
    "InterruptedError",
    "IsADirectoryError",
    "NotADirectoryError",
    "PermissionError",
    "ProcessLookupError",
    "TimeoutError",
    "IndentationError",
    "IndexError",
    "KeyError",
    "ModuleNotFoundError",
    "NotImplementedError",
    "RecursionError",
    "UnboundLocalError",
    "UnicodeError",
    "BrokenPipeError",
    "ConnectionAbortedError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "TabError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeTranslateError",
    "ExceptionGroup",
    "EnvironmentError",
    "IOError",
    "open",
    "quit",
    "exit",
    "copyright",
    "credits",
    "license",
    "help",
    "PythonFinalizationError",
    "_IncompleteInputError",
};

// Module attributes Python sets before running any module, script or kernel.
constexpr std::string_view kModuleDunders[] = {
    "__builtins__", "__doc__",  "__loader__",      "__name__",
    "__package__",  "__spec__", "__annotations__",
};

// What IPython puts in the user namespace (besides _N and _iN).
constexpr std::string_view kKernelNames[] = {
    "In",          "Out", "_",   "__",   "___",  "_i",          "_ii",     "_iii",
    "_ih",         "_oh", "_dh", "exit", "quit", "get_ipython", "display",
    "__IPYTHON__",  // IPython puts it among the builtins
    "__builtin__",  // the builtins module, under its Python 2 name
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

bool IsBuiltin(std::string_view name, int minor) {
  auto it = std::lower_bound(std::begin(kBuiltins), std::end(kBuiltins), name,
                             [](const BuiltinName& b, std::string_view n) { return b.name < n; });
  return it != std::end(kBuiltins) && it->name == name && it->since_minor <= minor;
}

std::vector<std::string_view> BuiltinNames(int minor) {
  auto compute = [](int m) {
    std::vector<std::string_view> out;
    for (std::string_view name : kBuiltinDictOrder) {
      if (IsBuiltin(name, m)) out.push_back(name);
    }
    return out;
  };
  // The supported versions' lists are made once.
  constexpr int kMinors = 16;
  static const auto* by_minor = [&] {
    auto* lists = new std::vector<std::vector<std::string_view>>;
    for (int m = 0; m < kMinors; ++m) lists->push_back(compute(m));
    return lists;
  }();
  if (minor >= 0 && minor < kMinors) return (*by_minor)[static_cast<size_t>(minor)];
  return compute(minor);
}

bool IsModuleDunder(std::string_view name) {
  return std::find(std::begin(kModuleDunders), std::end(kModuleDunders), name) !=
         std::end(kModuleDunders);
}

bool IsKernelName(std::string_view name) {
  if (std::find(std::begin(kKernelNames), std::end(kKernelNames), name) != std::end(kKernelNames))
    return true;
  // _1, _2, ... (outputs) and _i1, _i2, ... (inputs).
  if (name.size() >= 2 && name[0] == '_' && AllDigits(name.substr(1))) return true;
  return name.size() >= 3 && name.substr(0, 2) == "_i" && AllDigits(name.substr(2));
}

bool IsDatabricksName(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "dbutils", "display", "displayHTML", "getArgument", "sc",
      "spark",   "sql",     "sqlContext",  "table",       "udf",
  };
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool IsSparkShellName(std::string_view name) {
  // (mssparkutils and notebookutils: Azure Synapse's and Microsoft Fabric's synapse_pyspark.)
  static constexpr std::string_view kNames[] = {
      "sc", "spark", "sql", "sqlContext", "sqlCtx", "mssparkutils", "notebookutils"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool IsScriptOnlyName(std::string_view name) { return name == "__file__" || name == "__cached__"; }

std::string_view Python2BuiltinReplacement(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kRemoved[] = {
      {"apply", "f(*args, **kwargs)"},
      {"basestring", "str"},
      {"buffer", "memoryview"},
      {"cmp", "(a > b) - (a < b)"},
      {"execfile", "exec(open(path).read())"},
      {"file", "open"},
      {"intern", "sys.intern"},
      {"long", "int"},
      {"raw_input", "input"},
      {"reload", "importlib.reload"},
      {"unichr", "chr"},
      {"unicode", "str"},
      {"xrange", "range"},
  };
  for (const auto& [old_name, replacement] : kRemoved) {
    if (old_name == name) return replacement;
  }
  return {};
}

}  // namespace cellflow
