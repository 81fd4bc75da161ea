// The check command: inputs, the parallel batch, and the output formats.
#include "driver/check.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>

#include "absl/strings/str_format.h"

#include "driver/analyze.h"
#include "driver/batch.h"
#include "driver/dir_listing.h"
#include "driver/environment.h"
#include "driver/json_out.h"
#include "driver/notebook.h"
#include "driver/report.h"
#include "driver/sarif.h"
#include "lexer/str_util.h"

namespace cellflow {
namespace {

constexpr size_t kRuleCount = static_cast<size_t>(RuleId::kHiddenState) + 1;

// "# noqa" or "# noqa: NB101,NB203" on the finding's line.
bool Suppressed(const Finding& f) {
  size_t hash = f.source_line.find('#');
  while (hash != std::string::npos) {
    std::string_view rest = std::string_view(f.source_line).substr(hash + 1);
    size_t p = rest.find_first_not_of(" \t");
    if (p != std::string_view::npos && rest.substr(p, 4) == "noqa") {
      std::string_view after = rest.substr(p + 4);
      if (after.empty() || after[0] != ':') return true;
      std::string_view code = GetRule(f.diagnostic.rule).code;
      return after.find(code) != std::string_view::npos;
    }
    hash = f.source_line.find('#', hash + 1);
  }
  return false;
}

}  // namespace

namespace {

// How the results of one file become output, and how the per-file pieces join up.
class Writer {
 public:
  Writer(const CheckOptions& o, std::FILE* out) : o_(o), out_(out) {}

  void Begin(const std::string& repo_root) {
    std::string head;
    if (o_.statistics) return;
    if (o_.format == "json") head = "[";
    if (o_.format == "sarif") AppendSarifHeader(repo_root, &head);
    Write(head);
  }

  // A file's text: for json and sarif one element per line, joined here with commas.
  void File(const std::string& text) {
    if (o_.statistics || text.empty()) return;
    if (o_.format != "json" && o_.format != "sarif") {
      Write(text);
      return;
    }
    std::string joined;
    size_t p = 0;
    while (p < text.size()) {
      size_t e = text.find('\n', p);
      if (e == std::string::npos) e = text.size();
      joined += elements_ == 0 ? "\n" : ",\n";
      if (o_.format == "sarif") joined += "      ";
      joined.append(text, p, e - p);
      ++elements_;
      p = e + 1;
    }
    Write(joined);
  }

  void End(size_t files, size_t skipped, size_t total, size_t errors, bool ok,
           const std::vector<uint64_t>& counts) {
    std::string tail;
    if (o_.statistics) {
      AppendStatistics(counts, &tail);
    } else if (o_.format == "json") {
      tail = elements_ == 0 ? "]\n" : "\n]\n";
    } else if (o_.format == "sarif") {
      AppendSarifFooter(ok, &tail);
    }
    if (o_.format == "text") {
      // Files not checked (another kernel language) are not counted as checked.
      const size_t checked = files - skipped;
      tail += absl::StrFormat("%d file%s checked", checked, checked == 1 ? "" : "s");
      if (skipped > 0) absl::StrAppendFormat(&tail, " (%d not Python, skipped)", skipped);
      tail += total == 0 ? absl::StrFormat(", no problems found\n")
                         : absl::StrFormat(", %d problem%s (%d error%s)\n", total,
                                           total == 1 ? "" : "s", errors, errors == 1 ? "" : "s");
    }
    Write(tail);
  }

 private:
  // Counts per rule, most frequent first, like ruff and flake8's --statistics.
  void AppendStatistics(const std::vector<uint64_t>& counts, std::string* out) const {
    std::vector<size_t> order;
    for (size_t r = 0; r < counts.size(); ++r) {
      if (counts[r] > 0) order.push_back(r);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return counts[a] > counts[b]; });
    bool json = o_.format == "json" || o_.format == "jsonl";
    if (json) *out += "[";
    bool first = true;
    for (size_t r : order) {
      const RuleInfo& rule = GetRule(static_cast<RuleId>(r));
      if (json) {
        absl::StrAppendFormat(out, "%s\n  {\"code\": \"%s\", \"name\": \"%s\", \"count\": %d}",
                              first ? "" : ",", std::string(rule.code), std::string(rule.name),
                              counts[r]);
      } else {
        absl::StrAppendFormat(out, "%7d  %s  %s\n", counts[r], std::string(rule.code),
                              std::string(rule.name));
      }
      first = false;
    }
    if (json) *out += order.empty() ? "]\n" : "\n]\n";
  }

  void Write(const std::string& s) {
    if (!s.empty()) std::fwrite(s.data(), 1, s.size(), out_);
  }

  const CheckOptions& o_;
  std::FILE* out_;
  size_t elements_ = 0;
};

// Everything the workers share, read-only.
struct CheckContext {
  const CheckOptions* options = nullptr;
  AnalyzeOptions analyze;
  std::vector<bool> selected;  // by RuleId
  std::string repo_root;       // absolute
  bool color = false;
};

void AnalyzeFile(const CheckContext& ctx, const std::string& path, FileOutcome* out) {
  thread_local NotebookReader reader;
  const CheckOptions& o = *ctx.options;
  out->rule_counts.assign(kRuleCount, 0);
  thread_local FileBytes file;
  std::string error;
  if (!file.Read(path, &error)) {
    out->io_error = true;
    out->error_text = StrCat("cellflow: ", path, ": ", error, "\n");
    return;
  }
  const bool sarif = o.format == "sarif";
  std::string uri = sarif ? SarifRelativeUri(path, ctx.repo_root) : std::string();
  ReadErrorPosition where;
  absl::StatusOr<Notebook> nb = reader.Read(path, file.view(), &where, file.spare());
  if (!nb.ok()) {
    if (!ctx.selected[static_cast<size_t>(RuleId::kInvalidNotebook)]) return;
    ++out->rule_counts[static_cast<size_t>(RuleId::kInvalidNotebook)];
    ++out->errors;
    std::string message(nb.status().message());
    if (o.format == "text") {
      absl::StrAppendFormat(
          &out->text, "%s:%s error: %s [NB002]\n", path,
          where.line > 0 ? absl::StrFormat("%d:%d:", where.line, where.column) : std::string(),
          message);
    } else if (sarif) {
      AppendSarifInvalidNotebook(uri, message, where, &out->text);
      out->text += '\n';
    } else if (o.format == "github") {
      AppendInvalidNotebookGithub(path, message, where.line, &out->text);
    } else {
      AppendInvalidNotebookJson(path, message, where, &out->text);
    }
    return;
  }
  NotebookReport report = AnalyzeNotebook(*nb, ctx.analyze);
  out->skipped = report.skipped;
  if (report.skipped && o.format == "text" && !o.statistics) {
    // Not a finding: the reason nothing is reported for this file.
    absl::StrAppendFormat(&out->text, "%s: note: not checked: %s\n", path, report.skip_reason);
  }
  const bool is_script = nb->format == NotebookFormat::kScript;
  SarifFingerprintCounts fingerprints;
  for (const Finding& f : report.findings) {
    const RuleInfo& rule = GetRule(f.diagnostic.rule);
    if (!ctx.selected[static_cast<size_t>(rule.id)] || Suppressed(f)) continue;
    ++out->rule_counts[static_cast<size_t>(rule.id)];
    if (rule.severity == Severity::kError) ++out->errors;
    if (o.statistics) continue;
    if (o.format == "text") {
      AppendFindingText(path, f, ctx.color, &out->text);
    } else if (sarif) {
      AppendSarifResult(uri, f, is_script, &fingerprints, &out->text);
      out->text += '\n';
    } else if (o.format == "github") {
      AppendFindingGithub(path, f, is_script, &out->text);
    } else {
      AppendFindingJson(path, f, is_script, &out->text);
    }
  }
  if (o.suggest_order && !report.suggested_order.empty() && !o.statistics &&
      (o.format == "text" || o.format == "json" || o.format == "jsonl")) {
    std::string order;
    for (uint32_t c : report.suggested_order) {
      absl::StrAppendFormat(&order, "%s%d", order.empty() ? "" : ", ", c);
    }
    if (o.format == "text") {
      absl::StrAppendFormat(&out->text, "%s: cells run in this order define every name first: %s\n",
                            path, order);
    } else {
      out->text += "{\"path\": ";
      AppendJsonString(path, &out->text);
      absl::StrAppendFormat(&out->text, ", \"suggested_order\": [%s]}\n", order);
    }
  }
}

}  // namespace

bool FileBytes::Read(const std::string& path, std::string* error) {
  size_ = 0;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open file";
    return false;
  }
  struct stat st;
  bool ok = fstat(fd, &st) == 0;
  if (!ok) *error = "cannot determine the file size";
  auto size = static_cast<uint64_t>(ok ? st.st_size : 0);
  if (ok && size >= (uint64_t{1} << 32) - 1) {
    *error = "file too large (4 GiB or more)";
    ok = false;
  }
  if (ok) {
    const size_t need = static_cast<size_t>(size) + NotebookReader::kReadPadding;
    // Grown as needed; a buffer far larger than this file (after a huge one) is given back.
    constexpr size_t kKeep = size_t{16} << 20;
    if (need > capacity_ || (capacity_ > kKeep && capacity_ / 4 > need)) {
      data_.reset();  // the old buffer goes first: never both at once
      data_ = std::make_unique_for_overwrite<char[]>(need);
      capacity_ = need;
    }
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::read(fd, data_.get() + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    if (done != size) {
      *error = "read error";
      ok = false;
    }
    size_ = ok ? done : 0;
  }
  close(fd);
  return ok;
}

bool RuleSelected(const RuleInfo& rule, const std::vector<std::string>& select,
                  const std::vector<std::string>& ignore) {
  auto matches = [&](const std::string& pattern) {
    return rule.code.substr(0, pattern.size()) == pattern || rule.name == pattern;
  };
  bool selected = select.empty();
  for (const std::string& s : select) selected |= matches(s);
  for (const std::string& s : ignore) {
    if (matches(s)) selected = false;
  }
  return selected;
}

bool PathExcluded(const std::string& path, const std::vector<std::string>& exclude) {
  if (exclude.empty()) return false;
  std::string_view p = path;
  while (p.substr(0, 2) == "./") p.remove_prefix(2);
  std::string whole(p);
  for (const std::string& glob : exclude) {
    if (fnmatch(glob.c_str(), whole.c_str(), 0) == 0) return true;
    size_t start = 0;
    while (start <= whole.size()) {
      size_t end = whole.find('/', start);
      if (end == std::string::npos) end = whole.size();
      std::string part = whole.substr(start, end - start);
      if (!part.empty() && fnmatch(glob.c_str(), part.c_str(), 0) == 0) return true;
      // A glob with '/' also matches a trailing part of the path: "drafts/*.ipynb".
      if (start > 0 && glob.find('/') != std::string::npos &&
          fnmatch(glob.c_str(), whole.c_str() + start, 0) == 0) {
        return true;
      }
      start = end + 1;
    }
  }
  return false;
}

void PathList::Add(std::string_view path) {
  constexpr size_t kChunk = size_t{1} << 20;
  std::unique_lock lock(mu_);
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < path.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(std::max(kChunk, path.size()));
  }
  std::string& chunk = chunks_.back();
  entries_.push_back({static_cast<uint32_t>(chunks_.size() - 1),
                      static_cast<uint32_t>(chunk.size()), static_cast<uint32_t>(path.size())});
  chunk.append(path);
}

size_t PathList::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

std::string PathList::operator[](size_t i) const {
  std::shared_lock lock(mu_);
  const Entry& e = entries_[i];
  return chunks_[e.chunk].substr(e.offset, e.size);
}

namespace {

// A directory the walk does not enter: hidden ones, caches, checkpoints, dependencies of
// JavaScript tools, and what an exclude glob matches (virtual environments are found by their
// pyvenv.cfg once listed).
bool SkippedDirectory(std::string_view name, const std::string& path,
                      const std::vector<std::string>& exclude) {
  return (name.size() > 1 && name[0] == '.') || name == "__pycache__" || name == "node_modules" ||
         PathExcluded(path, exclude);
}

std::string JoinPath(const std::string& dir, std::string_view name) {
  return dir.empty() || dir.back() == '/' ? StrCat(dir, name) : StrCat(dir, "/", name);
}

// Walks a directory for inputs, without following links to directories, adding them to `out`
// in sorted order as it finds them. `path` is the directory as the output names it, `absolute`
// the same made absolute (for import lookups; empty without `imports`). The listing of each
// directory that holds an input, or has one below it, goes to `imports` before that input is
// added, since import lookups and the search for dependency files read it again.
struct Walk {
  const std::vector<std::string>& exclude;
  bool include_py;
  const ImportContext* imports;
  PathList* out;
  const TasksFound& found;

  // The directories being walked, outermost first; `listed`: handed to `imports`.
  struct Open {
    const std::string& absolute;
    const std::vector<DirEntry>& entries;
    bool listed;
  };
  std::vector<Open> open;

  void Add(std::string path) {
    if (imports != nullptr) {
      for (Open& o : open) {
        if (!o.listed) imports->AddListing(o.absolute, o.entries);
        o.listed = true;
      }
    }
    out->Add(path);
    if (found) found(out->size());
  }

  void Directory(const std::string& path, const std::string& absolute, bool root) {
    std::vector<DirEntry> entries;
    if (!ListDir(path, &entries)) return;
    if (!root && std::any_of(entries.begin(), entries.end(),
                             [](const DirEntry& e) { return e.name == "pyvenv.cfg"; })) {
      return;  // a virtual environment
    }
    // Paths sort as strings: a directory's inputs go where its name and a '/' would, so that
    // a walk in this order finds the inputs in sorted order ("a.ipynb" < "a/b.ipynb" <
    // "a0.ipynb").
    std::sort(entries.begin(), entries.end(), [](const DirEntry& a, const DirEntry& b) {
      const size_t n = std::min(a.name.size(), b.name.size());
      if (int c = a.name.compare(0, n, b.name, 0, n); c != 0) return c < 0;
      auto after = [n](const DirEntry& e) -> int {
        if (e.name.size() > n) return static_cast<unsigned char>(e.name[n]);
        return e.is_dir && !e.is_symlink ? '/' : -1;
      };
      return after(a) < after(b);
    });
    open.push_back({absolute, entries, false});
    for (const DirEntry& e : entries) {
      if (e.is_dir) {
        if (e.is_symlink) continue;
        std::string child = JoinPath(path, e.name);
        if (!SkippedDirectory(e.name, child, exclude)) {
          Directory(child, imports != nullptr ? JoinPath(absolute, e.name) : std::string(), false);
        }
        continue;
      }
      std::string_view name = e.name;
      size_t dot = name.rfind('.');
      std::string_view ext = dot == 0 || dot == std::string_view::npos ? "" : name.substr(dot);
      if (ext != ".ipynb" && (!include_py || ext != ".py")) continue;
      std::string child = JoinPath(path, e.name);
      if (!PathExcluded(child, exclude)) Add(std::move(child));
    }
    open.pop_back();
  }
};

// One path given by the user: a file as it is, a directory walked.
void CollectPath(const std::string& path, const std::vector<std::string>& exclude, bool include_py,
                 PathList* out, int* status, const ImportContext* imports,
                 const TasksFound& found) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    if (!fs::exists(path, ec)) {
      std::cerr << "cellflow: " << path << ": no such file or directory\n";
      *status = 2;
      return;
    }
    if (!PathExcluded(path, exclude)) {
      out->Add(path);
      if (found) found(out->size());
    }
    return;
  }
  Walk walk{exclude, include_py, imports, out, found, {}};
  walk.Directory(path, imports != nullptr ? imports->AbsoluteDirectory(path) : std::string(), true);
}

}  // namespace

bool InputsGiven(const std::vector<std::string>& paths, const std::string& files_from) {
  if (paths.empty() && files_from.empty()) {
    std::cerr << "cellflow: no paths (give paths or --files-from)\n";
    return false;
  }
  if (!files_from.empty() && files_from != "-" && !std::ifstream(files_from)) {
    std::cerr << "cellflow: " << files_from << ": cannot open file\n";
    return false;
  }
  return true;
}

void CollectInputs(const std::vector<std::string>& paths, const std::string& files_from,
                   const std::vector<std::string>& exclude, bool include_py, PathList* out,
                   int* status, const ImportContext* imports, const TasksFound& found) {
  for (const std::string& path : paths) {
    CollectPath(path, exclude, include_py, out, status, imports, found);
  }
  if (files_from.empty()) return;
  std::ifstream file;
  std::istream* in = &std::cin;
  if (files_from != "-") {
    file.open(files_from);
    if (!file) {  // gone since InputsGiven looked
      std::cerr << "cellflow: " << files_from << ": cannot open file\n";
      *status = 2;
      return;
    }
    in = &file;
  }
  // Read and collected a line at a time: a million paths are never held twice.
  std::string line;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) CollectPath(line, exclude, include_py, out, status, imports, found);
  }
}

OutputFile::OutputFile(const std::string& path) {
  if (path.empty() || path == "-") {
    file_ = stdout;
    return;
  }
  file_ = std::fopen(path.c_str(), "wb");
  owned_ = file_ != nullptr;
  if (file_ == nullptr) std::cerr << "cellflow: " << path << ": cannot open for writing\n";
}

OutputFile::~OutputFile() {
  if (owned_) std::fclose(file_);
}

bool OutputFile::Finish(const std::string& path) {
  if (std::fflush(file_) != 0 || std::ferror(file_)) {
    std::cerr << "cellflow: " << (path.empty() ? "standard output" : path) << ": write error\n";
    return false;
  }
  return true;
}

ImportOptions ImportOptionsOf(const CheckOptions& o) {
  ImportOptions options;
  options.python_minor = std::stoi(o.target_version.substr(2));
  options.paths = o.paths;
  options.site_packages = o.site_packages;
  options.requirements = o.requirements;
  options.strict_deps = o.strict_deps;
  return options;
}

BatchOptions BatchOptionsOf(const CheckOptions& o, std::FILE* out) {
  BatchOptions batch;
  batch.jobs = o.jobs > 0 ? o.jobs : DefaultJobs();
  batch.progress = !o.no_progress && isatty(STDERR_FILENO);
  batch.output_on_terminal = out == stdout && isatty(STDOUT_FILENO);
  return batch;
}

int RunCheck(const std::vector<std::string>& paths, const CheckOptions& o) {
  if (!InputsGiven(paths, o.files_from)) return 2;
  int status = 0;
  PathList files;
  std::optional<ImportContext> imports;
  if (!o.no_imports) imports.emplace(ImportOptionsOf(o));
  const ImportContext* resolve = imports ? &*imports : nullptr;
  CheckContext ctx;
  ctx.options = &o;
  ctx.analyze.order = o.order == "executed" ? CellOrder::kExecuted : CellOrder::kFile;
  ctx.analyze.python_minor = std::stoi(o.target_version.substr(2));
  for (const RuleInfo& r : AllRules()) ctx.selected.push_back(RuleSelected(r, o.select, o.ignore));
  ctx.analyze.imports = resolve;
  std::error_code ec;
  ctx.repo_root =
      std::filesystem::absolute(std::filesystem::path(o.repo_root), ec).lexically_normal();
  if (ctx.repo_root.size() > 1 && ctx.repo_root.back() == '/') ctx.repo_root.pop_back();

  OutputFile output(o.output);
  if (!output.ok()) return 2;
  std::FILE* out = output.get();
  ctx.color = o.format == "text" && out == stdout && isatty(STDOUT_FILENO);

  Writer writer(o, out);
  writer.Begin(ctx.repo_root);
  std::vector<uint64_t> counts(kRuleCount, 0);
  size_t total = 0, errors = 0, skipped = 0;
  // The workers start on the first inputs while the walk looks for the others.
  int walk_status = 0;
  RunOrdered(
      BatchOptionsOf(o, out),
      [&](const TasksFound& found) {
        CollectInputs(paths, o.files_from, o.exclude, o.include_py, &files, &walk_status, resolve,
                      found);
      },
      [&](size_t i, FileOutcome* outcome) { AnalyzeFile(ctx, files[i], outcome); },
      [&](size_t, FileOutcome& outcome) {
        if (outcome.io_error) status = 2;
        if (!outcome.error_text.empty()) {
          std::fflush(out);
          std::fputs(outcome.error_text.c_str(), stderr);
        }
        for (size_t r = 0; r < outcome.rule_counts.size(); ++r) {
          counts[r] += outcome.rule_counts[r];
          total += outcome.rule_counts[r];
        }
        errors += outcome.errors;
        skipped += outcome.skipped;
        writer.File(outcome.text);
      });
  status = std::max(status, walk_status);
  writer.End(files.size(), skipped, total, errors, status == 0, counts);
  if (imports) {
    // A dependency file that cannot be read declares less than it means to: NB203 may then
    // report what it does declare.
    std::fflush(out);
    for (const std::string& p : imports->DependencyFileProblems()) {
      std::fprintf(stderr, "cellflow: warning: %s\n", p.c_str());
    }
  }
  if (!output.Finish(o.output)) return 2;
  if (status != 0) return status;
  return total > 0 && !o.exit_zero ? 1 : 0;
}

}  // namespace cellflow
