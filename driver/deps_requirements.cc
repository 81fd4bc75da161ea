// requirements.txt files and install commands written in cells (%pip install, !conda install).
#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "driver/deps.h"
#include "driver/deps_internal.h"
#include "lexer/str_util.h"

namespace cellflow {

using deps_internal::AddCondaSpec;
using deps_internal::AddRequirement;
using deps_internal::ApplyPipOption;
using deps_internal::EndsWith;
using deps_internal::FindPipOption;
using deps_internal::IsDigit;
using deps_internal::IsPipFlag;
using deps_internal::IsSpace;
using deps_internal::Lines;
using deps_internal::ParseRequirementLine;
using deps_internal::PipOption;
using deps_internal::StartsWith;
using deps_internal::StripHashComment;

DependencyParse ParseRequirementsTxt(std::string_view text) {
  DependencyParse out;
  std::vector<std::string_view> lines = Lines(text);
  std::string logical;
  size_t first = 0;  // line number where `logical` starts; 0 when it is empty
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (first == 0) {
      first = i + 1;
      // A comment line ends here even if it ends with a backslash.
      if (!Trim(line).empty() && Trim(line)[0] == '#') {
        first = 0;
        continue;
      }
    }
    if (!line.empty() && line.back() == '\\') {
      logical.append(line.substr(0, line.size() - 1));
      continue;
    }
    logical.append(line);
    ParseRequirementLine(StripHashComment(logical), first, &out);
    logical.clear();
    first = 0;
  }
  if (first != 0) ParseRequirementLine(StripHashComment(logical), first, &out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Install commands in cells

namespace {

// A shell word with the separator that ends its command, if it is one.
struct ShellWord {
  std::string text;
  bool separator = false;  // &&, ||, ;, | or a newline
  bool redirect = false;   // >, >>, 2>, <, &> and their targets when attached
};

// Splits a command line into words and command separators, with quotes removed.
std::vector<ShellWord> ShellWords(std::string_view s) {
  std::vector<ShellWord> words;
  ShellWord word;
  bool in_word = false;
  char quote = 0;
  auto end_word = [&] {
    if (in_word) {
      char c = word.text.empty() ? 0 : word.text[0];
      word.redirect = c == '>' || c == '<' || StartsWith(word.text, "2>") ||
                      StartsWith(word.text, "1>") || StartsWith(word.text, "&>");
      words.push_back(std::move(word));
    }
    word = ShellWord();
    in_word = false;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else {
        word.text.push_back(c);
      }
      continue;
    }
    if (c == '#' && !in_word) {  // a comment, to the end of the line
      while (i + 1 < s.size() && s[i + 1] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < s.size()) {
      ++i;
      if (s[i] != '\n') {
        word.text.push_back(s[i]);
        in_word = true;
      }
    } else if (c == ';' || c == '\n' || c == '|' ||
               (c == '&' && i + 1 < s.size() && s[i + 1] == '&')) {
      end_word();
      if (c == '&' || (c == '|' && i + 1 < s.size() && s[i + 1] == '|')) ++i;
      words.push_back({"", true, false});
    } else if (IsSpace(c)) {
      end_word();
    } else {
      word.text.push_back(c);
      in_word = true;
    }
  }
  end_word();
  return words;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// "pip", "pip3", "pip3.11".
bool IsPipProgram(std::string_view p) {
  if (!StartsWith(p, "pip")) return false;
  return std::all_of(p.begin() + 3, p.end(), [](char c) { return IsDigit(c) || c == '.'; });
}

// "python", "python3", "python3.11", "py", "{sys.executable}", "$PYTHON".
bool IsPythonProgram(std::string_view p) {
  if (p.find("sys.executable") != std::string_view::npos) return true;
  if (p == "py" || p == "$PYTHON" || p == "${PYTHON}") return true;
  if (!StartsWith(p, "python")) return false;
  return std::all_of(p.begin() + 6, p.end(), [](char c) { return IsDigit(c) || c == '.'; });
}

// Words of a cell command that IPython would expand ({var}, $var): their value is unknown.
bool IsExpansion(std::string_view w) {
  return w.find('{') != std::string_view::npos || w.find('$') != std::string_view::npos;
}

void ReadPipInstall(const std::vector<std::string>& args, DependencyParse* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view w = args[i];
    if (w.empty()) continue;
    if (w == "--") {
      for (++i; i < args.size(); ++i) {
        if (!IsExpansion(args[i])) AddRequirement(args[i], 1, out);
      }
      break;
    }
    if (w[0] != '-') {
      if (!IsExpansion(w)) AddRequirement(w, 1, out);
      continue;
    }
    size_t eq = w.find('=');
    if (StartsWith(w, "--") && eq != std::string_view::npos) {
      if (const PipOption* o = FindPipOption(w.substr(0, eq))) {
        ApplyPipOption(*o, w.substr(eq + 1), 1, out);
      }
      continue;
    }
    if (IsPipFlag(w)) continue;
    if (const PipOption* o = FindPipOption(w)) {
      if (i + 1 < args.size()) {
        if (!IsExpansion(args[i + 1])) ApplyPipOption(*o, args[i + 1], 1, out);
        ++i;
      }
      continue;
    }
    if (w.size() > 2 && w[1] != '-') {
      if (const PipOption* o = FindPipOption(w.substr(0, 2))) {
        ApplyPipOption(*o, w.substr(2), 1, out);
        continue;
      }
    }
    // Any other option is taken for a flag.
  }
}

// conda/mamba options that take an argument.
constexpr std::string_view kCondaOptionsWithArgument[] = {
    "-c",         "--channel",         "-n",       "--name",   "-p",
    "--prefix",   "--repodata-fn",     "--solver", "--subdir", "--platform",
    "--revision", "--override-frozen", "--file"};

void ReadCondaInstall(const std::vector<std::string>& args, DependencyParse* out) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view w = args[i];
    if (w.empty()) continue;
    if (w[0] != '-') {
      if (!IsExpansion(w)) AddCondaSpec(w, 1, out);
      continue;
    }
    std::string_view name = w.substr(0, w.find('='));
    bool takes_argument =
        std::find(std::begin(kCondaOptionsWithArgument), std::end(kCondaOptionsWithArgument),
                  name) != std::end(kCondaOptionsWithArgument);
    if (!takes_argument) continue;
    std::string_view arg;
    if (name.size() < w.size()) {
      arg = w.substr(name.size() + 1);
    } else if (i + 1 < args.size()) {
      arg = args[++i];
    }
    if (name == "--file" && !arg.empty()) out->requirement_files.emplace_back(arg);
  }
}

// One command (no separators): "pip install ...", "conda install ...".
void ReadInstallCommand(std::vector<std::string> words, DependencyParse* out) {
  size_t i = 0;
  // Leading environment assignments and wrappers: "FOO=1 sudo -H pip install".
  while (i < words.size()) {
    std::string_view w = words[i];
    if (w.find('=') != std::string_view::npos && w[0] != '-' && w.find('/') == std::string::npos) {
      ++i;
    } else if (w == "sudo" || w == "time" || w == "env" || w == "nohup" || w == "-H" || w == "-E") {
      ++i;
    } else {
      break;
    }
  }
  if (i >= words.size()) return;
  std::string_view program = words[i];
  while (!program.empty() && (program[0] == '!' || program[0] == '%')) program.remove_prefix(1);
  program = BaseName(program);
  ++i;
  enum class Tool { kPip, kConda } tool;
  if (IsPipProgram(program) || program == "pipenv") {
    tool = Tool::kPip;
  } else if (IsPythonProgram(program)) {
    // python [-q ...] -m pip ...
    while (i < words.size() && words[i] != "-m") ++i;
    if (i + 1 >= words.size() || words[i + 1] != "pip") return;
    i += 2;
    tool = Tool::kPip;
  } else if (program == "uv") {
    if (i < words.size() && words[i] == "pip") ++i;
    tool = Tool::kPip;
  } else if (program == "poetry") {
    tool = Tool::kPip;
  } else if (program == "conda" || program == "mamba" || program == "micromamba") {
    tool = Tool::kConda;
  } else {
    return;
  }
  // Global options before the subcommand ("pip -q install", "conda -y install").
  while (i < words.size() && !words[i].empty() && words[i][0] == '-') ++i;
  if (i >= words.size()) return;
  std::string_view sub = words[i];
  bool installs = sub == "install" || (tool == Tool::kConda && sub == "create") ||
                  ((program == "uv" || program == "poetry") && sub == "add");
  if (!installs) return;
  std::vector<std::string> args(words.begin() + i + 1, words.end());
  if (tool == Tool::kPip) {
    ReadPipInstall(args, out);
  } else {
    ReadCondaInstall(args, out);
  }
}

}  // namespace

DependencyParse ParseInstallCommand(std::string_view command) {
  DependencyParse out;
  std::vector<std::string> words;
  bool skip_next = false;
  auto finish = [&] {
    if (!words.empty()) ReadInstallCommand(std::move(words), &out);
    words.clear();
    skip_next = false;
  };
  for (ShellWord& w : ShellWords(command)) {
    if (w.separator) {
      finish();
    } else if (skip_next) {
      skip_next = false;
    } else if (w.redirect) {
      // "> /dev/null": the target is the next word; "2>&1", ">log" carry it.
      std::string_view t = w.text;
      size_t op = t.find_first_of("<>");
      std::string_view rest = t.substr(op + 1);
      if (!rest.empty() && rest[0] == '>') rest.remove_prefix(1);
      skip_next = rest.empty();
    } else {
      words.push_back(std::move(w.text));
    }
  }
  finish();
  // Problems of a command have no line: drop the "line 1: " prefix.
  for (std::string& p : out.problems) {
    if (StartsWith(p, "line 1: ")) p.erase(0, 8);
  }
  return out;
}

}  // namespace cellflow
