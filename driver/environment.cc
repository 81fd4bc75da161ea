// Module lookup against the file system, with batch-wide caches.
#include "driver/environment.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <shared_mutex>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/ascii.h"

#include "driver/deps.h"
#include "driver/dir_listing.h"
#include "driver/notebook.h"
#include "lexer/source.h"
#include "lexer/str_util.h"
#include "lexer/unicode.h"
#include "parser/parser.h"
#include "passes/distributions.h"
#include "passes/stdlib_modules.h"

namespace cellflow {

namespace fs = std::filesystem;

namespace {

// Module and package names a directory offers. Whether a directory is a regular package (has
// an __init__.py) is asked only when an import names it (IsPackage).
struct Listing {
  enum Kind : uint8_t {
    kModule = 1,     // name.py
    kExtension = 2,  // name.so, name.cpython-311-x86_64-linux-gnu.so, name.pyd
    kDir = 4,        // any directory: a package, or a namespace one
    kNotebook = 8,   // name.ipynb: no module, but what `import name` may have meant
    kCython = 16,    // name.pyx: a module once compiled (pyximport, a build), names unknown
  };
  // What `import name` finds (a notebook is not one).
  static constexpr uint8_t kImportable = kModule | kExtension | kDir | kCython;
  // Each name with the kinds of entry it has (a name.py beside a name/ has both).
  absl::flat_hash_map<std::string, uint8_t, StringViewHash, std::equal_to<>> names;
  DirectoryDeps deps;  // for the DependencyFinder, from the same listing

  uint8_t KindsOf(std::string_view name) const {
    auto it = names.find(name);
    return it == names.end() ? 0 : it->second;
  }
  // The first (by name) entry of `kind` whose name is `name` but for letter case, or empty.
  std::string_view SameButCase(std::string_view name, uint8_t kind) const {
    std::string_view found;
    for (const auto& [other, kinds] : names) {
      if ((kinds & kind) && other != name && other.size() == name.size() &&
          std::equal(other.begin(), other.end(), name.begin(),
                     [](char a, char b) {
                       return absl::ascii_tolower(static_cast<unsigned char>(a)) ==
                              absl::ascii_tolower(static_cast<unsigned char>(b));
                     }) &&
          (found.empty() || other < found)) {
        found = other;
      }
    }
    return found;
  }
};

std::unique_ptr<Listing> MakeListing(const std::string& dir, const std::vector<DirEntry>& entries) {
  auto listing = std::make_unique<Listing>();
  listing->deps = ScanDependencyFiles(dir, entries);
  for (const DirEntry& e : entries) {
    std::string_view name = e.name;
    if (e.is_dir) {
      if (LooksLikeIdentifier(name)) listing->names[name] |= Listing::kDir;
      continue;
    }
    // Not a file (a link that leads nowhere, as a checkout makes of one to another machine's
    // path): Python's import skips it.
    if (!e.is_regular) continue;
    size_t dot = name.find('.');
    if (dot == std::string::npos || !LooksLikeIdentifier(name.substr(0, dot))) continue;
    std::string_view ext = name.substr(name.rfind('.'));
    if (ext == ".py" && dot == name.size() - 3) {
      listing->names[name.substr(0, dot)] |= Listing::kModule;
    } else if (ext == ".so" || ext == ".pyd") {
      listing->names[name.substr(0, dot)] |= Listing::kExtension;
    } else if (ext == ".ipynb" && dot == name.size() - 6) {
      listing->names[name.substr(0, dot)] |= Listing::kNotebook;
    } else if (ext == ".pyx" && dot == name.size() - 4) {
      listing->names[name.substr(0, dot)] |= Listing::kCython;
    }
  }
  return listing;
}

std::unique_ptr<Listing> ListDirectory(const std::string& dir) {
  std::vector<DirEntry> entries;
  ListDir(dir, &entries);
  return MakeListing(dir, entries);
}

// The whole text of a local module or a distribution's metadata file.
std::string ReadText(const std::string& path, bool* ok) {
  std::string text, error;
  *ok = ReadWholeFile(path, size_t{1} << 30, &text, &error);
  return text;
}

// Parses Python source into a module summary; a file that does not parse is dynamic (its
// names are not known for sure).
void Summarize(std::string_view source_bytes, LocalModule* out,
               const StarImportFinder* find = nullptr) {
  if (LooksLikeNotebookJson(source_bytes)) {
    out->notebook_json = true;
    return;
  }
  DecodedSource source = DecodeSource(source_bytes);
  Arena arena;
  ParseOptions options;
  options.ipython = true;
  ParseResult parsed = Parse(source.text, &arena, options);
  SummarizeModule(parsed.module, source.text, out, find);
  if (!parsed.errors.empty() || !source.problems.empty()) {
    out->dynamic = out->submodules_dynamic = true;
    out->exports_known = false;
  }
}

// A notebook's top-level names (`%run other.ipynb` runs its code cells in order): its code cells
// read as one module. False if it cannot be read as a notebook.
bool SummarizeNotebook(const std::string& path, std::string_view bytes, LocalModule* out) {
  NotebookReader reader;
  absl::StatusOr<Notebook> nb = reader.Read(path, bytes);
  if (!nb.ok()) return false;
  std::string code;
  for (const Cell& c : nb->cells) {
    if (!c.IsCode()) continue;
    std::string_view source = nb->Source(c);
    // A cell magic's body is Python only for %%time and the like; %%bash, %%html...: skipped.
    std::string_view magic = CellMagicName(source);
    if (!magic.empty() && !IsPythonCellMagic(magic)) continue;
    code.append(source);
    code.push_back('\n');
  }
  Summarize(code, out);
  return true;
}

// A script inside package directories: their dotted name, for relative imports.
std::string PackageOf(const std::string& dir) {
  std::string package;
  fs::path p(dir);
  std::error_code ec;
  while (!p.empty() && fs::exists(p / "__init__.py", ec)) {
    std::string name = p.filename().string();
    package = package.empty() ? name : StrCat(name, ".", package);
    if (p == p.parent_path()) break;
    p = p.parent_path();
  }
  return package;
}

}  // namespace

namespace {

// Whether a .gitignore pattern (without its '!' or a trailing '/') matches the file `name` in
// the directory `rel` ("" or "a/b/") below the .gitignore's directory.
bool GitPatternMatches(std::string_view pattern, std::string_view rel, std::string_view name) {
  std::string p(pattern);
  if (p.starts_with("**/")) p.erase(0, 3);  // at any depth, as a pattern without '/' is
  if (p.find('/') == std::string::npos) {
    return fnmatch(p.c_str(), std::string(name).c_str(), 0) == 0;
  }
  if (p[0] == '/') p.erase(0, 1);
  // "a/**/b": fnmatch has no "**"; without FNM_PATHNAME its '*' crosses '/' as "**" does.
  const int flags = p.find("**") != std::string::npos ? 0 : FNM_PATHNAME;
  return fnmatch(p.c_str(), StrCat(rel, name).c_str(), flags) == 0;
}

}  // namespace

struct ImportContext::Impl {
  ImportOptions options;
  std::string cwd;                 // the working directory, read once per batch
  std::vector<std::string> paths;  // --path, absolute
  // Top-level import name → distribution, from --site-packages.
  absl::flat_hash_map<std::string, std::string, StringViewHash, std::equal_to<>> installed;
  std::unique_ptr<DependencyFinder> deps;

  // What the notebooks of one directory share: the directory made absolute, its search path
  // when a notebook adds nothing to it, and its declared dependencies.
  struct Folder {
    std::string dir;
    std::string package;              // scripts: the package `dir` is, for relative imports
    std::vector<std::string> search;  // the package root (scripts), dir, then --path
    std::shared_ptr<const DeclaredDependencies> deps;
    mutable std::shared_mutex mu;
    // deps->DeclaresImport(name) by dotted name, as asked so far; guarded by mu.
    mutable absl::flat_hash_map<std::string, bool, StringViewHash, std::equal_to<>> declares;
  };
  mutable std::shared_mutex mu;
  mutable absl::flat_hash_map<std::string, std::unique_ptr<Listing>> listings;
  mutable absl::flat_hash_map<std::string, std::unique_ptr<LocalModule>> modules;
  mutable absl::flat_hash_map<std::string, std::unique_ptr<std::vector<std::string>>> gitignores;
  // IsPackage's answers, by the __init__.py path.
  mutable absl::flat_hash_map<std::string, bool> packages;
  // By the notebook path's directory part as given, with its '/'; scripts apart.
  mutable absl::flat_hash_map<std::string, std::unique_ptr<Folder>, StringViewHash, std::equal_to<>>
      folders, script_folders;

  const Folder& FolderOf(const std::string& path, bool is_script) const;
  // folder.deps->DeclaresImport(dotted), remembered per folder.
  bool FolderDeclares(const Folder& folder, std::string_view dotted) const {
    if (folder.deps == nullptr || folder.deps->distributions.empty()) return false;
    {
      std::shared_lock lock(folder.mu);
      if (auto it = folder.declares.find(dotted); it != folder.declares.end()) return it->second;
    }
    const bool declares = folder.deps->DeclaresImport(dotted);
    std::unique_lock lock(folder.mu);
    folder.declares.try_emplace(std::string(dotted), declares);
    return declares;
  }

  // What a dotted module name is outside the notebook's folders (the standard library, the
  // --site-packages, the import-name table): the same for every notebook, so worked out once
  // per batch.
  struct NameFacts {
    bool stdlib = false;
    int removed_in = 0;             // removed from the standard library in 3.x
    StdlibReplacement replacement;  // for removed and Python 2 modules
    // --site-packages: its distribution ("" unknown); points into `installed`, filled once.
    const std::string* installed = nullptr;
    bool environment = false;       // the kernel, Colab or Kaggle provide it
    bool namespace_only = false;    // a namespace several distributions share
    std::string_view distribution;  // the import-name table's distribution
    bool python2 = false;           // a Python 2 standard library module
  };
  mutable absl::node_hash_map<std::string, NameFacts, StringViewHash, std::equal_to<>>
      name_facts;  // guarded by mu
  const NameFacts& FactsOf(std::string_view dotted) const {
    {
      std::shared_lock lock(mu);
      if (auto it = name_facts.find(dotted); it != name_facts.end()) return it->second;
    }
    NameFacts f;
    std::string_view top = dotted.substr(0, dotted.find('.'));
    // __main__ is the kernel's own namespace: always there.
    f.stdlib = IsStdlibModule(top, options.python_minor) || top == "__main__" ||
               IsRegressionTestModule(dotted);
    f.removed_in = StdlibRemovedIn(top, options.python_minor);
    f.python2 = IsPython2StdlibModule(top);
    if (f.removed_in != 0 || f.python2) f.replacement = ReplacementForRemovedModule(top);
    if (auto it = installed.find(top); it != installed.end()) {
      f.installed = &it->second;
    }
    // EnvironmentForImport and DistributionForImport, from one look in the table.
    if (const ImportNameEntry* e = FindImportName(dotted); e != nullptr) {
      f.environment = e->environment != ImportEnvironment::kNone;
      f.namespace_only = !e->HasDistribution() && e->import_name == dotted;
      f.distribution = e->distributions.substr(0, e->distributions.find(','));
    } else {
      f.distribution = PopularDistributionForImport(dotted);
    }
    std::unique_lock lock(mu);
    return name_facts.try_emplace(std::string(dotted), f).first->second;
  }

  // `dir`/`name` (a directory) holds an __init__.py; asked of the file system once per batch.
  bool IsPackage(const std::string& dir, std::string_view name) const {
    std::string init = StrCat(dir, "/", name, "/__init__.py");
    {
      std::shared_lock lock(mu);
      if (auto it = packages.find(init); it != packages.end()) return it->second;
    }
    struct stat st;
    const bool package = stat(init.c_str(), &st) == 0;
    std::unique_lock lock(mu);
    packages.try_emplace(std::move(init), package);
    return package;
  }

  // The lines of `dir`/.gitignore that are patterns (none without one), read once per batch.
  const std::vector<std::string>& GitignoreOf(const std::string& dir) const {
    {
      std::shared_lock lock(mu);
      auto it = gitignores.find(dir);
      if (it != gitignores.end()) return *it->second;
    }
    auto patterns = std::make_unique<std::vector<std::string>>();
    std::string text, error;
    if (ReadWholeFile(StrCat(dir == "/" ? "" : dir, "/.gitignore"), size_t{1} << 20, &text,
                      &error)) {
      for (size_t at = 0; at < text.size();) {
        size_t end = std::min(text.find('\n', at), text.size());
        std::string_view line = std::string_view(text).substr(at, end - at);
        at = end + 1;
        while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
        if (line.empty() || line[0] == '#') {
          patterns->emplace_back();  // kept, so that an index is a line number
          continue;
        }
        patterns->emplace_back(line);
      }
    }
    std::unique_lock lock(mu);
    auto [it, inserted] = gitignores.try_emplace(dir, std::move(patterns));
    return *it->second;
  }

  const Listing& ListingOf(const std::string& dir) const {
    {
      std::shared_lock lock(mu);
      auto it = listings.find(dir);
      if (it != listings.end()) return *it->second;
    }
    std::unique_ptr<Listing> made = ListDirectory(dir);
    std::unique_lock lock(mu);
    auto [it, inserted] = listings.try_emplace(dir, std::move(made));
    return *it->second;
  }

  // The summary of a module file, package directory (its __init__.py) or extension, parsed
  // once per batch. `key` is the absolute path of the file or directory.
  const LocalModule* ModuleAt(const std::string& key, const std::string& name, bool package,
                              bool extension, bool namespace_package) const {
    {
      std::shared_lock lock(mu);
      auto it = modules.find(key);
      if (it != modules.end()) return it->second.get();
    }
    auto m = std::make_unique<LocalModule>();
    m->name = name;
    m->path = key;
    m->is_package = package || namespace_package;
    m->extension = extension;
    std::string base = fs::path(key).filename().string();
    if (extension) {
      m->display = base;
      m->dynamic = m->submodules_dynamic = true;
      m->exports_known = false;
    } else if (namespace_package) {
      m->display = base + "/";
      m->exports_known = false;
    } else {
      std::string file = package ? key + "/__init__.py" : key;
      m->display = package ? base + "/__init__.py" : base;
      bool ok;
      std::string text = ReadText(file, &ok);
      if (ok && !package && key.ends_with(".ipynb")) {
        ok = SummarizeNotebook(key, text, m.get());  // `%run other.ipynb`
      } else if (ok) {
        StarImportFinder find = [&](std::string_view module, int level) {
          return StarImportTarget(key, name, package, module, level);
        };
        Summarize(text, m.get(), &find);
      }
      if (!ok) {
        m->dynamic = m->submodules_dynamic = true;
        m->exports_known = false;
      }
    }
    if (m->is_package) {
      for (const auto& [name, kinds] : ListingOf(key).names) {
        // (A notebook in the package is none of its modules.)
        if (name != "__init__" && (kinds & ~Listing::kNotebook)) m->submodules.insert(name);
      }
    }
    std::unique_lock lock(mu);
    auto [it, inserted] = modules.try_emplace(key, std::move(m));
    return it->second.get();
  }

  // The local module that `from <level dots><module> import *` in the local module `name` (at
  // `key`, a package directory when `package`) names: a relative import inside its package, an
  // absolute one in the directory its top-level package or module was found in. Null when it is
  // no local module there, or when the star imports go round in a circle.
  const LocalModule* StarImportTarget(const std::string& key, std::string_view name, bool package,
                                      std::string_view module, int level) const {
    // Modules whose summaries wait for this one's: a circle, or a chain too long to follow.
    thread_local std::vector<std::string> waiting;
    if (waiting.size() >= 16 || std::find(waiting.begin(), waiting.end(), key) != waiting.end()) {
      return nullptr;
    }
    const auto depth = static_cast<size_t>(std::count(name.begin(), name.end(), '.'));
    std::string dotted(module);
    if (level > 0) {
      // Relative to the package the module is in (a package is its own).
      if (!package && name.find('.') == std::string_view::npos) return nullptr;
      std::string_view base = package ? name : name.substr(0, name.rfind('.'));
      if (!ResolveRelativeImport(base, module, level, &dotted)) return nullptr;
    }
    // The search path entry the module was found in: up from its file, one level per dot.
    fs::path root = package ? fs::path(key) : fs::path(key).parent_path();
    for (size_t k = 0; k < depth + (package ? 1 : 0); ++k) root = root.parent_path();
    waiting.push_back(key);
    // Packages on the way are directories (their __init__.py, maybe the module waiting here, is
    // not read); the last part is the module.
    const LocalModule* found = nullptr;
    std::string dir = root.string();
    size_t at = 0;
    while (true) {
      size_t next = std::min(dotted.find('.', at), dotted.size());
      std::string_view part = std::string_view(dotted).substr(at, next - at);
      if (part.empty()) break;
      if (next == dotted.size()) {
        bool ns = false;
        found = FindIn(dir, part, dotted, &ns);
        break;
      }
      if (!(ListingOf(dir).KindsOf(part) & Listing::kDir)) break;
      dir = StrCat(dir, "/", part);
      at = next + 1;
    }
    waiting.pop_back();
    return found;
  }

  // Finds `name` as a module in `dir`: a regular module or package first, an extension next;
  // `namespace_dir` is set when only a plain directory of that name exists.
  // The regular package `name` (a directory with an __init__.py) in `dir`, whose listing gives
  // `name` the entry kinds `kinds`; null if it is none.
  const LocalModule* PackageIn(const std::string& dir, uint8_t kinds, std::string_view name,
                               std::string_view dotted) const {
    if (!(kinds & Listing::kDir) || !IsPackage(dir, name)) return nullptr;
    return ModuleAt(StrCat(dir, "/", name), std::string(dotted), true, false, false);
  }

  const LocalModule* FindIn(const std::string& dir, std::string_view name, std::string_view dotted,
                            bool* namespace_dir) const {
    return FindIn(dir, ListingOf(dir), name, dotted, namespace_dir);
  }
  const LocalModule* FindIn(const std::string& dir, const Listing& l, std::string_view name,
                            std::string_view dotted, bool* namespace_dir) const {
    const uint8_t kinds = l.KindsOf(name);
    if (kinds == 0) return nullptr;
    if (const LocalModule* package = PackageIn(dir, kinds, name, dotted)) return package;
    if (kinds & Listing::kModule) {
      return ModuleAt(StrCat(dir, "/", name, ".py"), std::string(dotted), false, false, false);
    }
    if (kinds & Listing::kExtension) {
      return ModuleAt(StrCat(dir, "/", name, ".so"), std::string(dotted), false, true, false);
    }
    if (kinds & Listing::kCython) {
      return ModuleAt(StrCat(dir, "/", name, ".pyx"), std::string(dotted), false, true, false);
    }
    if (kinds & Listing::kDir) *namespace_dir = true;
    return nullptr;
  }

  void LoadSitePackages() {
    for (const std::string& dir : options.site_packages) {
      std::error_code ec;
      for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator();
           it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::string_view n = name;
        if (n.size() > 10 && n.substr(n.size() - 10) == ".dist-info") {
          std::string dist(n.substr(0, n.find('-')));
          bool ok;
          std::string top = ReadText((it->path() / "top_level.txt").string(), &ok);
          std::string_view rest = top;
          while (!rest.empty()) {
            size_t e = rest.find('\n');
            std::string_view line = rest.substr(0, e);
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
              line.remove_suffix(1);
            }
            if (!line.empty()) installed.try_emplace(std::string(line), dist);
            if (e == std::string_view::npos) break;
            rest.remove_prefix(e + 1);
          }
          if (!ok) {
            // No top_level.txt: the first path component of each file RECORD lists.
            std::string record = ReadText((it->path() / "RECORD").string(), &ok);
            std::string_view r = record;
            while (!r.empty()) {
              size_t e = r.find('\n');
              std::string_view line = r.substr(0, e);
              std::string_view first = line.substr(0, line.find_first_of("/,"));
              if (first.size() > 3 && first.substr(first.size() - 3) == ".py") {
                first.remove_suffix(3);
              }
              if (LooksLikeIdentifier(first) && first.find('.') == std::string_view::npos) {
                installed.try_emplace(std::string(first), dist);
              }
              if (e == std::string_view::npos) break;
              r.remove_prefix(e + 1);
            }
          }
          continue;
        }
        size_t dot = name.find('.');
        std::string stem = name.substr(0, dot);
        if (LooksLikeIdentifier(stem) && (it->is_directory(ec) || n.substr(n.size() - 3) == ".py" ||
                                          n.find(".so") != std::string_view::npos)) {
          installed.try_emplace(stem, std::string());
        }
      }
    }
  }
};

const ImportContext::Impl::Folder& ImportContext::Impl::FolderOf(const std::string& path,
                                                                 bool is_script) const {
  // The directory part of the path, with its '/' ("" for a file in the working directory).
  size_t slash = path.rfind('/');
  std::string_view key_dir =
      std::string_view(path).substr(0, slash == std::string::npos ? 0 : slash + 1);
  auto& map = is_script ? script_folders : folders;
  {
    std::shared_lock lock(mu);
    if (auto it = map.find(key_dir); it != map.end()) return *it->second;
  }
  auto folder = std::make_unique<Folder>();
  folder->dir = AbsoluteNormalPath(key_dir, cwd);
  if (is_script) {
    // A file inside a package is one of its modules: the directory holding the top package
    // is where its absolute imports start.
    folder->package = PackageOf(folder->dir);
    if (!folder->package.empty()) {
      std::string root = folder->dir;
      for (size_t n = std::count(folder->package.begin(), folder->package.end(), '.') + 1; n > 0;
           --n) {
        root = AbsoluteNormalPath(StrCat(root, "/.."), "/");
      }
      folder->search.push_back(std::move(root));
    }
  }
  folder->search.push_back(folder->dir);
  for (const std::string& p : paths) folder->search.push_back(p);
  folder->deps = deps->ForDirectory(folder->dir);
  std::unique_lock lock(mu);
  auto [it, inserted] = map.try_emplace(std::string(key_dir), std::move(folder));
  return *it->second;
}

namespace {

class NotebookModules : public ModuleEnvironment {
 public:
  NotebookModules(const ImportContext::Impl& ctx, const std::string& path, bool is_script,
                  const ImportFacts& facts, std::string_view buffer)
      : ctx_(ctx), folder_(ctx.FolderOf(path, is_script)) {
    deps_ = folder_.deps;
    if (is_script) {
      std::string_view file = std::string_view(path).substr(path.rfind('/') + 1);
      if (file.ends_with(".py")) own_stem_ = file.substr(0, file.size() - 3);
    }
    if (!facts.sys_path.empty()) {
      // After the notebook's directory (and a script's package root), before --path.
      own_search_ = folder_.search;
      auto at = own_search_.end() - static_cast<std::ptrdiff_t>(ctx.paths.size());
      for (const std::string& p : facts.sys_path) {
        at = own_search_.insert(at, AbsoluteNormalPath(p, dir_)) + 1;
      }
      search_ = &own_search_;
      sys_path_ = facts.sys_path;
    }
    std::vector<std::string> requirement_files;  // `%pip install -r FILE`
    for (const std::string& command : facts.install_commands) {
      DependencyParse parse = ParseInstallCommand(command);
      for (std::string& d : parse.distributions) installed_here_.insert(std::move(d));
      // A project directory it installs: its packages (beside its build file, or in src/).
      for (const std::string& p : parse.local_projects) {
        installed_projects_.push_back(AbsoluteNormalPath(p, dir_));
      }
      for (const std::string& f : parse.requirement_files) {
        // `pip install -r https://...`: a file fetched when it runs, whose names are not known.
        if (f.find("://") != std::string::npos) {
          installs_unknown_ = true;
          continue;
        }
        // Relative to the working directory when it ran: the notebook's, or one it moved to
        // (`%cd repo` after a clone). Not found where a clone may bring it: not read.
        std::string at = AbsoluteNormalPath(f, dir_);
        struct stat st;
        bool found = stat(at.c_str(), &st) == 0;
        for (auto it = facts.sys_path.rbegin(); !found && it != facts.sys_path.rend(); ++it) {
          std::string moved = AbsoluteNormalPath(f, AbsoluteNormalPath(*it, dir_));
          if (stat(moved.c_str(), &st) == 0) {
            at = std::move(moved);
            found = true;
          }
        }
        if (!found && facts.fetches_files) continue;
        requirement_files.push_back(std::move(at));
      }
    }
    if (!requirement_files.empty()) {
      for (const std::string& d : ctx.deps->ForRequirementFiles(requirement_files).distributions) {
        installed_here_.insert(d);
      }
    }
    // A module the notebook makes itself: `file` as the notebook names it, at `path`, `stem`
    // its name.
    auto make = [](std::string_view file, std::string path, std::string_view stem,
                   std::string_view how) {
      auto m = std::make_unique<LocalModule>();
      m->name = std::string(stem);
      m->path = std::move(path);
      m->display = StrCat(file, " (", how, ")");
      return m;
    };
    // One beside the notebook.
    auto add = [&](std::string_view file, std::string_view stem, std::string_view how) {
      std::unique_ptr<LocalModule> m = make(file, StrCat(dir_, "/", file), stem, how);
      LocalModule* added = m.get();
      return written_.try_emplace(m->name, std::move(m)).second ? added : nullptr;
    };
    // Each file's text: what its first %%writefile wrote, and what -a cells added after it.
    std::vector<std::pair<std::string_view, std::string>> files;
    std::vector<Offset> first_written;  // by files' index: where its first writing cell is
    for (const ImportFacts::WrittenFile& w : facts.written_files) {
      auto it = std::find_if(files.begin(), files.end(),
                             [&](const auto& f) { return f.first == w.path; });
      std::string_view text = buffer.substr(w.begin, w.end - w.begin);
      if (it == files.end()) {
        files.emplace_back(w.path, std::string(text));
        first_written.push_back(w.begin);
      } else if (w.append) {
        // (IPython ends a cell's text with a newline before it is written)
        if (!it->second.empty() && it->second.back() != '\n') it->second.push_back('\n');
        it->second.append(text);
      }
    }
    for (size_t i = 0; i < files.size(); ++i) {
      const std::string_view file = files[i].first;
      const std::string& text = files[i].second;
      if (const size_t slash = file.rfind('/'); slash != std::string_view::npos) {
        // Into a folder (`%%writefile src/config.py`): found where its folder is searched.
        if (file.size() > slash + 4 && file.ends_with(".py")) {
          std::string at = AbsoluteNormalPath(file, dir_);
          std::unique_ptr<LocalModule> m = make(
              file, at, file.substr(slash + 1, file.size() - slash - 4), "written by %%writefile");
          Summarize(text, m.get());
          written_in_folders_.try_emplace(std::move(at), std::move(m));
        }
        continue;
      }
      if (file.size() > 4 && file.substr(file.size() - 4) == ".pyx") {
        // Cython source the notebook compiles (setup.py build_ext, pyximport) into a module
        // of the same name: its Python names are not read here.
        if (LocalModule* m = add(file, file.substr(0, file.size() - 4), "written by %%writefile")) {
          m->dynamic = m->submodules_dynamic = true;
          m->exports_known = false;
        }
      } else if (file.size() > 3 && file.substr(file.size() - 3) == ".py") {
        const std::string_view stem = file.substr(0, file.size() - 3);
        if (LocalModule* m = add(file, stem, "written by %%writefile")) {
          Summarize(text, m);
          if (!(ctx_.ListingOf(dir_).KindsOf(stem) & Listing::kModule)) {
            m->written_at = first_written[i];
          }
        }
      }
    }
    for (const std::string& file : facts.downloaded_files) {
      // Its contents are unknown until it is fetched: any name may be in it.
      if (LocalModule* m =
              add(file, file.substr(0, file.size() - 3), "downloaded by the notebook")) {
        m->dynamic = m->submodules_dynamic = true;
        m->exports_known = false;
      }
    }
    for (const std::string& file : facts.made_files) {
      if (LocalModule* m = add(file, file.substr(0, file.size() - 3), "made by the notebook")) {
        m->dynamic = m->submodules_dynamic = true;
        m->exports_known = false;
      }
    }
  }

  ModuleLookup Lookup(std::string_view dotted) const override {
    ModuleLookup r;
    // The ipynb package imports a notebook from the working directory by its name: what its
    // code cells define (`defs` keeps fewer of them: the names found are an upper bound).
    if (std::string_view name = IpynbPackageNotebook(dotted);
        !name.empty() && name.find('.') == std::string_view::npos && NotebookBeside(name)) {
      r.status = ModuleStatus::kLocal;
      r.local = ctx_.ModuleAt(StrCat(dir_, "/", name, ".ipynb"), std::string(dotted), false, false,
                              false);
      return r;
    }
    std::string_view top = dotted.substr(0, dotted.find('.'));
    // The kernel's working directory and sys.path entries come before everything else.
    const LocalModule* local = nullptr;
    bool namespace_dir = false;
    std::string namespace_at;
    if (auto it = written_.find(top); it != written_.end()) local = it->second.get();
    const std::vector<std::string>& search = *search_;
    // A module of a package that imports `http` gets the standard library's, not a sibling
    // http.py, and `import pytest` in pytest.py is not itself (Python 3 has no implicit relative
    // imports); other names are also looked for beside it, as when it runs as a script.
    const bool skip_own_dir = !folder_.package.empty() &&
                              (top == own_stem_ || IsStdlibModule(top, ctx_.options.python_minor));
    // `top` as a namespace package (a folder without __init__.py) in `dir`: the first one counts.
    auto namespace_in = [&](const std::string& dir) {
      if (namespace_dir) return;
      namespace_dir = true;
      namespace_at = StrCat(dir, "/", top);
    };
    for (size_t i = 0; local == nullptr && i < search.size(); ++i) {
      if (skip_own_dir && search[i] == folder_.dir) continue;
      bool ns = false;
      local = ctx_.FindIn(search[i], *SearchListing(i), top, top, &ns);
      if (local == nullptr && !written_in_folders_.empty()) {
        local = WrittenIn(search[i], top);
        // A folder the notebook writes modules into is a namespace package at least.
        ns = ns || (local == nullptr && WritesInto(StrCat(search[i], "/", top)));
      }
      if (ns) namespace_in(search[i]);
    }
    for (size_t i = 0; local == nullptr && i < added_search_.size(); ++i) {
      bool ns = false;
      local = ctx_.FindIn(added_search_[i], ctx_.ListingOf(added_search_[i]), top, top, &ns);
      if (ns) namespace_in(added_search_[i]);
    }
    if (local != nullptr) NoteSearchPath(*local);
    const ImportContext::Impl::NameFacts* f = nullptr;
    if (local == nullptr) {
      f = &ctx_.FactsOf(dotted);
      if (f->stdlib) {
        r.status = ModuleStatus::kStdlib;
        return r;
      }
      if (f->removed_in != 0) {
        // Gone from the standard library; a declared backport (setuptools for distutils,
        // standard-imghdr for imghdr) still provides it.
        if (f->replacement.distribution.empty() || !Declared(dotted, f->replacement.distribution)) {
          r.status = ModuleStatus::kRemovedStdlib;
          r.removed_in = f->removed_in;
          r.replacement = std::string(f->replacement.module);
          r.backport = std::string(f->replacement.distribution);
          return r;
        }
      }
      // The repository's own project, installed for its notebooks (`pip install -e .`): its
      // packages beside its build file, or in src/.
      local = ProjectPackage(top);
    }
    if (local == nullptr) {
      if (f->installed != nullptr) {
        r.status = ModuleStatus::kThirdParty;
        r.distribution = f->installed->empty() ? std::string(top) : *f->installed;
        r.declared = Declared(dotted, r.distribution);
        return r;
      }
      // What the kernel itself, Colab or Kaggle provide needs no declaration.
      if (f->environment) {
        r.status = ModuleStatus::kThirdParty;
        r.declared = true;
        return r;
      }
      // A namespace shared by many distributions (google, google.cloud): what it provides
      // depends on the submodule imported.
      if (f->namespace_only) {
        r.status = ModuleStatus::kThirdParty;
        r.declared = true;
        r.namespace_only = true;
        return r;
      }
      std::string_view dist = f->distribution;
      bool declared = Declared(dotted, dist.empty() ? top : dist);
      if (!dist.empty() || declared) {
        r.status = ModuleStatus::kThirdParty;
        r.distribution = dist.empty() ? std::string(top) : std::string(dist);
        r.declared = declared;
        return r;
      }
      if (!namespace_dir) {
        if (f->python2) {
          r.python2 = true;
          r.replacement = std::string(f->replacement.module);
        }
        return r;  // unresolved
      }
      local = ctx_.ModuleAt(namespace_at, std::string(top), false, false, true);
    }
    // Down the dotted path inside local packages.
    size_t at = top.size();
    while (at < dotted.size()) {
      size_t next = dotted.find('.', at + 1);
      if (next == std::string_view::npos) next = dotted.size();
      std::string_view part = dotted.substr(at + 1, next - at - 1);
      if (local->submodules_dynamic && !local->is_package) break;
      if (local->is_package) {
        if (const LocalModule* written = WrittenIn(local->path, part)) {
          local = written;
          at = next;
          continue;
        }
      }
      if (!local->is_package || !local->submodules.contains(part)) {
        if (local->submodules_dynamic) break;
        r.status = ModuleStatus::kUnresolved;
        r.parent = local;
        r.parent_length = at;
        return r;
      }
      bool ns = false;
      const LocalModule* sub = ctx_.FindIn(local->path, part, dotted.substr(0, next), &ns);
      if (sub == nullptr && ns) {
        sub = ctx_.ModuleAt(StrCat(local->path, "/", part), std::string(dotted.substr(0, next)),
                            false, false, true);
      }
      if (sub == nullptr) {
        r.status = ModuleStatus::kUnresolved;
        r.parent = local;
        r.parent_length = at;
        return r;
      }
      local = sub;
      at = next;
    }
    r.status = ModuleStatus::kLocal;
    r.local = local;
    return r;
  }

  // A regular package `top` (a directory with __init__.py) in a project directory the notebook
  // installs or its dependency files build, or in that directory's src/; null if none.
  const LocalModule* ProjectPackage(std::string_view top) const {
    auto in = [&](const std::string& root) -> const LocalModule* {
      for (std::string dir : {root, StrCat(root == "/" ? "" : root, "/src")}) {
        if (const LocalModule* package =
                ctx_.PackageIn(dir, ctx_.ListingOf(dir).KindsOf(top), top, top)) {
          return package;
        }
      }
      return nullptr;
    };
    for (const std::string& root : installed_projects_) {
      if (const LocalModule* package = in(root)) return package;
    }
    if (deps_ == nullptr) return nullptr;
    for (const std::string& root : deps_->project_dirs) {
      if (const LocalModule* package = in(root)) return package;
    }
    return nullptr;
  }

  bool ChecksDeclarations() const override {
    // A dependency file that declares nothing but its project's own name (a setup.py without
    // install_requires) says nothing about what the notebook needs.
    // The anaconda metapackage brings hundreds of packages: their names are not listed.
    // Nor do declarations that are not known in full (DeclaredDependencies::incomplete).
    // Nor when the notebook installs from a requirements file on the web.
    return ctx_.options.strict_deps ||
           (deps_ != nullptr && deps_->declares_requirements && !deps_->incomplete &&
            !installs_unknown_ && !deps_->distributions.contains("anaconda"));
  }

  std::string DeclaredRequirer(std::string_view distribution) const override {
    for (std::string_view name : DistributionsRequiring(distribution)) {
      std::string requirer(name);
      if (installed_here_.contains(requirer) ||
          (deps_ != nullptr && deps_->distributions.contains(requirer))) {
        return requirer;
      }
    }
    return {};
  }

  std::string DependencyFileForHelp() const override {
    if (deps_ != nullptr && !deps_->files.empty()) {
      const std::string& file = deps_->files.front();
      return file.substr(file.rfind('/') + 1);
    }
    return "requirements.txt";
  }

  std::vector<std::string_view> NearbyModuleNames() const override {
    std::vector<std::string_view> names;
    for (const auto& [n, m] : written_) names.push_back(n);
    std::sort(names.begin(), names.end());  // a hash map's order changes from run to run
    for (const std::string& dir : *search_) {
      const Listing& l = ctx_.ListingOf(dir);
      size_t from = names.size();
      for (const auto& [n, kinds] : l.names) {
        if ((kinds & Listing::kModule) || ((kinds & Listing::kDir) && ctx_.IsPackage(dir, n))) {
          names.push_back(n);
        }
      }
      std::sort(names.begin() + static_cast<std::ptrdiff_t>(from), names.end());
    }
    return names;
  }

  std::string Package() const override { return folder_.package; }

  std::vector<std::string> AddedSearchPath() const override { return sys_path_; }

  bool NotebookBeside(std::string_view name) const override {
    return ctx_.ListingOf(dir_).KindsOf(name) & Listing::kNotebook;
  }

  std::string NotebookBesideButCase(std::string_view name) const override {
    return std::string(ctx_.ListingOf(dir_).SameButCase(name, Listing::kNotebook));
  }

  std::string GitIgnored(std::string_view name) const override {
    // The .gitignore files from the repository's root down to the notebook's directory; in
    // each, the last pattern that matches decides, and a deeper file overrides a shallower
    // one (git's rules, for the file name.py beside the notebook).
    std::vector<std::string> dirs;
    if (!RepositoryDirectories(&dirs)) return {};
    const std::string file = StrCat(name, ".py");
    std::string decided;
    for (size_t i = dirs.size(); i-- > 0;) {
      // The notebook's directory relative to this one ("" for itself), and back.
      const std::string rel =
          i == 0 ? "" : StrCat(dir_.substr(dirs[i] == "/" ? 1 : dirs[i].size() + 1), "/");
      std::string up;
      for (size_t k = 0; k < i; ++k) StrAppend(&up, "../");
      const std::vector<std::string>& patterns = ctx_.GitignoreOf(dirs[i]);
      for (size_t line = 0; line < patterns.size(); ++line) {
        std::string_view p = patterns[line];
        if (p.empty()) continue;
        const bool negated = p[0] == '!';
        if (negated) p.remove_prefix(1);
        const bool dir_only = p.ends_with('/');
        if (dir_only) p.remove_suffix(1);
        if (p.empty()) continue;
        if (dir_only || !GitPatternMatches(p, rel, file)) continue;
        decided = negated ? std::string()
                          : StrCat(up, ".gitignore (line ", line + 1, ": '", patterns[line], "')");
      }
    }
    return decided;
  }

  // The notebook's directory and its ancestors up to its repository's root (the one holding
  // .git), nearest first; false outside a repository (not the file system's root, nor a home
  // directory above a loose notebook: eight levels at most).
  bool RepositoryDirectories(std::vector<std::string>* dirs) const {
    constexpr int kRepositoryDepth = 8;
    std::string dir = dir_;
    for (int level = 0; level <= kRepositoryDepth; ++level) {
      dirs->push_back(dir);
      if (ctx_.ListingOf(dir).deps.has_git) return true;
      size_t slash = dir.find_last_of('/');
      if (slash == std::string::npos || slash == 0) break;  // "/" is no repository
      dir = dir.substr(0, slash);
    }
    return false;
  }

  std::string FoundAbove(std::string_view dotted, std::string* missing) const override {
    constexpr size_t kLevels = 3;
    missing->clear();
    std::vector<std::string> dirs;
    if (!RepositoryDirectories(&dirs)) return {};
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
      const size_t dot = dotted.find('.', start);
      parts.push_back(dotted.substr(start, dot - start));
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    const std::string_view name = parts.front();
    std::string up;
    for (size_t i = 1; i < dirs.size() && i <= kLevels; ++i) {
      StrAppend(&up, "../");
      const uint8_t kinds = ctx_.ListingOf(dirs[i]).KindsOf(name);
      if (!(kinds & Listing::kImportable)) continue;
      // The rest of the dotted name, one package folder after another.
      std::string folder = StrCat(dirs[i], "/", name);
      bool package = (kinds & Listing::kDir) != 0;
      for (size_t k = 1; k < parts.size(); ++k) {
        const uint8_t inside = package ? ctx_.ListingOf(folder).KindsOf(parts[k]) : 0;
        if (!(inside & Listing::kImportable)) {
          *missing = std::string(dotted.substr(name.size() + 1));
          break;
        }
        StrAppend(&folder, "/", parts[k]);
        package = (inside & Listing::kDir) != 0;
      }
      return (kinds & Listing::kDir) ? StrCat(up, name) : StrCat(up, name, ".py");
    }
    return {};
  }

  // The listing of search directory i, looked up in the batch's cache once per notebook.
  const Listing* SearchListing(size_t i) const {
    if (listings_.size() != search_->size()) listings_.assign(search_->size(), nullptr);
    if (listings_[i] == nullptr) listings_[i] = &ctx_.ListingOf((*search_)[i]);
    return listings_[i];
  }

  bool RunFileFound(std::string_view path) const override {
    std::string_view base = path.substr(path.rfind('/') + 1);
    // A folder that is not there at all (`%run ../utils/setup.ipy`) was left out of this copy
    // of the repository as a whole, or the notebook was moved: nothing to say about the file.
    if (base != path) {
      std::error_code ec;
      if (!fs::is_directory(AbsoluteNormalPath(path.substr(0, path.size() - base.size()), dir_),
                            ec)) {
        return true;
      }
    }
    for (const std::string& dir : *search_) {
      if (!RunFileIn(dir, path).empty()) return true;
    }
    return false;
  }

  std::string SameFileButCase(std::string_view path) const override {
    // The listing knows modules (name.py) and notebooks (name.ipynb) by their stems.
    const size_t slash = path.rfind('/');
    const std::string_view folder = slash == std::string_view::npos ? "" : path.substr(0, slash);
    std::string_view stem = path.substr(slash + 1);
    uint8_t kind = 0;
    std::string_view extension;
    for (auto [ext, k] : {std::pair{std::string_view(".py"), Listing::kModule},
                          std::pair{std::string_view(".ipynb"), Listing::kNotebook}}) {
      if (stem.ends_with(ext)) {
        stem.remove_suffix(ext.size());
        kind = k;
        extension = ext;
      }
    }
    if (kind == 0) return {};
    const std::string dir = folder.empty() ? dir_ : AbsoluteNormalPath(folder, dir_);
    const std::string_view same = ctx_.ListingOf(dir).SameButCase(stem, kind);
    if (same.empty()) return {};
    return StrCat(folder, folder.empty() ? "" : "/", same, extension);
  }

  const LocalModule* RunScript(std::string_view path) const override {
    std::string_view p = path;
    if (p.size() >= 2 && (p.front() == '"' || p.front() == '\'') && p.back() == p.front()) {
      p = p.substr(1, p.size() - 2);
    }
    if (p.size() > 3 && p.substr(p.size() - 3) == ".py" && p.find('/') == std::string_view::npos) {
      if (auto it = written_.find(p.substr(0, p.size() - 3)); it != written_.end()) {
        return it->second.get();
      }
    }
    const std::string key = RunFileIn(dir_, p);
    std::error_code ec;
    if (key.empty() || !fs::is_regular_file(key, ec)) return nullptr;
    const LocalModule* script = ctx_.ModuleAt(key, "__main__", false, false, false);
    NoteSearchPath(*script);  // %run runs it in the kernel: its sys.path changes stay
    return script;
  }

  bool SearchPathDynamic() const override { return added_dynamic_; }

 private:
  // The file `%run path` runs from `dir`, as IPython looks: `path`, else `path`.py (`%run
  // ./config` runs config.py); empty if neither is there.
  static std::string RunFileIn(const std::string& dir, std::string_view path) {
    std::error_code ec;
    std::string file = AbsoluteNormalPath(path, dir);
    if (fs::exists(file, ec)) return file;
    if (path.ends_with(".py")) return {};
    file = AbsoluteNormalPath(StrCat(path, ".py"), dir);
    return fs::exists(file, ec) ? file : std::string();
  }

  // A local module the notebook imports (or runs) adds directories to sys.path when it runs:
  // the notebook's later imports find modules there too (a notebooks/context.py that puts the
  // repository's root on sys.path). Its relative ones are the kernel's working directory's.
  void NoteSearchPath(const LocalModule& m) const {
    added_dynamic_ |= m.sys_path_dynamic;
    for (const std::string& p : m.sys_path) {
      std::string dir = AbsoluteNormalPath(p, dir_);
      if (std::find(search_->begin(), search_->end(), dir) == search_->end() &&
          std::find(added_search_.begin(), added_search_.end(), dir) == added_search_.end()) {
        added_search_.push_back(std::move(dir));
      }
    }
  }

  bool Declared(std::string_view dotted, std::string_view distribution) const {
    // Most notebooks have no dependency file and no install line: nothing to look through.
    if (installed_here_.empty() && (deps_ == nullptr || deps_->distributions.empty())) {
      return false;
    }
    if (ctx_.FolderDeclares(folder_, dotted)) return true;
    std::string d = NormalizeDistributionName(distribution);
    std::string top = NormalizeDistributionName(dotted.substr(0, dotted.find('.')));
    if (installed_here_.contains(d) || installed_here_.contains(top) ||
        (deps_ != nullptr &&
         (deps_->distributions.contains(d) || deps_->distributions.contains(top)))) {
      return true;
    }
    // Any distribution that provides the module ("pip install opencv-python-headless" for cv2).
    if (!installed_here_.empty()) {
      for (std::string_view other : DistributionsForImport(dotted)) {
        if (installed_here_.contains(NormalizeDistributionName(other))) return true;
      }
    }
    // What the notebook installs itself is often named after the module with a prefix: a
    // repository installed by URL ("pip install git+https://github.com/user/gsoc-wav2vec2" for
    // wav2vec2), an organization's package ("pip install org-tool" for tool).
    // Or the module with separators: "pip install colab-xterm" for colabxterm.
    for (const std::string& name : installed_here_) {
      if (name.size() > top.size() + 1 && std::string_view(name).ends_with(top) &&
          name[name.size() - top.size() - 1] == '-') {
        return true;
      }
      if (SameWithoutSeparators(name, top)) return true;
    }
    return false;
  }

  const ImportContext::Impl& ctx_;
  const ImportContext::Impl::Folder& folder_;
  const std::string& dir_ = folder_.dir;
  std::string own_stem_;  // a script's file name without ".py"
  // The folder's search path, or own_search_ when the notebook adds sys.path entries.
  const std::vector<std::string>* search_ = &folder_.search;
  std::vector<std::string> own_search_;
  std::vector<std::string> installed_projects_;  // `pip install DIR`: absolute, normalized
  bool installs_unknown_ = false;      // `pip install -r URL`: what it installs is not known
  std::vector<std::string> sys_path_;  // ImportFacts::sys_path: as the notebook writes them
  mutable std::vector<const Listing*> listings_;  // of search_, filled on first use
  std::shared_ptr<const DeclaredDependencies> deps_;
  absl::flat_hash_set<std::string> installed_here_;  // %pip install, normalized
  absl::flat_hash_map<std::string, std::unique_ptr<LocalModule>, StringViewHash, std::equal_to<>>
      written_;
  // Directories local modules the notebook imports or runs add to sys.path (NoteSearchPath),
  // searched after search_; and whether one adds a directory that is not a literal.
  mutable std::vector<std::string> added_search_;
  mutable bool added_dynamic_ = false;
  // Modules the notebook writes into folders, by absolute path.
  absl::flat_hash_map<std::string, std::unique_ptr<LocalModule>> written_in_folders_;

  // Whether the notebook writes a module somewhere inside `dir`.
  bool WritesInto(const std::string& dir) const {
    for (const auto& [path, m] : written_in_folders_) {
      if (path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/') return true;
    }
    return false;
  }

  // A module `name` the notebook writes into `dir`, or null.
  const LocalModule* WrittenIn(std::string_view dir, std::string_view name) const {
    if (written_in_folders_.empty()) return nullptr;  // (most notebooks write none)
    auto it = written_in_folders_.find(StrCat(dir, "/", name, ".py"));
    return it == written_in_folders_.end() ? nullptr : it->second.get();
  }
};

}  // namespace

ImportContext::ImportContext(ImportOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  std::error_code ec;
  impl_->cwd = fs::current_path(ec).string();
  for (const std::string& p : impl_->options.paths) {
    impl_->paths.push_back(AbsoluteNormalPath(p, impl_->cwd));
  }
  // The walk up from each notebook lists the same folders as module lookups do: once.
  Impl* impl = impl_.get();
  impl_->deps = std::make_unique<DependencyFinder>(
      impl_->options.requirements, std::vector<std::string>(),
      [impl](const std::string& dir) { return impl->ListingOf(dir).deps; });
  impl_->LoadSitePackages();
}

ImportContext::~ImportContext() = default;

std::string ImportContext::AbsoluteDirectory(const std::string& dir) const {
  return AbsoluteNormalPath(dir, impl_->cwd);
}

std::vector<std::string> ImportContext::DependencyFileProblems() const {
  if (impl_->deps == nullptr) return {};
  std::vector<std::string> problems = impl_->deps->Problems();
  // Paths under the working directory, relative to it.
  const std::string prefix = StrCat(impl_->cwd, "/");
  for (std::string& p : problems) {
    if (prefix.size() > 1 && p.starts_with(prefix)) p.erase(0, prefix.size());
  }
  return problems;
}

void ImportContext::AddListing(const std::string& absolute_dir,
                               const std::vector<DirEntry>& entries) const {
  std::unique_ptr<Listing> made = MakeListing(absolute_dir, entries);
  std::unique_lock lock(impl_->mu);
  impl_->listings.try_emplace(absolute_dir, std::move(made));
}

std::unique_ptr<ModuleEnvironment> ImportContext::ForNotebook(const std::string& path,
                                                              bool is_script,
                                                              const ImportFacts& facts,
                                                              std::string_view buffer) const {
  return std::make_unique<NotebookModules>(*impl_, path, is_script, facts, buffer);
}

}  // namespace cellflow
