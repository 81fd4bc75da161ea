// Which PyPI distribution provides an import: the table of data/import_names.tsv, compiled in.
#ifndef CELLFLOW_PASSES_DISTRIBUTIONS_H_
#define CELLFLOW_PASSES_DISTRIBUTIONS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cellflow {

// PEP 503 normalization of a distribution name: lowercase, and every run of '-', '_' and '.'
// becomes one '-' ("Ruamel.YAML" → "ruamel-yaml", "typing_extensions" → "typing-extensions").
std::string NormalizeDistributionName(std::string_view name);

// True if the normalized distribution name `distribution` is the import name `module` written
// with separators ("colab-xterm" for colabxterm, "py-spy" for pyspy; not "numpy" for numpy):
// many projects name their module so.
bool SameWithoutSeparators(std::string_view distribution, std::string_view module);

// Where an import comes from when no dependency file has to declare it.
enum class ImportEnvironment {
  kNone,     // installed like any other distribution
  kKernel,   // installed wherever a Jupyter kernel runs (IPython, ipykernel, traitlets, ...)
  kColab,    // only on Google Colab (google.colab)
  kKaggle,   // only in Kaggle notebooks (kaggle_secrets, kaggle_datasets)
  kPyodide,  // only in Pyodide, JupyterLite's in-browser Python (piplite, micropip, js)
};

// One row of the table.
struct ImportNameEntry {
  std::string_view import_name;    // a top-level module or a dotted prefix ("google.cloud.storage")
  std::string_view distributions;  // PyPI names separated by ','; the usual one first; may be empty
  ImportEnvironment environment = ImportEnvironment::kNone;

  // Shared namespaces ("google", "azure.mgmt") and environment-only modules have none.
  bool HasDistribution() const { return !distributions.empty(); }
};

// The row for `module` (a dotted import name): the longest listed prefix of it that ends at a
// dot or at the end ("google.cloud.storage.blob" → the "google.cloud.storage" row), a versioned
// API module counting as its unversioned name ("google.cloud.vision_v1p3beta1" → the
// "google.cloud.vision" row); null if none is listed.
// Relative imports (a leading '.') have none.
const ImportNameEntry* FindImportName(std::string_view module);

// The distribution that usually provides `module` ("sklearn.linear_model" → "scikit-learn",
// "google.cloud.storage.blob" → "google-cloud-storage"), as PyPI spells it; empty if unknown or
// if the longest listed prefix is a shared namespace ("google.cloud.unknown").
std::string_view DistributionForImport(std::string_view module);

// Every distribution known to provide `module`, the usual one first ("cv2" → opencv-python,
// opencv-python-headless, opencv-contrib-python, ...). Empty if unknown.
std::vector<std::string_view> DistributionsForImport(std::string_view module);

// A project among PyPI's most downloaded (data/popular_distributions.txt) whose module is the
// top-level name of `module` ("plotly_resampler.aggregation" → "plotly-resampler"), for the
// modules the table does not list: compared with the project's name made lower case, its '-'
// and '.' made '_'. Empty if none. Not "did you mean" candidates.
std::string_view PopularDistributionForImport(std::string_view module);

// True if `module` or one of its dotted prefixes is in the table, namespaces included. The
// table also lists modules that later Python versions dropped from the standard library and
// PyPI brings back ("imghdr", "distutils"): check the standard library first.
bool IsKnownThirdParty(std::string_view module);

// The environment that provides `module` without a declaration (kNone for most).
ImportEnvironment EnvironmentForImport(std::string_view module);

// Number of rows in the table.
size_t ImportNameCount();

// The top-level names of the table (no dots), sorted: candidates for "did you mean".
const std::vector<std::string_view>& KnownTopLevelImports();

// The module a distribution is imported as, when a notebook imports the distribution's name
// instead ("pillow" → "PIL", "beautifulsoup4" → "bs4", "PyYAML" → "yaml"; compared after PEP 503
// normalization); empty when the table has no such distribution or its module has its name.
std::string_view ImportNameOfDistribution(std::string_view name);

// The distributions known to require `distribution` when installed (their unconditional runtime
// dependencies, from their package metadata: "pandas" requires "numpy"), as normalized names in
// a fixed order; empty when none is known. `distribution` is compared after normalization.
std::span<const std::string_view> DistributionsRequiring(std::string_view distribution);

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_DISTRIBUTIONS_H_
