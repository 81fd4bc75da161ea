// [tool.cellflow] in pyproject.toml, read with toml++.
#include "driver/config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include <toml++/toml.h>

#include "driver/dir_listing.h"

namespace cellflow {
namespace {

namespace fs = std::filesystem;

// "FILE:LINE: message".
std::string At(const std::string& file, const toml::node& node, std::string_view message) {
  return StrCat(file, ":", static_cast<size_t>(node.source().begin.line), ": ", message);
}

bool StringList(const std::string& file, std::string_view key, const toml::node& node,
                std::vector<std::string>* out, std::string* error) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    *error = At(file, node, StrCat("'", key, "' must be an array of strings"));
    return false;
  }
  out->clear();
  for (const toml::node& element : *array) {
    const auto* s = element.as_string();
    if (s == nullptr) {
      *error = At(file, element, StrCat("'", key, "' must be an array of strings"));
      return false;
    }
    out->push_back(s->get());
  }
  return true;
}

// The string `node` holds; empty when it holds something else.
std::string StringOf(const toml::node& node) {
  const auto* s = node.as_string();
  return s == nullptr ? std::string() : s->get();
}

// `value` (read from `node`) if it is one of `allowed`, else an error at `node`.
bool OneOf(const std::string& file, std::string_view key, const toml::node& node,
           const std::string& value, std::initializer_list<std::string_view> allowed,
           std::string* out, std::string* error) {
  for (std::string_view a : allowed) {
    if (value == a) {
      *out = value;
      return true;
    }
  }
  std::string list;
  for (std::string_view a : allowed) StrAppend(&list, list.empty() ? "" : ", ", "\"", a, "\"");
  *error = At(file, node, StrCat("'", key, "' must be one of ", list));
  return false;
}

bool Bool(const std::string& file, std::string_view key, const toml::node& node, bool* out,
          std::string* error) {
  const auto* b = node.as_boolean();
  if (b == nullptr) {
    *error = At(file, node, StrCat("'", key, "' must be true or false"));
    return false;
  }
  *out = b->get();
  return true;
}

}  // namespace

bool ReadConfigFile(const std::string& file, ConfigFile* out, std::string* error, bool* not_toml) {
  *out = ConfigFile();
  if (not_toml != nullptr) *not_toml = false;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    *error = StrCat(file, ": cannot open file");
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  toml::table doc;
  try {
    doc = toml::parse(text.str(), file);
  } catch (const toml::parse_error& e) {
    *error = StrCat(file, ":", static_cast<size_t>(e.source().begin.line), ": ", e.description());
    if (not_toml != nullptr) *not_toml = true;
    return false;
  } catch (const std::exception& e) {
    *error = StrCat(file, ": cannot parse TOML: ", e.what());
    if (not_toml != nullptr) *not_toml = true;
    return false;
  }
  const toml::node* tool = doc.get("tool");
  const toml::node* node =
      tool != nullptr && tool->is_table() ? tool->as_table()->get("cellflow") : nullptr;
  if (node == nullptr) return true;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    *error = At(file, *node, "[tool.cellflow] must be a table");
    return false;
  }
  out->path = file;
  std::error_code cwd_error;  // no working directory: relative paths stay relative
  const std::string base = fs::path(AbsoluteNormalPath(file, fs::current_path(cwd_error).string()))
                               .parent_path()
                               .string();
  auto paths = [&](std::string_view key, const toml::node& value,
                   std::optional<std::vector<std::string>>* field) {
    std::vector<std::string> list;
    if (!StringList(file, key, value, &list, error)) return false;
    for (std::string& p : list) p = AbsoluteNormalPath(p, base);
    *field = std::move(list);
    return true;
  };
  for (const auto& [k, value] : *table) {
    const std::string_view key = k.str();
    bool ok = true;
    std::vector<std::string> list;
    std::string word;
    bool flag = false;
    if (key == "select" || key == "ignore" || key == "exclude") {
      ok = StringList(file, key, value, &list, error);
      (key == "select" ? out->select : key == "ignore" ? out->ignore : out->exclude) = list;
    } else if (key == "target-version") {
      // Ruff's spelling of a version ("py311") is taken too.
      std::string version = StringOf(value);
      if (version.size() >= 4 && version.starts_with("py3")) {
        version = StrCat("3.", std::string_view(version).substr(3));
      }
      ok = OneOf(file, key, value, version, {"3.8", "3.9", "3.10", "3.11", "3.12", "3.13"}, &word,
                 error);
      out->target_version = word;
    } else if (key == "order") {
      ok = OneOf(file, key, value, StringOf(value), {"file", "executed"}, &word, error);
      out->order = word;
    } else if (key == "include-py" || key == "strict-deps") {
      ok = Bool(file, key, value, &flag, error);
      (key == "include-py" ? out->include_py : out->strict_deps) = flag;
    } else if (key == "requirements") {
      ok = paths(key, value, &out->requirements);
    } else if (key == "path") {
      ok = paths(key, value, &out->paths);
    } else if (key == "site-packages") {
      ok = paths(key, value, &out->site_packages);
    } else {
      *error = At(file, value, StrCat("unknown key '", key, "' in [tool.cellflow]"));
      ok = false;
    }
    if (!ok) return false;
  }
  return true;
}

bool FindConfigFile(const std::string& dir, ConfigFile* out, std::string* error,
                    std::vector<std::string>* warnings) {
  *out = ConfigFile();
  std::error_code ec;
  fs::path at = fs::absolute(dir, ec);
  if (ec) return true;
  for (at = at.lexically_normal();; at = at.parent_path()) {
    const fs::path candidate = at / "pyproject.toml";
    if (fs::is_regular_file(candidate, ec)) {
      bool not_toml = false;
      if (ReadConfigFile(candidate.string(), out, error, &not_toml)) {
        if (!out->path.empty()) return true;
      } else if (not_toml) {
        // Only where the broken file may hold settings: one without the table's name loses
        // none (its dependencies, if it is beside a checked notebook, are reported apart).
        std::ifstream in(candidate, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (text.str().find("tool.cellflow") != std::string::npos) {
          warnings->push_back(StrCat(*error, " (its [tool.cellflow] settings not read)"));
        }
      } else {
        return false;
      }
    }
    if (at == at.parent_path()) return true;
  }
}

void ApplyConfig(const ConfigFile& config,
                 const std::function<bool(std::string_view option)>& given, CheckOptions* options) {
  auto set = [&](std::string_view option, const auto& value, auto* field) {
    if (value && !given(option)) *field = *value;
  };
  set("--select", config.select, &options->select);
  set("--ignore", config.ignore, &options->ignore);
  set("--exclude", config.exclude, &options->exclude);
  set("--target-version", config.target_version, &options->target_version);
  set("--order", config.order, &options->order);
  set("--include-py", config.include_py, &options->include_py);
  set("--strict-deps", config.strict_deps, &options->strict_deps);
  set("--requirements", config.requirements, &options->requirements);
  set("--path", config.paths, &options->paths);
  set("--site-packages", config.site_packages, &options->site_packages);
}

}  // namespace cellflow
