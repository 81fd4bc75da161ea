// Settings for `cellflow check` and `cellflow stats` kept in a project's pyproject.toml, in a
// [tool.cellflow] table whose keys are the long options without their dashes:
//
//   [tool.cellflow]
//   select = ["NB1", "NB201"]
//   ignore = ["NB302"]
//   exclude = ["drafts", "*.nbconvert.ipynb"]
//   target-version = "3.11"        # or "py311"
//   order = "file"
//   include-py = false
//   strict-deps = false
//   requirements = ["requirements/base.txt"]   # paths relative to the pyproject.toml
//   path = ["src"]
//   site-packages = []
//
// An option given on the command line wins over the file.
#ifndef CELLFLOW_DRIVER_CONFIG_H_
#define CELLFLOW_DRIVER_CONFIG_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/check.h"

namespace cellflow {

struct ConfigFile {
  std::string path;  // the file the settings come from; empty when there is none
  std::optional<std::vector<std::string>> select, ignore, exclude;
  std::optional<std::string> target_version;  // "3.8" .. "3.13"
  std::optional<std::string> order;           // "file" | "executed"
  std::optional<bool> include_py, strict_deps;
  // Made absolute against the directory of `path`.
  std::optional<std::vector<std::string>> requirements, paths, site_packages;
};

// Reads the [tool.cellflow] table of `file` (a file without one gives no settings). False, with
// *error ("FILE:LINE: ..."), when the file cannot be read or is not TOML (*not_toml set, when
// given), or when a key is unknown or its value of the wrong kind.
bool ReadConfigFile(const std::string& file, ConfigFile* out, std::string* error,
                    bool* not_toml = nullptr);

// The nearest pyproject.toml with a [tool.cellflow] table in `dir` or a directory above it,
// read as ReadConfigFile does. Finding none is no error: out->path stays empty. A
// pyproject.toml that is not TOML is passed over, with a line in *warnings: it may be another
// tool's file that is broken.
bool FindConfigFile(const std::string& dir, ConfigFile* out, std::string* error,
                    std::vector<std::string>* warnings);

// Puts the settings of `config` into `options` for each option the command line did not give
// (`given("--select")` false, and so on).
void ApplyConfig(const ConfigFile& config,
                 const std::function<bool(std::string_view option)>& given, CheckOptions* options);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_CONFIG_H_
