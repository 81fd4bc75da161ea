// pyproject.toml and Pipfile, read with toml++.
#include <optional>
#include <string>
#include <string_view>

#include <toml++/toml.h>

#include "driver/deps.h"
#include "driver/deps_internal.h"
#include "lexer/str_util.h"

namespace cellflow {

using deps_internal::AddCondaSpec;
using deps_internal::AddRequirement;
using deps_internal::Excerpt;
using deps_internal::LineProblem;
using deps_internal::Lower;
using deps_internal::NameResult;
using deps_internal::RequirementKind;
using deps_internal::RequirementResult;

// ---------------------------------------------------------------------------------------------
// TOML: pyproject.toml and Pipfile

namespace {

// Parses TOML. The Debian build of toml++ is a shared library built with exceptions, so a
// parse error arrives as toml::parse_error and becomes a problem here.
std::optional<toml::table> ParseToml(std::string_view text, DependencyParse* out) {
  try {
    return toml::parse(text);
  } catch (const toml::parse_error& e) {
    out->problems.push_back(LineProblem(e.source().begin.line, e.description()));
  } catch (const std::exception& e) {
    out->problems.push_back(StrCat("cannot parse TOML: ", e.what()));
  }
  return std::nullopt;
}

size_t LineOf(const toml::node& node) { return node.source().begin.line; }

// An array of PEP 508 strings; other elements (PEP 735 {include-group = ...}) are skipped.
void AddRequirementArray(const toml::node_view<const toml::node>& view, std::string_view what,
                         DependencyParse* out) {
  if (!view) return;
  const toml::array* array = view.as_array();
  if (array == nullptr) {
    out->problems.push_back(LineProblem(LineOf(*view.node()), StrCat(what, " is not an array")));
    return;
  }
  for (const toml::node& element : *array) {
    if (const auto* s = element.as_string()) {
      AddRequirement(s->get(), LineOf(element), out);
    } else if (!element.is_table()) {
      out->problems.push_back(LineProblem(LineOf(element), StrCat(what, ": not a string")));
    }
  }
}

// A table whose values are arrays of PEP 508 strings (optional-dependencies, groups).
void AddRequirementTable(const toml::node_view<const toml::node>& view, std::string_view what,
                         DependencyParse* out) {
  if (!view) return;
  const toml::table* table = view.as_table();
  if (table == nullptr) {
    out->problems.push_back(LineProblem(LineOf(*view.node()), StrCat(what, " is not a table")));
    return;
  }
  for (const auto& [key, value] : *table) {
    AddRequirementArray(toml::node_view<const toml::node>(value), what, out);
  }
}

// A table whose keys are distribution names (Poetry's dependencies, Pipfile's packages).
void AddNameTable(const toml::node_view<const toml::node>& view, std::string_view what,
                  DependencyParse* out) {
  if (!view) return;
  const toml::table* table = view.as_table();
  if (table == nullptr) {
    out->problems.push_back(LineProblem(LineOf(*view.node()), StrCat(what, " is not a table")));
    return;
  }
  for (const auto& [key, value] : *table) {
    std::string_view name = key.str();
    if (Lower(name) == "python") continue;
    RequirementResult r = NameResult(name);
    if (r.kind == RequirementKind::kName) {
      out->AddDistribution(std::move(r.name));
    } else {
      out->problems.push_back(LineProblem(key.source().begin.line,
                                          StrCat(what, ": not a name: '", Excerpt(name), "'")));
    }
  }
}

// pixi's conda dependencies: a table whose keys are conda package names.
void AddCondaTable(const toml::node_view<const toml::node>& view, DependencyParse* out) {
  const toml::table* table = view.as_table();
  if (table == nullptr) return;
  for (const auto& [key, value] : *table) AddCondaSpec(key.str(), key.source().begin.line, out);
}

// The requirement files a {file = "..."} or {file = [...]} value names.
void AddRequirementFiles(const toml::node_view<const toml::node>& files, DependencyParse* out) {
  if (const auto* one = files.as_string()) out->requirement_files.push_back(one->get());
  if (const toml::array* many = files.as_array()) {
    for (const toml::node& f : *many) {
      if (const auto* name = f.as_string()) out->requirement_files.push_back(name->get());
    }
  }
}

void AddProjectName(const toml::node_view<const toml::node>& view, DependencyParse* out) {
  if (const auto* s = view.as_string()) {
    out->names_project = true;
    RequirementResult r = NameResult(Trim(s->get()));
    if (r.kind == RequirementKind::kName) out->AddProjectName(std::move(r.name));
  }
}

}  // namespace

DependencyParse ParsePyprojectToml(std::string_view text) {
  DependencyParse out;
  std::optional<toml::table> doc = ParseToml(text, &out);
  if (!doc) return out;
  const toml::table& t = *doc;
  toml::node_view<const toml::node> root(t);
  // PEP 621.
  AddProjectName(root["project"]["name"], &out);
  AddRequirementArray(root["project"]["dependencies"], "project.dependencies", &out);
  AddRequirementTable(root["project"]["optional-dependencies"], "project.optional-dependencies",
                      &out);
  // PEP 735.
  AddRequirementTable(root["dependency-groups"], "dependency-groups", &out);
  auto setuptools = root["tool"]["setuptools"];
  // dynamic = ["dependencies"]: the build backend supplies them, from files named here
  // (setuptools' dynamic table, hatch-requirements-txt), or from code cellflow does not run.
  if (const toml::array* dynamic = root["project"]["dynamic"].as_array()) {
    for (const toml::node& d : *dynamic) {
      const auto* s = d.as_string();
      if (s == nullptr) continue;
      if (s->get() == "optional-dependencies") {
        // optional-dependencies.docs = {file = ["requirements/docs.txt"]}
        if (const toml::table* extras = setuptools["dynamic"]["optional-dependencies"].as_table()) {
          for (const auto& [extra, value] : *extras) {
            AddRequirementFiles(toml::node_view<const toml::node>(value)["file"], &out);
          }
        }
        continue;
      }
      if (s->get() != "dependencies") continue;
      size_t before = out.requirement_files.size();
      AddRequirementFiles(setuptools["dynamic"]["dependencies"]["file"], &out);
      AddRequirementFiles(root["tool"]["hatch"]["metadata"]["hooks"]["requirements_txt"]["files"],
                          &out);
      if (out.requirement_files.size() == before) out.requirements_unknown = true;
    }
  }
  // Where the packages are, when not beside the file or in src/.
  if (const toml::array* where = setuptools["packages"]["find"]["where"].as_array()) {
    for (const toml::node& w : *where) {
      if (const auto* s = w.as_string(); s != nullptr && s->get() != "." && !s->get().empty()) {
        out.package_roots.push_back(s->get());
      }
    }
  }
  if (const auto* dir = setuptools["package-dir"][""].as_string(); dir != nullptr) {
    if (!dir->get().empty()) out.package_roots.push_back(dir->get());
  }
  if (const toml::array* wheel =
          root["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"].as_array()) {
    // "lessons/utils" installs the package utils from lessons/.
    for (const toml::node& p : *wheel) {
      const auto* s = p.as_string();
      if (s == nullptr) continue;
      std::string_view path = s->get();
      size_t slash = path.rfind('/');
      if (slash != std::string_view::npos && slash > 0) {
        out.package_roots.emplace_back(path.substr(0, slash));
      }
    }
  }
  // Poetry.
  auto poetry = root["tool"]["poetry"];
  AddProjectName(poetry["name"], &out);
  if (const toml::array* packages = poetry["packages"].as_array()) {
    // [{include = "mypkg", from = "lib"}]
    for (const toml::node& p : *packages) {
      const auto* from = toml::node_view<const toml::node>(p)["from"].as_string();
      if (from != nullptr && !from->get().empty() && from->get() != ".") {
        out.package_roots.push_back(from->get());
      }
    }
  }
  AddNameTable(poetry["dependencies"], "tool.poetry.dependencies", &out);
  AddNameTable(poetry["dev-dependencies"], "tool.poetry.dev-dependencies", &out);
  if (const toml::table* groups = poetry["group"].as_table()) {
    for (const auto& [name, group] : *groups) {
      AddNameTable(toml::node_view<const toml::node>(group)["dependencies"],
                   "tool.poetry.group.dependencies", &out);
    }
  }
  // PDM and uv development dependencies.
  AddRequirementTable(root["tool"]["pdm"]["dev-dependencies"], "tool.pdm.dev-dependencies", &out);
  AddRequirementArray(root["tool"]["uv"]["dev-dependencies"], "tool.uv.dev-dependencies", &out);
  // Hatch's environments (`hatch run docs:build` installs their dependencies).
  if (const toml::table* envs = root["tool"]["hatch"]["envs"].as_table()) {
    for (const auto& [name, env] : *envs) {
      toml::node_view<const toml::node> e(env);
      AddRequirementArray(e["dependencies"], "tool.hatch.envs.dependencies", &out);
      AddRequirementArray(e["extra-dependencies"], "tool.hatch.envs.extra-dependencies", &out);
    }
  }
  // pixi: conda and PyPI dependencies, of the default environment and of each feature.
  auto pixi = root["tool"]["pixi"];
  AddCondaTable(pixi["dependencies"], &out);
  AddNameTable(pixi["pypi-dependencies"], "tool.pixi.pypi-dependencies", &out);
  if (const toml::table* features = pixi["feature"].as_table()) {
    for (const auto& [name, feature] : *features) {
      toml::node_view<const toml::node> f(feature);
      AddCondaTable(f["dependencies"], &out);
      AddNameTable(f["pypi-dependencies"], "tool.pixi.feature.pypi-dependencies", &out);
    }
  }
  return out;
}

DependencyParse ParsePipfile(std::string_view text) {
  DependencyParse out;
  std::optional<toml::table> doc = ParseToml(text, &out);
  if (!doc) return out;
  // [packages], [dev-packages] and any other package category; the other tables are settings.
  for (const auto& [key, value] : *doc) {
    std::string_view name = key.str();
    if (name == "source" || name == "requires" || name == "scripts" || name == "pipenv") continue;
    if (!value.is_table()) continue;
    AddNameTable(toml::node_view<const toml::node>(value), name, &out);
  }
  return out;
}

}  // namespace cellflow
