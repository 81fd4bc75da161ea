// `cellflow check`: find the inputs, analyze them on worker threads, and write the findings in
// input order in the chosen format.
#ifndef CELLFLOW_DRIVER_CHECK_H_
#define CELLFLOW_DRIVER_CHECK_H_

#include <string>
#include <vector>

#include "passes/rules.h"

namespace cellflow {

struct CheckOptions {
  std::string format = "text";  // text | json | jsonl | sarif | github
  std::string output;           // -o FILE; empty: standard output
  std::string order = "file";
  std::string target_version = "3.12";
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::vector<std::string> exclude;        // globs
  std::string files_from;                  // a file with one path per line, or "-"
  std::string repo_root = ".";             // SARIF URIs are relative to it
  std::vector<std::string> paths;          // --path DIR: more directories of local modules
  std::vector<std::string> site_packages;  // --site-packages DIR
  std::vector<std::string> requirements;   // --requirements FILE
  bool strict_deps = false;
  int jobs = 0;  // 0: every core
  bool include_py = false;
  bool exit_zero = false;
  bool suggest_order = false;
  bool statistics = false;
  bool no_progress = false;
};

// Runs the check; returns the exit status (0 no findings, 1 findings, 2 usage or I/O error).
int RunCheck(const std::vector<std::string>& paths, const CheckOptions& options);

// Reads a whole file, with spare capacity after it for the notebook reader to parse in place.
bool ReadFileBytes(const std::string& path, std::string* bytes, std::string* error);

// Paths from --files-from (a file, or "-" for stdin): one per line, blank lines skipped.
bool ReadPathList(const std::string& from, std::vector<std::string>* paths);

// Whether --select/--ignore (codes, prefixes such as "NB1", or rule names) keep `rule`.
bool RuleSelected(const RuleInfo& rule, const std::vector<std::string>& select,
                  const std::vector<std::string>& ignore);

// Paths to analyze: files as given, directories walked for notebooks (and, with include_py, .py
// files), skipping hidden directories, checkpoints, caches, virtual environments and whatever
// matches an exclude glob. Problems go to stderr and set *status to 2.
std::vector<std::string> CollectInputs(const std::vector<std::string>& paths,
                                       const std::vector<std::string>& exclude, bool include_py,
                                       int* status);

// True if `glob` matches the whole path or one of its components ("*.nbconvert.ipynb",
// "old", "drafts/*").
bool PathExcluded(const std::string& path, const std::vector<std::string>& exclude);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_CHECK_H_
