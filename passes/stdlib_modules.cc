// Standard-library module tables. The per-version list is generated (stdlib_modules.inc); the
// replacements of dropped modules are written here from PEP 3108 (Python 2 renames), PEP 594
// (the 3.13 removals) and the "What's New" documents of 3.10 to 3.13.
#include "passes/stdlib_modules.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <utility>

#include "absl/container/node_hash_map.h"

namespace cellflow {
namespace {

struct StdlibModule {
  std::string_view name;
  int first_minor;    // oldest minor version (>= 8) that has it
  int removed_minor;  // minor version that removed it, 0 if still there
};

constexpr StdlibModule kModules[] = {
#define STDLIB_MODULE(name, first, removed) {name, first, removed},
#include "passes/stdlib_modules.inc"
#undef STDLIB_MODULE
};

static_assert(std::adjacent_find(std::begin(kModules), std::end(kModules),
                                 [](const StdlibModule& a, const StdlibModule& b) {
                                   return !(a.name < b.name);
                                 }) == std::end(kModules),
              "stdlib_modules.inc must be sorted by name, one row each");

int ClampMinor(int minor) { return std::clamp(minor, kOldestStdlibMinor, kNewestStdlibMinor); }

const StdlibModule* Find(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(kModules), std::end(kModules), name,
                       [](const StdlibModule& m, std::string_view n) { return m.name < n; });
  return it != std::end(kModules) && it->name == name ? it : nullptr;
}

// Python 3.`minor` has what came in 3.`first` and, unless `removed` is 0, went in 3.`removed`.
bool PresentIn(int first, int removed, int minor) {
  return first <= minor && (removed == 0 || minor < removed);
}
bool PresentIn(const StdlibModule& m, int minor) {
  return PresentIn(m.first_minor, m.removed_minor, minor);
}

struct Replacement {
  std::string_view name;
  bool python2;  // a Python 2 module (otherwise one removed from 3.x)
  StdlibReplacement replacement;
};

// Sorted by name (checked below).
constexpr Replacement kReplacements[] = {
    {"BaseHTTPServer", true, {"http.server", ""}},
    {"Bastion", true, {"", ""}},
    {"CGIHTTPServer", true, {"http.server", ""}},
    {"ConfigParser", true, {"configparser", ""}},
    {"Cookie", true, {"http.cookies", ""}},
    {"Dialog", true, {"tkinter.dialog", ""}},
    {"DocXMLRPCServer", true, {"xmlrpc.server", ""}},
    {"FileDialog", true, {"tkinter.filedialog", ""}},
    {"HTMLParser", true, {"html.parser", ""}},
    {"MimeWriter", true, {"email", ""}},
    {"Queue", true, {"queue", ""}},
    {"ScrolledText", true, {"tkinter.scrolledtext", ""}},
    {"SimpleDialog", true, {"tkinter.simpledialog", ""}},
    {"SimpleHTTPServer", true, {"http.server", ""}},
    {"SimpleXMLRPCServer", true, {"xmlrpc.server", ""}},
    {"SocketServer", true, {"socketserver", ""}},
    {"StringIO", true, {"io", ""}},
    {"Tix", true, {"tkinter.tix", ""}},
    {"Tkconstants", true, {"tkinter.constants", ""}},
    {"Tkdnd", true, {"tkinter.dnd", ""}},
    {"Tkinter", true, {"tkinter", ""}},
    {"UserDict", true, {"collections", ""}},
    {"UserList", true, {"collections", ""}},
    {"UserString", true, {"collections", ""}},
    {"__builtin__", true, {"builtins", ""}},
    {"_bootlocale", false, {"locale", ""}},
    {"_dummy_thread", false, {"_thread", ""}},
    {"_winreg", true, {"winreg", ""}},
    {"aifc", false, {"", "standard-aifc"}},
    {"anydbm", true, {"dbm", ""}},
    {"asynchat", false, {"asyncio", "pyasynchat"}},
    {"asyncore", false, {"asyncio", "pyasyncore"}},
    {"audioop", false, {"", "audioop-lts"}},
    {"binhex", false, {"base64", ""}},
    {"bsddb", true, {"dbm", ""}},
    {"cPickle", true, {"pickle", ""}},
    {"cStringIO", true, {"io", ""}},
    {"cgi", false, {"", "legacy-cgi"}},
    {"cgitb", false, {"", "standard-cgitb"}},
    {"chunk", false, {"", "standard-chunk"}},
    {"commands", true, {"subprocess", ""}},
    {"compiler", true, {"ast", ""}},
    {"cookielib", true, {"http.cookiejar", ""}},
    {"copy_reg", true, {"copyreg", ""}},
    {"crypt", false, {"hashlib", "standard-crypt"}},
    {"dbhash", true, {"dbm", ""}},
    {"dircache", true, {"os", ""}},
    {"distutils", false, {"", "setuptools"}},
    {"dumbdbm", true, {"dbm.dumb", ""}},
    {"dummy_thread", true, {"_thread", ""}},
    {"dummy_threading", false, {"threading", ""}},
    {"exceptions", true, {"builtins", ""}},
    {"formatter", false, {"", ""}},
    {"future_builtins", true, {"builtins", ""}},
    {"gdbm", true, {"dbm.gnu", ""}},
    {"hotshot", true, {"cProfile", ""}},
    {"htmlentitydefs", true, {"html.entities", ""}},
    {"htmllib", true, {"html.parser", ""}},
    {"httplib", true, {"http.client", ""}},
    {"ihooks", true, {"importlib", ""}},
    {"imghdr", false, {"", "standard-imghdr"}},
    {"imp", false, {"importlib", "zombie-imp"}},
    {"imputil", true, {"importlib", ""}},
    {"lib2to3", false, {"ast", ""}},
    {"macpath", true, {"os.path", ""}},
    {"mailcap", false, {"mimetypes", "standard-mailcap"}},
    {"markupbase", true, {"_markupbase", ""}},
    {"md5", true, {"hashlib", ""}},
    {"mimetools", true, {"email", ""}},
    {"mimify", true, {"email", ""}},
    {"msilib", false, {"", ""}},
    {"multifile", true, {"email", ""}},
    {"mutex", true, {"threading", ""}},
    {"new", true, {"types", ""}},
    {"nis", false, {"", ""}},
    {"nntplib", false, {"", "standard-nntplib"}},
    {"ossaudiodev", false, {"", ""}},
    {"parser", false, {"ast", ""}},
    {"pipes", false, {"shlex", "standard-pipes"}},
    {"popen2", true, {"subprocess", ""}},
    {"posixfile", true, {"fcntl", ""}},
    {"repr", true, {"reprlib", ""}},
    {"rexec", true, {"", ""}},
    {"rfc822", true, {"email", ""}},
    {"robotparser", true, {"urllib.robotparser", ""}},
    {"sets", true, {"builtins", ""}},
    {"sgmllib", true, {"html.parser", ""}},
    {"sha", true, {"hashlib", ""}},
    {"smtpd", false, {"", "standard-smtpd"}},
    {"sndhdr", false, {"", "standard-sndhdr"}},
    {"spwd", false, {"", ""}},
    {"statvfs", true, {"os", ""}},
    {"stringold", true, {"string", ""}},
    {"sunau", false, {"", "standard-sunau"}},
    {"symbol", false, {"ast", ""}},
    {"telnetlib", false, {"", "standard-telnetlib"}},
    {"thread", true, {"_thread", ""}},
    {"tkColorChooser", true, {"tkinter.colorchooser", ""}},
    {"tkCommonDialog", true, {"tkinter.commondialog", ""}},
    {"tkFileDialog", true, {"tkinter.filedialog", ""}},
    {"tkFont", true, {"tkinter.font", ""}},
    {"tkMessageBox", true, {"tkinter.messagebox", ""}},
    {"tkSimpleDialog", true, {"tkinter.simpledialog", ""}},
    {"ttk", true, {"tkinter.ttk", ""}},
    {"urllib2", true, {"urllib.request", ""}},
    {"urlparse", true, {"urllib.parse", ""}},
    {"user", true, {"", ""}},
    {"uu", false, {"base64", "standard-uu"}},
    {"whichdb", true, {"dbm", ""}},
    {"xdrlib", false, {"", "standard-xdrlib"}},
    {"xmlrpclib", true, {"xmlrpc.client", ""}},
};

constexpr bool ReplacementsSorted() {
  for (size_t i = 1; i < std::size(kReplacements); ++i) {
    if (!(kReplacements[i - 1].name < kReplacements[i].name)) return false;
  }
  return true;
}
static_assert(ReplacementsSorted(), "kReplacements must be sorted by name");

const Replacement* FindReplacement(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(kReplacements), std::end(kReplacements), name,
                       [](const Replacement& r, std::string_view n) { return r.name < n; });
  return it != std::end(kReplacements) && it->name == name ? it : nullptr;
}

}  // namespace

bool IsStdlibModule(std::string_view top_level, int python_minor) {
  const StdlibModule* m = Find(top_level);
  return m != nullptr && PresentIn(*m, ClampMinor(python_minor));
}

bool IsRegressionTestModule(std::string_view dotted) {
  if (!dotted.starts_with("test.")) return false;
  std::string_view sub = dotted.substr(5);
  sub = sub.substr(0, sub.find('.'));
  return sub == "support" || sub == "libregrtest" || sub == "regrtest" ||
         (sub.starts_with("test_") && sub.size() > 5);
}

int StdlibRemovedIn(std::string_view top_level, int python_minor) {
  const StdlibModule* m = Find(top_level);
  if (m == nullptr || m->removed_minor == 0) return 0;
  return ClampMinor(python_minor) >= m->removed_minor ? m->removed_minor : 0;
}

const std::vector<std::string_view>& StdlibModules(int python_minor) {
  static const auto* lists = [] {
    auto* all = new std::array<std::vector<std::string_view>,
                               kNewestStdlibMinor - kOldestStdlibMinor + 1>();
    for (int minor = kOldestStdlibMinor; minor <= kNewestStdlibMinor; ++minor) {
      auto& list = (*all)[minor - kOldestStdlibMinor];
      for (const StdlibModule& m : kModules) {
        if (PresentIn(m, minor)) list.push_back(m.name);  // kModules is sorted
      }
    }
    return all;
  }();
  return (*lists)[ClampMinor(python_minor) - kOldestStdlibMinor];
}

namespace {

struct StarExportsRow {
  std::string_view module;
  int first_minor;
  int removed_minor;       // 0: still there in the newest version
  std::string_view names;  // space-separated
};

constexpr StarExportsRow kStarExports[] = {
#define STAR_EXPORTS(module, first, removed, names) {module, first, removed, names},
#include "passes/stdlib_star_exports.inc"
#undef STAR_EXPORTS
};

constexpr bool ByModule(const StarExportsRow& a, const StarExportsRow& b) {
  return a.module < b.module;
}
static_assert(std::is_sorted(std::begin(kStarExports), std::end(kStarExports), ByModule),
              "stdlib_star_exports.inc must be sorted by module");

}  // namespace

const std::vector<std::string>* StdlibStarExports(std::string_view module, int python_minor) {
  auto [first, last] = std::equal_range(std::begin(kStarExports), std::end(kStarExports),
                                        StarExportsRow{module, 0, 0, {}}, ByModule);
  if (first == last) return nullptr;
  const int minor = ClampMinor(python_minor);
  // Each module's list for a version is made the first time it is asked for; node_hash_map
  // keeps the lists where they are as others are added.
  using Key = std::pair<int, std::string_view>;
  static auto* mu = new std::mutex;
  static auto* made = new absl::node_hash_map<Key, std::vector<std::string>>;
  std::lock_guard lock(*mu);
  auto [it, added] = made->try_emplace(Key(minor, first->module));
  if (added) {
    std::vector<std::string>& names = it->second;
    for (const StarExportsRow* row = first; row != last; ++row) {
      if (!PresentIn(row->first_minor, row->removed_minor, minor)) continue;
      for (std::string_view rest = row->names; !rest.empty();) {
        size_t space = rest.find(' ');
        names.emplace_back(rest.substr(0, space));
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      }
    }
    std::sort(names.begin(), names.end());
  }
  return &it->second;
}

StdlibReplacement ReplacementForRemovedModule(std::string_view top_level) {
  const Replacement* r = FindReplacement(top_level);
  return r != nullptr ? r->replacement : StdlibReplacement{};
}

bool IsPython2StdlibModule(std::string_view top_level) {
  const Replacement* r = FindReplacement(top_level);
  return r != nullptr && r->python2;
}

}  // namespace cellflow
