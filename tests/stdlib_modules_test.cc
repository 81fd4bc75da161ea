// Tests of the standard-library module tables: spot checks across versions, and the 3.10-3.13
// lists against the interpreters' own sys.stdlib_module_names where those are installed.
#include "passes/stdlib_modules.h"

#include <stdio.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "lexer/str_util.h"

namespace cellflow {
namespace {

TEST(StdlibModulesTest, AlwaysThere) {
  for (int minor = 8; minor <= 13; ++minor) {
    for (std::string_view m : {"os", "sys", "_thread", "__future__", "collections", "json",
                               "typing", "asyncio", "winreg", "msvcrt", "idlelib", "this"}) {
      EXPECT_TRUE(IsStdlibModule(m, minor)) << m << " 3." << minor;
      EXPECT_EQ(StdlibRemovedIn(m, minor), 0) << m;
    }
  }
}

TEST(StdlibModulesTest, NotModules) {
  for (std::string_view m : {"", "numpy", "os.path", "OS", "test", "xxsubtype", "urllib2"}) {
    EXPECT_FALSE(IsStdlibModule(m, 11)) << m;
  }
}

TEST(StdlibModulesTest, Additions) {
  EXPECT_FALSE(IsStdlibModule("zoneinfo", 8));
  EXPECT_TRUE(IsStdlibModule("zoneinfo", 9));
  EXPECT_FALSE(IsStdlibModule("graphlib", 8));
  EXPECT_TRUE(IsStdlibModule("graphlib", 9));
  EXPECT_FALSE(IsStdlibModule("tomllib", 10));
  EXPECT_TRUE(IsStdlibModule("tomllib", 11));
  EXPECT_TRUE(IsStdlibModule("tomllib", 13));
  EXPECT_FALSE(IsStdlibModule("_pyrepl", 12));
  EXPECT_TRUE(IsStdlibModule("_pyrepl", 13));
}

TEST(StdlibModulesTest, Removals) {
  EXPECT_TRUE(IsStdlibModule("distutils", 11));
  EXPECT_FALSE(IsStdlibModule("distutils", 12));
  EXPECT_EQ(StdlibRemovedIn("distutils", 11), 0);
  EXPECT_EQ(StdlibRemovedIn("distutils", 12), 12);
  EXPECT_EQ(StdlibRemovedIn("distutils", 13), 12);
  for (std::string_view m : {"imp", "asynchat", "asyncore", "smtpd"}) {
    EXPECT_TRUE(IsStdlibModule(m, 11)) << m;
    EXPECT_EQ(StdlibRemovedIn(m, 12), 12) << m;
  }
  for (std::string_view m :
       {"aifc",    "audioop", "cgi",       "cgitb",   "chunk",       "crypt",  "imghdr",
        "mailcap", "msilib",  "nis",       "nntplib", "ossaudiodev", "pipes",  "sndhdr",
        "spwd",    "sunau",   "telnetlib", "uu",      "xdrlib",      "lib2to3"}) {
    EXPECT_TRUE(IsStdlibModule(m, 12)) << m;
    EXPECT_FALSE(IsStdlibModule(m, 13)) << m;
    EXPECT_EQ(StdlibRemovedIn(m, 12), 0) << m;
    EXPECT_EQ(StdlibRemovedIn(m, 13), 13) << m;
  }
  for (std::string_view m : {"formatter", "parser", "symbol", "_bootlocale"}) {
    EXPECT_TRUE(IsStdlibModule(m, 9)) << m;
    EXPECT_EQ(StdlibRemovedIn(m, 10), 10) << m;
  }
  EXPECT_TRUE(IsStdlibModule("binhex", 10));
  EXPECT_EQ(StdlibRemovedIn("binhex", 11), 11);
  EXPECT_TRUE(IsStdlibModule("dummy_threading", 8));
  EXPECT_EQ(StdlibRemovedIn("dummy_threading", 9), 9);
  EXPECT_EQ(StdlibRemovedIn("_peg_parser", 13), 10);
  EXPECT_FALSE(IsStdlibModule("_peg_parser", 8));
  EXPECT_EQ(StdlibRemovedIn("numpy", 13), 0);
  EXPECT_EQ(StdlibRemovedIn("urllib2", 13), 0);  // Python 2: not a 3.x removal
}

TEST(StdlibModulesTest, VersionsOutsideTheTableClamp) {
  EXPECT_TRUE(IsStdlibModule("distutils", 7));
  EXPECT_FALSE(IsStdlibModule("distutils", 14));
  EXPECT_EQ(StdlibModules(99), StdlibModules(13));
  EXPECT_EQ(StdlibModules(-1), StdlibModules(8));
}

TEST(StdlibModulesTest, ListsAreSortedAndAgree) {
  for (int minor = 8; minor <= 13; ++minor) {
    const std::vector<std::string_view>& list = StdlibModules(minor);
    EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
    EXPECT_GT(list.size(), 280u);
    for (std::string_view m : list) EXPECT_TRUE(IsStdlibModule(m, minor)) << m;
  }
  EXPECT_EQ(StdlibModules(11).size(), 305u);  // len(sys.stdlib_module_names) of 3.11
}

TEST(StdlibModulesTest, Replacements) {
  EXPECT_EQ(ReplacementForRemovedModule("urllib2").module, "urllib.request");
  EXPECT_EQ(ReplacementForRemovedModule("cPickle").module, "pickle");
  EXPECT_EQ(ReplacementForRemovedModule("ConfigParser").module, "configparser");
  EXPECT_TRUE(IsPython2StdlibModule("StringIO"));
  EXPECT_FALSE(IsPython2StdlibModule("imp"));
  EXPECT_FALSE(IsPython2StdlibModule("os"));
  EXPECT_EQ(ReplacementForRemovedModule("imp").module, "importlib");
  EXPECT_EQ(ReplacementForRemovedModule("distutils").distribution, "setuptools");
  EXPECT_EQ(ReplacementForRemovedModule("imghdr").distribution, "standard-imghdr");
  EXPECT_EQ(ReplacementForRemovedModule("os").module, "");
  EXPECT_EQ(ReplacementForRemovedModule("os").distribution, "");
  // No Python 2 name is a module of any 3.x the table knows.
  for (std::string_view m : {"urllib2", "Tkinter", "Queue", "httplib", "commands", "sets"}) {
    for (int minor = 8; minor <= 13; ++minor) EXPECT_FALSE(IsStdlibModule(m, minor)) << m;
  }
  // Every module removed in 3.x has a row.
  for (std::string_view m : StdlibModules(8)) {
    if (!IsStdlibModule(m, 13) && m[0] != '_') {
      EXPECT_FALSE(IsPython2StdlibModule(m)) << m;
      const StdlibReplacement r = ReplacementForRemovedModule(m);
      if (m != "msilib" && m != "nis" && m != "ossaudiodev" && m != "spwd" && m != "formatter") {
        EXPECT_FALSE(r.module.empty() && r.distribution.empty()) << m;
      }
    }
  }
}

// The interpreter for 3.`minor`: pyenv's build, else python3.`minor` on PATH; empty if neither.
std::string FindPython(int minor) {
  namespace fs = std::filesystem;
  const char* home = getenv("HOME");
  std::error_code ec;
  if (home != nullptr) {
    fs::path versions = fs::path(home) / ".pyenv" / "versions";
    for (const auto& entry : fs::directory_iterator(versions, ec)) {
      std::string name = entry.path().filename().string();
      if (name.rfind(StrCat("3.", minor, "."), 0) == 0 &&
          fs::exists(entry.path() / "bin/python3")) {
        return (entry.path() / "bin/python3").string();
      }
    }
  }
  for (std::string_view dir : {"/usr/bin", "/usr/local/bin"}) {
    std::string path = StrCat(dir, "/python3.", minor);
    if (fs::exists(path, ec)) return path;
  }
  return {};
}

std::vector<std::string> OutputLines(const std::string& command) {
  std::vector<std::string> lines;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return lines;
  char buf[256];
  while (fgets(buf, sizeof buf, p) != nullptr) {
    std::string line(buf);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    lines.push_back(line);
  }
  if (pclose(p) != 0) lines.clear();
  return lines;
}

TEST(StdlibModulesTest, MatchesInstalledInterpreters) {
  int compared = 0;
  for (int minor = 10; minor <= 13; ++minor) {
    std::string python = FindPython(minor);
    if (python.empty()) continue;
    std::vector<std::string> names = OutputLines(StrCat(
        "'", python, "' -c 'import sys; print(\"\\n\".join(sorted(sys.stdlib_module_names)))'"));
    if (names.empty()) continue;
    std::vector<std::string> ours(StdlibModules(minor).begin(), StdlibModules(minor).end());
    EXPECT_EQ(ours, names) << python;
    ++compared;
  }
  if (compared == 0) GTEST_SKIP() << "no Python 3.10 to 3.13 interpreter found";
}

TEST(StdlibStarExportsTest, VersionedAndSorted) {
  const std::vector<std::string>* math11 = StdlibStarExports("math", 11);
  const std::vector<std::string>* math12 = StdlibStarExports("math", 12);
  ASSERT_NE(math11, nullptr);
  ASSERT_NE(math12, nullptr);
  auto has = [](const std::vector<std::string>* names, std::string_view n) {
    return std::binary_search(names->begin(), names->end(), std::string(n));
  };
  EXPECT_TRUE(has(math11, "sqrt"));
  EXPECT_TRUE(has(math11, "cbrt"));  // 3.11
  EXPECT_FALSE(has(math11, "sumprod"));
  EXPECT_TRUE(has(math12, "sumprod"));  // 3.12
  EXPECT_FALSE(has(StdlibStarExports("math", 8), "cbrt"));
  EXPECT_TRUE(std::is_sorted(math12->begin(), math12->end()));
  // tkinter's __all__ leaves out the modules it imports; os lists the Windows-only names too.
  EXPECT_TRUE(has(StdlibStarExports("tkinter", 12), "Tk"));
  EXPECT_FALSE(has(StdlibStarExports("tkinter", 12), "messagebox"));
  EXPECT_TRUE(has(StdlibStarExports("os", 12), "startfile"));
  EXPECT_TRUE(has(StdlibStarExports("os.path", 12), "join"));
  EXPECT_EQ(StdlibStarExports("tkinter.font", 12), nullptr);
  EXPECT_EQ(StdlibStarExports("numpy", 12), nullptr);
  EXPECT_FALSE(has(StdlibStarExports("math", 12), "_private"));
}

TEST(StdlibStarExportsTest, MatchesInstalledInterpreters) {
  int compared = 0;
  for (int minor = 8; minor <= 13; ++minor) {
    std::string python = FindPython(minor);
    if (python.empty()) continue;
    for (std::string_view module : {"math", "itertools", "typing", "random", "collections"}) {
      // What `from module import *` binds: __all__, else the public names.
      std::vector<std::string> names = OutputLines(StrCat(
          "'", python, "' -c \"import ", module, " as m; names = getattr(m, '__all__', None) or ",
          "[n for n in vars(m) if not n.startswith('_')]; "
          "print('\\n'.join(sorted(set(names))))\""));
      if (names.empty()) continue;
      const std::vector<std::string>* ours = StdlibStarExports(module, minor);
      ASSERT_NE(ours, nullptr) << module;
      EXPECT_EQ(*ours, names) << python << " " << module;
      ++compared;
    }
  }
  if (compared == 0) GTEST_SKIP() << "no Python 3.8 to 3.13 interpreter found";
}

}  // namespace
}  // namespace cellflow
