// The surroundings of a notebook, for import resolution: the files beside it and on its search
// path, the standard library of the target version, installed and declared distributions.
// One ImportContext serves a whole batch from every worker thread; what it reads from disk
// (directory listings, local modules, dependency files, site-packages) is read once.
#ifndef CELLFLOW_DRIVER_ENVIRONMENT_H_
#define CELLFLOW_DRIVER_ENVIRONMENT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "driver/dir_listing.h"
#include "passes/imports.h"

namespace cellflow {

struct ImportOptions {
  int python_minor = 12;                   // --target-version 3.x
  std::vector<std::string> paths;          // --path DIR: searched after the notebook's own
  std::vector<std::string> site_packages;  // --site-packages DIR: installed distributions
  std::vector<std::string> requirements;   // --requirements FILE: declared for every notebook
  bool strict_deps = false;                // NB203 even without a dependency file
};

class ImportContext {
 public:
  explicit ImportContext(ImportOptions options);
  ~ImportContext();
  ImportContext(const ImportContext&) = delete;
  ImportContext& operator=(const ImportContext&) = delete;

  // The environment of the notebook or script at `path`. `facts` come from its cells;
  // `buffer` holds the cells (for %%writefile bodies) and must outlive the result.
  std::unique_ptr<ModuleEnvironment> ForNotebook(const std::string& path, bool is_script,
                                                 const ImportFacts& facts,
                                                 std::string_view buffer) const;

  // `dir` made absolute (against the working directory) and lexically normal, as lookups key
  // their folders.
  std::string AbsoluteDirectory(const std::string& dir) const;
  // The entries of the directory `absolute_dir` (as AbsoluteDirectory gives it), listed by the
  // caller already: lookups in it will not list it again.
  void AddListing(const std::string& absolute_dir, const std::vector<DirEntry>& entries) const;

  // What was wrong with the dependency files read so far, each once ("path: line N: message",
  // the path relative to the working directory when under it): their declarations are partly
  // or wholly missing.
  std::vector<std::string> DependencyFileProblems() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_ENVIRONMENT_H_
