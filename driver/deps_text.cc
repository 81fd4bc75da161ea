// Helpers shared by the dependency readers: text, PEP 508 requirement names, conda specs and
// pip's options; and the readers' common results.
#include <algorithm>
#include <iterator>
#include <utility>

#include "absl/strings/ascii.h"

#include "driver/deps.h"
#include "driver/deps_internal.h"
#include "lexer/str_util.h"
#include "passes/distributions.h"

namespace cellflow {

void DependencyParse::AddDistribution(std::string normalized) {
  if (normalized.empty() || !seen_.insert(normalized).second) return;
  distributions.push_back(std::move(normalized));
}

void DependencyParse::AddProjectName(std::string normalized) {
  if (project_.empty()) project_ = normalized;
  AddDistribution(std::move(normalized));
}

bool DependencyParse::DeclaresRequirements() const {
  return std::any_of(distributions.begin(), distributions.end(),
                     [this](const std::string& d) { return d != project_; });
}

std::optional<std::string> RequirementName(std::string_view requirement) {
  deps_internal::RequirementResult r = deps_internal::ParseRequirement(requirement);
  if (r.kind != deps_internal::RequirementKind::kName) return std::nullopt;
  return std::move(r.name);
}

namespace deps_internal {

// ---------------------------------------------------------------------------------------------
// Text

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = absl::ascii_tolower(static_cast<unsigned char>(c));
  return out;
}

// Removes one pair of matching quotes around `s`.
// Splits text into lines at "\n", "\r\n" or "\r".
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t e = text.find_first_of("\r\n", pos);
    if (e == std::string_view::npos) {
      lines.push_back(text.substr(pos));
      break;
    }
    lines.push_back(text.substr(pos, e - pos));
    pos = e + 1;
    if (text[e] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
  }
  return lines;
}

// The part of a line before a comment: a '#' at the start or after whitespace.
std::string_view StripHashComment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || IsSpace(line[i - 1]))) return line.substr(0, i);
  }
  return line;
}

// Shortens text quoted in a problem message.
std::string Excerpt(std::string_view s) {
  constexpr size_t kMax = 60;
  std::string out;
  for (char c : s.substr(0, kMax)) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  }
  if (s.size() > kMax) out += "...";
  return out;
}

std::string LineProblem(size_t line, std::string_view message) {
  return StrCat("line ", line, ": ", message);
}

// ---------------------------------------------------------------------------------------------
// Requirement names

bool IsNameChar(char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; }

// A PEP 508 name at the start of `s` (letters, digits, '-', '_', '.', starting and ending with
// a letter or digit); its length, 0 if there is none.
size_t NameLength(std::string_view s) {
  if (s.empty() || !IsAlnum(s[0])) return 0;
  size_t n = 1;
  while (n < s.size() && IsNameChar(s[n])) ++n;
  while (n > 0 && !IsAlnum(s[n - 1])) --n;
  return n;
}

// "scheme://" or "vcs+scheme://" at the start.
bool HasUrlScheme(std::string_view s) {
  size_t colon = s.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (char c : s.substr(0, colon)) {
    if (!IsAlnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return true;
}

constexpr std::string_view kArchiveSuffixes[] = {".tar.gz", ".tar.bz2", ".tar.xz",
                                                 ".tgz",    ".zip",     ".tar"};

bool IsArchive(std::string_view file) {
  if (EndsWith(file, ".whl")) return true;
  for (std::string_view suffix : kArchiveSuffixes) {
    if (EndsWith(file, suffix)) return true;
  }
  return false;
}

bool LooksLikeLocation(std::string_view s) {
  if (HasUrlScheme(s) || StartsWith(s, "file:")) return true;
  if (s[0] == '.' || s[0] == '/' || s[0] == '~' || s[0] == '\\') return true;
  if (s.size() >= 3 && IsAlnum(s[0]) && s[1] == ':' && (s[2] == '\\' || s[2] == '/')) return true;
  // A relative path ("src/pkg", "dist/pkg-1.0.tar.gz") or an archive: the part before any
  // marker or space has a slash, or ends like an archive.
  std::string_view head = s.substr(0, s.find_first_of("; \t"));
  return head.find_first_of("/\\") != std::string_view::npos || IsArchive(head);
}

// The distribution name in the "#egg=" fragment of a URL, or empty.
std::string_view EggName(std::string_view url) {
  size_t hash = url.find('#');
  if (hash == std::string_view::npos) return {};
  std::string_view fragment = url.substr(hash + 1);
  size_t at = 0;
  while ((at = fragment.find("egg=", at)) != std::string_view::npos) {
    if (at == 0 || fragment[at - 1] == '&') break;
    at += 4;
  }
  if (at == std::string_view::npos) return {};
  std::string_view egg = fragment.substr(at + 4);
  egg = egg.substr(0, egg.find_first_of("&[ \t;"));
  // Old style "name-1.0": the version is not part of the name.
  for (size_t i = 0; i + 1 < egg.size(); ++i) {
    if (egg[i] == '-' && IsDigit(egg[i + 1])) return egg.substr(0, i);
  }
  return egg;
}

RequirementResult NameResult(std::string_view name) {
  size_t n = NameLength(name);
  if (n == 0 || n != name.size()) return {};
  return {RequirementKind::kName, NormalizeDistributionName(name)};
}

// A URL or path: the name from "#egg=", from a wheel or sdist file name, or from a VCS
// repository's last path component; local paths without any of these are kLocal.
RequirementResult NameFromLocation(std::string_view s) {
  s = s.substr(0, s.find_first_of(" \t;"));  // markers and options after a URL
  std::string_view egg = EggName(s);
  if (!egg.empty()) return NameResult(egg);
  bool local = !HasUrlScheme(s) || StartsWith(s, "file:");
  std::string_view path = s.substr(0, s.find_first_of("#?"));
  while (!path.empty() && (path.back() == '/' || path.back() == '\\')) path.remove_suffix(1);
  size_t slash = path.find_last_of("/\\");
  std::string_view last = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (EndsWith(last, ".whl")) return NameResult(last.substr(0, last.find('-')));
  for (std::string_view suffix : kArchiveSuffixes) {
    if (!EndsWith(last, suffix)) continue;
    std::string_view stem = last.substr(0, last.size() - suffix.size());
    // GitHub archives (".../repo/archive/refs/heads/main.zip") are named after a ref.
    size_t archive = path.find("/archive/");
    if (!local && archive != std::string_view::npos) {
      std::string_view repo = path.substr(0, archive);
      return NameResult(repo.substr(repo.rfind('/') + 1));
    }
    for (size_t i = stem.size(); i-- > 1;) {
      if (stem[i - 1] == '-' && IsDigit(stem[i])) return NameResult(stem.substr(0, i - 1));
    }
    return NameResult(stem);
  }
  if (local) return {RequirementKind::kLocal, ""};
  // A VCS URL: the repository, without ".git" and "@ref". Its distribution may also carry the
  // owner's name ("github.com/tensorflow/docs" installs tensorflow-docs): that is the second
  // guess.
  last = last.substr(0, last.find('@'));
  if (EndsWith(last, ".git")) last.remove_suffix(4);
  RequirementResult r = NameResult(last);
  if (r.kind == RequirementKind::kName && slash != std::string_view::npos) {
    std::string_view owner = path.substr(0, slash);
    owner = owner.substr(owner.find_last_of("/\\") + 1);
    if (NameLength(owner) == owner.size() && owner.find('.') == std::string_view::npos) {
      r.also = NormalizeDistributionName(StrCat(owner, "-", last));
    }
  }
  return r;
}

RequirementResult ParseRequirement(std::string_view requirement) {
  std::string_view s = Unquote(requirement);
  if (s.empty()) return {};
  size_t n = NameLength(s);
  if (n > 0) {
    std::string_view rest = Trim(s.substr(n));
    // "name", "name[extra]", "name>=1", "name (>=1)", "name; marker", "name @ url".
    if (rest.empty() || std::string_view("[(<>=!~;@,").find(rest[0]) != std::string_view::npos) {
      return {RequirementKind::kName, NormalizeDistributionName(s.substr(0, n))};
    }
  }
  if (LooksLikeLocation(s)) return NameFromLocation(s);
  return {};
}
// ---------------------------------------------------------------------------------------------
// Conda package specs

// Conda package names whose PyPI distribution is named otherwise.
constexpr std::pair<std::string_view, std::string_view> kCondaToPypi[] = {
    {"dask-core", "dask"},
    {"geopandas-base", "geopandas"},
    {"libopencv", "opencv-python"},
    {"matplotlib-base", "matplotlib"},
    {"msgpack-python", "msgpack"},
    {"numpy-base", "numpy"},
    {"opencv", "opencv-python"},
    {"py-opencv", "opencv-python"},
    {"py-xgboost", "xgboost"},
    {"py-xgboost-cpu", "xgboost"},
    {"py-xgboost-gpu", "xgboost"},
    {"pyqt", "pyqt5"},
    {"pytables", "tables"},
    {"python-build", "build"},
    {"python-graphviz", "graphviz"},
    {"python-kaleido", "kaleido"},
    {"pytorch", "torch"},
    {"pytorch-cpu", "torch"},
    {"pytorch-gpu", "torch"},
    {"tensorflow-base", "tensorflow"},
};

// The name of a conda match spec ("numpy=1.2", "conda-forge::numpy>=1", "numpy 1.2.*",
// "numpy[version='>=1']"), normalized and mapped to PyPI; empty for python itself and for
// what is not a spec.
std::string CondaSpecName(std::string_view spec) {
  std::string_view s = Unquote(spec);
  size_t channel = s.find("::");
  if (channel != std::string_view::npos) s = s.substr(channel + 2);
  size_t n = NameLength(s);
  if (n == 0) return {};
  std::string name = NormalizeDistributionName(s.substr(0, n));
  if (name == "python") return {};
  for (const auto& [conda, pypi] : kCondaToPypi) {
    if (name == conda) return std::string(pypi);
  }
  return name;
}

// What is not a spec is a problem, except conda's own packages of an exported environment
// (`_libgcc_mutex`, `_openmp_mutex`): no Python module, and nothing wrong.
void AddCondaSpec(std::string_view spec, size_t line, DependencyParse* out) {
  std::string name = CondaSpecName(spec);
  if (!name.empty()) {
    out->AddDistribution(std::move(name));
  } else if (NameLength(Unquote(spec)) == 0 && Unquote(spec).find("::") == std::string_view::npos &&
             !StartsWith(Unquote(spec), "_")) {
    out->problems.push_back(
        LineProblem(line, StrCat("not a conda package: '", Excerpt(spec), "'")));
  }
}

// ---------------------------------------------------------------------------------------------
// pip's options and requirement lines

// Adds the requirement to `out`, or a problem if it names nothing and is not a local path.
void AddRequirement(std::string_view requirement, size_t line, DependencyParse* out) {
  RequirementResult r = ParseRequirement(requirement);
  if (r.kind == RequirementKind::kName) {
    out->AddDistribution(std::move(r.name));
    out->AddDistribution(std::move(r.also));
  } else if (r.kind == RequirementKind::kLocal) {
    out->local_projects.emplace_back(Unquote(requirement));
  } else if (r.kind == RequirementKind::kInvalid) {
    out->problems.push_back(
        LineProblem(line, StrCat("not a requirement: '", Excerpt(requirement), "'")));
  }
}

constexpr PipOption kPipOptions[] = {
    {"-r", PipArg::kRequirementFile},
    {"--requirement", PipArg::kRequirementFile},
    {"-c", PipArg::kConstraintFile},
    {"--constraint", PipArg::kConstraintFile},
    {"-e", PipArg::kEditable},
    {"--editable", PipArg::kEditable},
    {"-i", PipArg::kIgnored},
    {"--index-url", PipArg::kIgnored},
    {"--extra-index-url", PipArg::kIgnored},
    {"-f", PipArg::kIgnored},
    {"--find-links", PipArg::kIgnored},
    {"--trusted-host", PipArg::kIgnored},
    {"--use-feature", PipArg::kIgnored},
    {"--only-binary", PipArg::kIgnored},
    {"--no-binary", PipArg::kIgnored},
    {"--config-settings", PipArg::kIgnored},
    {"-C", PipArg::kIgnored},
    {"--global-option", PipArg::kIgnored},
    {"--install-option", PipArg::kIgnored},
    {"--hash", PipArg::kIgnored},
    {"--progress-bar", PipArg::kIgnored},
    {"-t", PipArg::kIgnored},
    {"--target", PipArg::kIgnored},
    {"--prefix", PipArg::kIgnored},
    {"--root", PipArg::kIgnored},
    {"--src", PipArg::kIgnored},
    {"--upgrade-strategy", PipArg::kIgnored},
    {"--platform", PipArg::kIgnored},
    {"--python-version", PipArg::kIgnored},
    {"--implementation", PipArg::kIgnored},
    {"--abi", PipArg::kIgnored},
    {"--proxy", PipArg::kIgnored},
    {"--retries", PipArg::kIgnored},
    {"--timeout", PipArg::kIgnored},
    {"--exists-action", PipArg::kIgnored},
    {"--cert", PipArg::kIgnored},
    {"--client-cert", PipArg::kIgnored},
    {"--cache-dir", PipArg::kIgnored},
    {"--log", PipArg::kIgnored},
    {"--report", PipArg::kIgnored},
    {"--root-user-action", PipArg::kIgnored},
    {"--python", PipArg::kIgnored},
    {"--index", PipArg::kIgnored},
    {"--default-index", PipArg::kIgnored},
    {"--extra-index", PipArg::kIgnored},
};

// Options without an argument that requirements files and pip install accept.
constexpr std::string_view kPipFlags[] = {
    "--pre",
    "--no-index",
    "--prefer-binary",
    "--require-hashes",
    "--upgrade",
    "-U",
    "--user",
    "--no-deps",
    "--force-reinstall",
    "--ignore-installed",
    "-I",
    "--no-cache-dir",
    "--no-build-isolation",
    "--quiet",
    "--verbose",
    "--break-system-packages",
    "--no-warn-script-location",
    "--no-warn-conflicts",
    "--disable-pip-version-check",
    "--no-color",
    "--isolated",
    "--system",
    "--compile",
    "--no-compile",
    "--no-clean",
    "--ignore-requires-python",
    "--use-pep517",
    "--no-use-pep517",
    "--dry-run",
    "--yes",
    "-y",
};

const PipOption* FindPipOption(std::string_view name) {
  for (const PipOption& o : kPipOptions) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

bool IsPipFlag(std::string_view name) {
  if (std::find(std::begin(kPipFlags), std::end(kPipFlags), name) != std::end(kPipFlags)) {
    return true;
  }
  // -q, -qq, -v, -vvv, and clusters of such letters ("-qU").
  if (name.size() >= 2 && name[0] == '-' && name[1] != '-') {
    return std::all_of(name.begin() + 1, name.end(),
                       [](char c) { return c == 'q' || c == 'v' || c == 'U' || c == 'I'; });
  }
  return false;
}

// Applies option `o` with argument `arg`.
void ApplyPipOption(const PipOption& o, std::string_view arg, size_t line, DependencyParse* out) {
  arg = Unquote(arg);
  switch (o.arg) {
    case PipArg::kRequirementFile:
      if (!arg.empty()) out->requirement_files.emplace_back(arg);
      break;
    case PipArg::kEditable:
      AddRequirement(arg, line, out);
      break;
    case PipArg::kNone:
    case PipArg::kIgnored:
    case PipArg::kConstraintFile:
      break;
  }
}

// Splits a line into words at whitespace, keeping quoted parts ('...' and "...") together and
// without their quotes.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word.push_back(c);
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < s.size()) {
      word.push_back(s[++i]);
      in_word = true;
    } else if (IsSpace(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// One logical line of a requirements file.
void ParseRequirementLine(std::string_view line, size_t number, DependencyParse* out) {
  line = Trim(line);
  if (line.empty()) return;
  if (line[0] != '-') {
    // Options after a requirement ("numpy --hash=sha256:..."): not part of it.
    for (size_t i = 1; i + 1 < line.size(); ++i) {
      if (IsSpace(line[i - 1]) && line[i] == '-' && line[i + 1] == '-') {
        line = Trim(line.substr(0, i));
        break;
      }
    }
    AddRequirement(line, number, out);
    return;
  }
  std::vector<std::string> words = Words(line);
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    if (w.empty() || w[0] != '-') {
      out->problems.push_back(
          LineProblem(number, StrCat("unexpected '", Excerpt(w), "' after an option")));
      return;
    }
    size_t eq = w.find('=');
    if (StartsWith(w, "--") && eq != std::string_view::npos) {
      const PipOption* o = FindPipOption(w.substr(0, eq));
      if (o != nullptr) {
        ApplyPipOption(*o, w.substr(eq + 1), number, out);
        continue;
      }
    }
    if (IsPipFlag(w)) continue;
    if (const PipOption* o = FindPipOption(w)) {
      if (i + 1 >= words.size()) {
        out->problems.push_back(LineProblem(number, StrCat("option ", w, " needs an argument")));
        return;
      }
      ApplyPipOption(*o, words[++i], number, out);
      continue;
    }
    // A short option with its argument attached: "-rrequirements.txt".
    if (w.size() > 2 && w[1] != '-') {
      if (const PipOption* o = FindPipOption(w.substr(0, 2))) {
        ApplyPipOption(*o, w.substr(2), number, out);
        continue;
      }
    }
    out->problems.push_back(LineProblem(number, StrCat("unknown option '", Excerpt(w), "'")));
    return;
  }
}

}  // namespace deps_internal
}  // namespace cellflow
