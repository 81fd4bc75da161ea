// Declared dependencies around a notebook: readers for requirements files, conda environments,
// pyproject.toml, Pipfile, setup.cfg and setup.py, for install commands written in cells
// (`%pip install`, `!conda install`), and a cached finder that collects every dependency file
// from a notebook's directory up to the root of its repository.
//
// Every reader takes text and never throws or fails: what it cannot read becomes a problem
// string ("line 3: ...") beside the names it could read. Distribution names come out
// normalized (NormalizeDistributionName), conda package names mapped to their PyPI names.
#ifndef CELLFLOW_DRIVER_DEPS_H_
#define CELLFLOW_DRIVER_DEPS_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"

#include "driver/dir_listing.h"

namespace cellflow {

// What one dependency file or one install command declares.
struct DependencyParse {
  std::vector<std::string> distributions;  // normalized, in order of appearance, no repeats
  // Requirements files it refers to (`-r file`, `--requirement=file`, a pip section's `-r`,
  // a requirements file named in setup.py's install_requires), as written: relative paths are
  // relative to the file that names them.
  std::vector<std::string> requirement_files;
  std::vector<std::string> problems;  // "line N: message"
  // A project's own build file (setup.py; a setup.cfg or pyproject.toml that names the
  // project): installing the project provides the packages beside it.
  bool names_project = false;
  // Where the project keeps its packages besides beside the file and src/, as written (relative
  // to the file): package_dir={"": "lib"}, find_packages("lib"), [options.packages.find] where,
  // [tool.setuptools.packages.find] where, Poetry's packages' "from", Hatch's wheel packages.
  std::vector<std::string> package_roots;
  // The project's requirements are computed where cellflow does not look: setup.py's
  // install_requires in code (from setup.cfg's metadata, a settings file), pyproject.toml's
  // dynamic dependencies from a build backend's plugin. What it needs is not known in full.
  bool requirements_unknown = false;
  // Local directories installed as projects (`pip install ../lib`, `-e ./pkg`), as written.
  std::vector<std::string> local_projects;

  // Appends a normalized name unless it is already there.
  void AddDistribution(std::string normalized);
  // The same for the project's own name (setup.py's name=, [project] name): installing the
  // project provides it, but it declares nothing the project needs.
  void AddProjectName(std::string normalized);
  // Whether it declares a distribution other than the project's own.
  bool DeclaresRequirements() const;

 private:
  absl::flat_hash_set<std::string> seen_;  // the names in `distributions`
  std::string project_;                    // AddProjectName's
};

// The distribution a PEP 508 requirement names, normalized: "Foo_Bar[x] (>=1) ; python_version
// < '3.8'" → "foo-bar", "name @ https://..." → "name". A URL or path gives the name of its
// "#egg=" fragment, of a wheel or sdist file name, or of a VCS repository; std::nullopt for a
// local path without one ("." or "./pkg") and for text that names nothing.
std::optional<std::string> RequirementName(std::string_view requirement);

// requirements.txt (pip's format): comments, continuation lines, options and their arguments,
// `-r`/`--requirement` includes (returned, not read), `-c` constraints (not declarations),
// `-e` editables, URLs, PEP 508 lines.
DependencyParse ParseRequirementsTxt(std::string_view text);

// environment.yml: the conda specs of `dependencies:` ("numpy=1.2", "conda-forge::numpy";
// python itself is not a dependency) and the pip requirements of its `- pip:` list.
DependencyParse ParseEnvironmentYml(std::string_view text);

// pyproject.toml: PEP 621 [project] dependencies and optional-dependencies, PEP 735
// [dependency-groups], Poetry's dependencies, dev-dependencies and groups, and the project's own
// name ([project].name, [tool.poetry].name), which a notebook in the repository may import.
DependencyParse ParsePyprojectToml(std::string_view text);

// Pipfile: the keys of [packages] and [dev-packages].
DependencyParse ParsePipfile(std::string_view text);

// setup.cfg: [metadata] name, [options] install_requires and tests_require,
// [options.extras_require].
DependencyParse ParseSetupCfg(std::string_view text);

// setup.py, parsed and never run: the name=, install_requires=, tests_require= and
// extras_require= arguments of a setup(...) call, as literals or through module-level
// variables (REQUIRED = [...]; setup(install_requires=REQUIRED)). A requirements file that the
// install_requires expression names ("requirements.txt") is returned to be read.
DependencyParse ParseSetupPy(std::string_view text);

// A shell or magic command from a cell, without its `%` or `!`: "pip install -q numpy",
// "pip3 install", "python -m pip install", "{sys.executable} -m pip install", "uv pip install",
// "conda install -c conda-forge x -y", "mamba install". Options and their arguments are
// skipped; `-r file` is returned in requirement_files. Commands joined by &&, || or ; are each
// read; anything else (apt-get, pip uninstall, ...) declares nothing.
DependencyParse ParseInstallCommand(std::string_view command);

// The kinds of dependency file, in the order a directory's files are read.
enum class DependencyFileKind {
  kRequirements,  // requirements*.txt, *requirements.txt
  kEnvironment,   // environment.yml, environment.yaml, or other YAML that LooksLikeCondaEnvironment
  kPyproject,     // pyproject.toml
  kPipfile,       // Pipfile
  kSetupCfg,      // setup.cfg
  kSetupPy,       // setup.py
};

// The kind of dependency file a file name (without directories) is, or std::nullopt.
std::optional<DependencyFileKind> DependencyFileKindOf(std::string_view file_name);

// A YAML file under a name of its own (`pytorch.yml`, `tf-gpu.yaml`) that is a conda environment
// all the same: a top-level `dependencies:` list of match specs.
bool LooksLikeCondaEnvironment(std::string_view text);

// Parses `text` as a dependency file of the given kind.
DependencyParse ParseDependencyFile(DependencyFileKind kind, std::string_view text);

// Every dependency file around a notebook, merged.
struct DeclaredDependencies {
  std::vector<std::string> files;                  // dependency files read, nearest directory first
  absl::flat_hash_set<std::string> distributions;  // normalized names
  std::vector<std::string> problems;               // "path:line N: message"
  // The directories of the files that build a project (DependencyParse::names_project), nearest
  // first: a notebook in such a repository may import the project's own packages, which
  // `pip install -e .` provides.
  std::vector<std::string> project_dirs;
  // A build file's requirements are not known (DependencyParse::requirements_unknown) and no
  // setup.cfg or pyproject.toml beside it declares any, or a file named as declaring some
  // could not be read: an import missing from `distributions` may well be declared.
  bool incomplete = false;
  // Some file declares a distribution other than its project's own: what it does not declare
  // can be checked (a setup.py that only names its project declares nothing it needs).
  bool declares_requirements = false;

  bool any_file() const { return !files.empty(); }

  // True if a declared distribution provides `module` (a dotted import name): one of the
  // distributions the import table knows for it (DistributionsForImport), or, by the naming
  // convention of PyPI, a distribution whose name is the import name or one of its dotted
  // prefixes ("requests"; "google-cloud-storage" for google.cloud.storage; "jaraco-classes"),
  // possibly with a "python-" or "py-" prefix or a "-python" or "-py" suffix
  // ("python-foo" for foo).
  bool DeclaresImport(std::string_view module) const;
};

// Finds, reads and caches dependency files for a batch of notebooks. Thread-safe: every
// directory is listed and every file read and parsed at most once per finder.
// What the walk up from a notebook needs of one directory: its dependency files (and those of
// its requirements/, binder/ and .binder/ folders), by kind then name; and whether it holds
// `.git` (a repository's root, or a work tree's `.git` file).
struct DirectoryDeps {
  std::vector<std::pair<std::string, DependencyFileKind>> files;
  bool has_git = false;
};

// The DirectoryDeps of `dir`, whose entries are `entries` (its subfolders are listed here).
DirectoryDeps ScanDependencyFiles(const std::string& dir, const std::vector<DirEntry>& entries);

class DependencyFinder {
 public:
  // `extra_requirement_files` (--requirements FILE) count for every notebook. The walk up from
  // a notebook stops at the first directory that holds `.git`, at any of `root_directories`
  // (included), or at the top of the file system.
  // `scan` (default: list the directory, then ScanDependencyFiles) lets a caller that lists
  // the same directories share its listings.
  explicit DependencyFinder(std::vector<std::string> extra_requirement_files = {},
                            std::vector<std::string> root_directories = {},
                            std::function<DirectoryDeps(const std::string&)> scan = {});
  ~DependencyFinder();
  DependencyFinder(const DependencyFinder&) = delete;
  DependencyFinder& operator=(const DependencyFinder&) = delete;

  // The dependencies declared for a notebook in `dir`, from `dir` up to the repository root,
  // plus the extra requirement files.
  std::shared_ptr<const DeclaredDependencies> ForDirectory(const std::string& dir);

  // What the requirements files at `paths` (absolute) declare, with the files they include:
  // those a notebook installs with `%pip install -r FILE`. Each file is read once per finder.
  DeclaredDependencies ForRequirementFiles(const std::vector<std::string>& paths);

  // Number of files read so far (each at most once).
  size_t FilesRead() const;

  // What was wrong with the dependency files read so far (unreadable, unparsable, includes that
  // go round), each once, sorted: "path: line N: message".
  std::vector<std::string> Problems() const;

 private:
  struct FileEntry;
  struct DirState;

  // The parse of one file, read once.
  std::shared_ptr<const FileEntry> File(const std::string& path, DependencyFileKind kind);
  // The merged dependencies of `dir` and its ancestors (without the extra files).
  std::shared_ptr<const DeclaredDependencies> Directory(const std::string& dir);
  // Adds the file at `path` and, recursively, the requirements files it includes. Returns the
  // file's parse (cached for the finder's lifetime), or null when it was not read.
  const DependencyParse* AddFile(const std::string& path, DependencyFileKind kind, int depth,
                                 std::vector<std::string>* stack, DeclaredDependencies* out);
  // `has_git`: `dir` holds `.git`.
  bool IsRoot(const std::string& dir, bool has_git) const;

  std::vector<std::string> extra_files_;
  std::vector<std::string> roots_;
  std::function<DirectoryDeps(const std::string&)> scan_;

  mutable std::mutex mu_;
  absl::node_hash_map<std::string, std::shared_ptr<FileEntry>> files_;  // guarded by mu_
  absl::node_hash_map<std::string, std::shared_ptr<DirState>> dirs_;    // guarded by mu_
  absl::flat_hash_set<std::string> problems_;                           // guarded by mu_
  size_t files_read_ = 0;                                               // guarded by mu_
};

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_DEPS_H_
