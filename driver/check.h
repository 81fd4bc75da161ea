// `cellflow check`: find the inputs, analyze them on worker threads, and write the findings in
// input order in the chosen format.
#ifndef CELLFLOW_DRIVER_CHECK_H_
#define CELLFLOW_DRIVER_CHECK_H_

#include <cstdio>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "driver/batch.h"
#include "driver/environment.h"
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
  bool no_imports = false;  // no import resolution at all
  int jobs = 0;             // 0: every core
  bool include_py = false;
  bool exit_zero = false;
  bool suggest_order = false;
  bool statistics = false;
  bool no_progress = false;
};

// The import resolution settings of `options` (--path, --site-packages, --requirements,
// --strict-deps, --target-version).
ImportOptions ImportOptionsOf(const CheckOptions& options);

// Worker threads and progress for `options` (-j, --no-progress), writing to `out`.
BatchOptions BatchOptionsOf(const CheckOptions& options, std::FILE* out);

// Runs the check; returns the exit status (0 no findings, 1 findings, 2 usage or I/O error).
int RunCheck(const std::vector<std::string>& paths, const CheckOptions& options);

// A file read whole, with at least NotebookReader::kReadPadding spare bytes after it so that
// the notebook reader can parse it in place. One object reads file after file: its memory is
// reused, and never zero-filled.
class FileBytes {
 public:
  // False, with *error set, if the file cannot be read.
  bool Read(const std::string& path, std::string* error);
  std::string_view view() const { return {data_.get(), size_}; }
  size_t spare() const { return capacity_ - size_; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

// Whether --select/--ignore (codes, prefixes such as "NB1", or rule names) keep `rule`.
bool RuleSelected(const RuleInfo& rule, const std::vector<std::string>& select,
                  const std::vector<std::string>& ignore);

// Paths to analyze, stored back to back in chunks that never move: a million paths cost their
// bytes and twelve more each. One thread may add paths while others read those added.
class PathList {
 public:
  void Add(std::string_view path);
  size_t size() const;
  std::string operator[](size_t i) const;

 private:
  struct Entry {
    uint32_t chunk, offset, size;
  };
  mutable std::shared_mutex mu_;
  std::vector<std::string> chunks_;
  std::vector<Entry> entries_;
};

// False, with a message on stderr, when a batch has nothing to read: no paths at all, or a
// --files-from list that cannot be opened. Checked before any output is written.
bool InputsGiven(const std::vector<std::string>& paths, const std::string& files_from);

// The inputs: `paths` and the lines of `files_from` (a file, or "-" for stdin; read a line at
// a time), each a file taken as it is or a directory walked for notebooks (and .py files with
// include_py), skipping hidden directories, checkpoints, caches, virtual environments and what
// an exclude glob matches, after InputsGiven has found something to read. A directory's inputs
// come sorted by path. Problems go to stderr and set *status to 2. `found`, when given, is told
// out->size() after each input, so that the batch can start on them while the walk goes on.
// The folders the walk lists that hold inputs are handed to `imports` (when given) before their
// first input is added, so that import resolution does not list them again.
void CollectInputs(const std::vector<std::string>& paths, const std::string& files_from,
                   const std::vector<std::string>& exclude, bool include_py, PathList* out,
                   int* status, const ImportContext* imports = nullptr,
                   const TasksFound& found = nullptr);

// -o FILE, or standard output for "" and "-".
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;
  bool ok() const { return file_ != nullptr; }
  std::FILE* get() const { return file_; }
  // Flushes; false (with a message) on a write error.
  bool Finish(const std::string& path);

 private:
  std::FILE* file_ = nullptr;
  bool owned_ = false;
};

// True if `glob` matches the whole path or one of its components ("*.nbconvert.ipynb",
// "old", "drafts/*").
bool PathExcluded(const std::string& path, const std::vector<std::string>& exclude);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_CHECK_H_
