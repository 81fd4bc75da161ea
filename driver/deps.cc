// Dependency file kinds, DeclaredDependencies and the cached DependencyFinder.
#include "driver/deps.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "driver/deps_internal.h"
#include "driver/dir_listing.h"
#include "driver/notebook.h"
#include "lexer/str_util.h"
#include "passes/distributions.h"

namespace cellflow {
namespace {

namespace fs = std::filesystem;

using deps_internal::EndsWith;
using deps_internal::kMaxFileBytes;
using deps_internal::StartsWith;

// Requirements files including each other deeper than this are reported, not followed.
constexpr int kMaxIncludeDepth = 16;

}  // namespace

// ---------------------------------------------------------------------------------------------
// Files

std::optional<DependencyFileKind> DependencyFileKindOf(std::string_view name) {
  if (name == "environment.yml" || name == "environment.yaml") {
    return DependencyFileKind::kEnvironment;
  }
  if (name == "pyproject.toml") return DependencyFileKind::kPyproject;
  if (name == "Pipfile") return DependencyFileKind::kPipfile;
  if (name == "setup.cfg") return DependencyFileKind::kSetupCfg;
  if (name == "setup.py") return DependencyFileKind::kSetupPy;
  // Also under the names people give them: `Requirements.txt`, `requirement.txt`,
  // `requirements-gpu.txt`, `dev_requirements.txt`; a conda environment as
  // `environment-cuda.yml`, `geo_environment.yaml`, `conda_env.yml`.
  const std::string lower = deps_internal::Lower(name);
  if (EndsWith(lower, ".txt") &&
      (StartsWith(lower, "requirement") || EndsWith(lower, "requirements.txt") ||
       EndsWith(lower, "requirement.txt"))) {
    return DependencyFileKind::kRequirements;
  }
  std::string_view stem = lower;
  if (EndsWith(stem, ".yml")) {
    stem.remove_suffix(4);
  } else if (EndsWith(stem, ".yaml")) {
    stem.remove_suffix(5);
  } else {
    return std::nullopt;
  }
  if (StartsWith(stem, "environment") || EndsWith(stem, "environment") || stem == "env" ||
      EndsWith(stem, "_env") || EndsWith(stem, "-env")) {
    return DependencyFileKind::kEnvironment;
  }
  return std::nullopt;
}

DependencyParse ParseDependencyFile(DependencyFileKind kind, std::string_view text) {
  // Colab's "Save a copy in GitHub" writes a notebook under any name, requirements.txt too.
  if (LooksLikeNotebookJson(text)) {
    DependencyParse parse;
    parse.problems.push_back(
        "holds a Jupyter notebook's JSON, not dependencies: it declares nothing");
    return parse;
  }
  switch (kind) {
    case DependencyFileKind::kRequirements:
      return ParseRequirementsTxt(text);
    case DependencyFileKind::kEnvironment:
      return ParseEnvironmentYml(text);
    case DependencyFileKind::kPyproject:
      return ParsePyprojectToml(text);
    case DependencyFileKind::kPipfile:
      return ParsePipfile(text);
    case DependencyFileKind::kSetupCfg:
      return ParseSetupCfg(text);
    case DependencyFileKind::kSetupPy:
      return ParseSetupPy(text);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// DeclaredDependencies

bool DeclaredDependencies::DeclaresImport(std::string_view module) const {
  if (module.empty() || module.front() == '.' || distributions.empty()) return false;
  for (std::string_view d : DistributionsForImport(module)) {
    if (distributions.contains(NormalizeDistributionName(d))) return true;
  }
  std::string_view prefix = module;
  while (!prefix.empty()) {
    const ImportNameEntry* e = FindImportName(prefix);
    bool shared_namespace = e != nullptr && e->import_name == prefix && !e->HasDistribution();
    if (!shared_namespace) {
      std::string n = NormalizeDistributionName(prefix);
      if (distributions.contains(n) || distributions.contains(StrCat("python-", n)) ||
          distributions.contains(StrCat("py-", n)) ||
          distributions.contains(StrCat(n, "-python")) ||
          distributions.contains(StrCat(n, "-py"))) {
        return true;
      }
    }
    size_t dot = prefix.rfind('.');
    if (dot == std::string_view::npos) break;
    prefix = prefix.substr(0, dot);
  }
  // The module with separators in the distribution's name ("colab-xterm" for colabxterm).
  std::string_view top = module.substr(0, module.find('.'));
  // For a module no listed distribution provides, also a declared name with a suffix
  // ("bcbio-gff" for BCBio) or an organization's prefix ("databricks-dlt" for dlt), or
  // "scikit-" in place of its "sk" ("scikit-bio" for skbio).
  const bool unlisted = FindImportName(top) == nullptr;
  const std::string lower = NormalizeDistributionName(top);
  for (const std::string& d : distributions) {
    if (SameWithoutSeparators(d, top)) return true;
    if (!unlisted) continue;
    std::string_view n = d;
    if (n.size() > lower.size() + 1 &&
        ((n.starts_with(lower) && n[lower.size()] == '-') ||
         (n.ends_with(lower) && n[n.size() - lower.size() - 1] == '-'))) {
      return true;
    }
    if (n.starts_with("scikit-") && lower.starts_with("sk") && n.substr(7) == lower.substr(2)) {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// DependencyFinder

struct DependencyFinder::FileEntry {
  // Guards the fields below, filled by the first caller (unlike std::call_once, a mutex makes
  // no system call when nobody waits).
  std::mutex mu;
  bool done = false;
  bool readable = false;
  std::string error;
  DependencyParse parse;
};

struct DependencyFinder::DirState {
  std::mutex mu;  // as in FileEntry
  bool done = false;
  std::shared_ptr<const DeclaredDependencies> deps;
};

namespace {

// An absolute, lexically normal path without a trailing separator (a relative one against the
// working directory, asked of the system only then).
std::string NormalPath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return AbsoluteNormalPath(path, "/");
  std::error_code ec;
  return AbsoluteNormalPath(path, fs::current_path(ec).string());
}

// Appends `item` to `list` unless it is there already.
void AddUnique(std::vector<std::string>* list, const std::string& item) {
  if (std::find(list->begin(), list->end(), item) == list->end()) list->push_back(item);
}

// The parent of a normal absolute path ("/" for "/" and for "/a").
std::string ParentOf(const std::string& dir) {
  size_t slash = dir.rfind('/');
  return slash == 0 || slash == std::string::npos ? std::string("/") : dir.substr(0, slash);
}

// Reads a whole file; false with `error` set if it cannot.
bool ReadFile(const std::string& path, std::string* contents, std::string* error) {
  return ReadWholeFile(path, kMaxFileBytes, contents, error);
}

void Merge(const DeclaredDependencies& from, DeclaredDependencies* to) {
  for (const std::string& f : from.files) {
    AddUnique(&to->files, f);
  }
  to->distributions.insert(from.distributions.begin(), from.distributions.end());
  to->problems.insert(to->problems.end(), from.problems.begin(), from.problems.end());
  for (const std::string& d : from.project_dirs) AddUnique(&to->project_dirs, d);
  to->incomplete |= from.incomplete;
  to->declares_requirements |= from.declares_requirements;
}

}  // namespace

DirectoryDeps ScanDependencyFiles(const std::string& dir, const std::vector<DirEntry>& entries) {
  DirectoryDeps scan;
  auto add = [&scan](const std::string& folder, const std::vector<DirEntry>& listed,
                     bool requirements_folder) {
    std::vector<std::pair<std::string, DependencyFileKind>> found;
    for (const DirEntry& e : listed) {
      if (!e.is_regular) continue;
      std::optional<DependencyFileKind> kind = DependencyFileKindOf(e.name);
      if (!kind && requirements_folder && EndsWith(e.name, ".txt")) {
        kind = DependencyFileKind::kRequirements;
      }
      if (!kind && !StartsWith(e.name, ".") &&
          (EndsWith(e.name, ".yml") || EndsWith(e.name, ".yaml"))) {
        std::string text, error;
        if (ReadFile(StrCat(folder, "/", e.name), &text, &error) &&
            LooksLikeCondaEnvironment(text)) {
          kind = DependencyFileKind::kEnvironment;
        }
      }
      if (kind) found.emplace_back(StrCat(folder == "/" ? "" : folder, "/", e.name), *kind);
    }
    std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
      return x.second != y.second ? x.second < y.second : x.first < y.first;
    });
    scan.files.insert(scan.files.end(), found.begin(), found.end());
  };
  bool folders[3] = {false, false, false};  // requirements, binder, .binder
  for (const DirEntry& e : entries) {
    if (e.name == ".git") scan.has_git = true;
    if (!e.is_dir) continue;
    if (e.name == "requirements") folders[0] = true;
    if (e.name == "binder") folders[1] = true;
    if (e.name == ".binder") folders[2] = true;
  }
  add(dir, entries, false);
  const char* names[3] = {"requirements", "binder", ".binder"};
  std::vector<DirEntry> inside;
  for (int i = 0; i < 3; ++i) {
    if (!folders[i]) continue;
    std::string folder = StrCat(dir == "/" ? "" : dir, "/", names[i]);
    ListDir(folder, &inside);
    add(folder, inside, i == 0);
  }
  return scan;
}

DependencyFinder::DependencyFinder(std::vector<std::string> extra_requirement_files,
                                   std::vector<std::string> root_directories,
                                   std::function<DirectoryDeps(const std::string&)> scan)
    : extra_files_(std::move(extra_requirement_files)), scan_(std::move(scan)) {
  if (!scan_) {
    scan_ = [](const std::string& dir) {
      std::vector<DirEntry> entries;
      ListDir(dir, &entries);
      return ScanDependencyFiles(dir, entries);
    };
  }
  for (const std::string& r : root_directories) roots_.push_back(NormalPath(r));
}

DependencyFinder::~DependencyFinder() = default;

size_t DependencyFinder::FilesRead() const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_read_;
}

std::shared_ptr<const DependencyFinder::FileEntry> DependencyFinder::File(const std::string& path,
                                                                          DependencyFileKind kind) {
  std::shared_ptr<FileEntry> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::shared_ptr<FileEntry>& slot = files_[path];
    if (slot == nullptr) slot = std::make_shared<FileEntry>();
    entry = slot;
  }
  std::lock_guard<std::mutex> entry_lock(entry->mu);
  if (!entry->done) {
    entry->done = true;
    std::string text;
    entry->readable = ReadFile(path, &text, &entry->error);
    if (entry->readable) entry->parse = ParseDependencyFile(kind, text);
    std::lock_guard<std::mutex> lock(mu_);
    ++files_read_;
  }
  return entry;
}

const DependencyParse* DependencyFinder::AddFile(const std::string& path, DependencyFileKind kind,
                                                 int depth, std::vector<std::string>* stack,
                                                 DeclaredDependencies* out) {
  // Each problem goes to the notebook's dependencies and, once, to the finder's list.
  auto problem = [&](std::string text) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      problems_.insert(text);
    }
    out->problems.push_back(std::move(text));
  };
  if (std::find(stack->begin(), stack->end(), path) != stack->end()) {
    problem(StrCat(stack->back(), ": includes ", path, ", which includes it"));
    return nullptr;
  }
  if (depth > kMaxIncludeDepth) {
    problem(StrCat(stack->back(), ": requirements files nested deeper than ", kMaxIncludeDepth));
    return nullptr;
  }
  std::shared_ptr<const FileEntry> entry = File(path, kind);
  if (!entry->readable) {
    problem(StrCat(path, ": ", entry->error));
    // A requirements file named by another (`-r base.txt`, setup.py's open("requirements.txt"))
    // that is not there: what it declares is not known.
    out->incomplete = true;
    return nullptr;
  }
  AddUnique(&out->files, path);
  out->distributions.insert(entry->parse.distributions.begin(), entry->parse.distributions.end());
  out->declares_requirements |= entry->parse.DeclaresRequirements();
  // The jupyter metapackage has no code of its own: declaring it declares what it installs.
  const std::vector<std::string>& declared = entry->parse.distributions;
  if (std::find(declared.begin(), declared.end(), "jupyter") != declared.end()) {
    for (std::string_view member : {"notebook", "jupyterlab", "ipywidgets", "ipykernel",
                                    "jupyter-console", "nbconvert", "qtconsole"}) {
      out->distributions.emplace(member);
    }
  }
  if (entry->parse.names_project || !entry->parse.package_roots.empty()) {
    const std::string dir = ParentOf(path);
    AddUnique(&out->project_dirs, dir);
    for (const std::string& root : entry->parse.package_roots) {
      AddUnique(&out->project_dirs, AbsoluteNormalPath(root, dir));
    }
  }
  // A garbage file can have a problem on every line: the first few say enough.
  constexpr size_t kMaxProblemsPerFile = 20;
  const std::vector<std::string>& problems = entry->parse.problems;
  for (size_t i = 0; i < problems.size() && i < kMaxProblemsPerFile; ++i) {
    problem(StrCat(path, ": ", problems[i]));
  }
  if (problems.size() > kMaxProblemsPerFile) {
    problem(StrCat(path, ": ", problems.size() - kMaxProblemsPerFile, " more problems"));
  }
  stack->push_back(path);
  const std::string base = ParentOf(path);
  for (const std::string& included : entry->parse.requirement_files) {
    AddFile(AbsoluteNormalPath(included, base), DependencyFileKind::kRequirements, depth + 1, stack,
            out);
  }
  stack->pop_back();
  return &entry->parse;
}

std::vector<std::string> DependencyFinder::Problems() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out(problems_.begin(), problems_.end());
  std::sort(out.begin(), out.end());
  return out;
}

DeclaredDependencies DependencyFinder::ForRequirementFiles(const std::vector<std::string>& paths) {
  DeclaredDependencies out;
  std::vector<std::string> stack;
  for (const std::string& path : paths) {
    AddFile(path, DependencyFileKind::kRequirements, 0, &stack, &out);
  }
  return out;
}

bool DependencyFinder::IsRoot(const std::string& dir, bool has_git) const {
  if (has_git || std::find(roots_.begin(), roots_.end(), dir) != roots_.end()) return true;
  return dir == "/";
}

std::shared_ptr<const DeclaredDependencies> DependencyFinder::Directory(const std::string& dir) {
  std::shared_ptr<DirState> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::shared_ptr<DirState>& slot = dirs_[dir];
    if (slot == nullptr) slot = std::make_shared<DirState>();
    entry = slot;
  }
  std::lock_guard<std::mutex> entry_lock(entry->mu);
  if (entry->done) return entry->deps;
  entry->done = true;
  auto deps = std::make_shared<DeclaredDependencies>();
  std::vector<std::string> stack;
  DirectoryDeps scan = scan_(dir);
  // Whether a build file here computes its requirements, and whether another (a setup.cfg or
  // pyproject.toml that setup.py reads) declares them.
  bool requirements_unknown = false;
  bool build_file_declares = false;
  for (const auto& [path, kind] : scan.files) {
    const DependencyParse* parse = AddFile(path, kind, 0, &stack, deps.get());
    if (parse == nullptr) continue;
    requirements_unknown |= parse->requirements_unknown;
    build_file_declares |=
        (kind == DependencyFileKind::kSetupCfg || kind == DependencyFileKind::kPyproject) &&
        !parse->requirements_unknown && !parse->distributions.empty();
  }
  deps->incomplete |= requirements_unknown && !build_file_declares;
  if (IsRoot(dir, scan.has_git)) {
    // The files given on the command line count for every notebook, once, at the top.
    for (const std::string& f : extra_files_) {
      std::string path = NormalPath(f);
      std::optional<DependencyFileKind> kind =
          DependencyFileKindOf(fs::path(path).filename().string());
      AddFile(path, kind.value_or(DependencyFileKind::kRequirements), 0, &stack, deps.get());
    }
  } else if (deps->files.empty() && deps->problems.empty()) {
    // Most folders have no dependency file: they share their parent's result.
    entry->deps = Directory(ParentOf(dir));
    return entry->deps;
  } else {
    Merge(*Directory(ParentOf(dir)), deps.get());
  }
  entry->deps = std::move(deps);
  return entry->deps;
}

std::shared_ptr<const DeclaredDependencies> DependencyFinder::ForDirectory(const std::string& dir) {
  return Directory(NormalPath(dir));
}

}  // namespace cellflow
