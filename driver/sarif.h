// SARIF 2.1.0 for code scanning, written as a stream: a header with the rule table, one result
// per line as files finish, and a footer. Regions point into the raw file (for .ipynb, the JSON
// line that holds the source line), so GitHub shows each alert on the right line.
#ifndef CELLFLOW_DRIVER_SARIF_H_
#define CELLFLOW_DRIVER_SARIF_H_

#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"

#include "driver/analyze.h"
#include "driver/notebook.h"

namespace cellflow {

// `path` as a URI reference relative to the absolute directory `repo_root`: '/' separators,
// percent-encoded outside RFC 3986's path characters, ".." segments when it lies outside.
std::string SarifRelativeUri(const std::string& path, const std::string& repo_root);

// The document up to the opening of the results array; `repo_root` absolute.
void AppendSarifHeader(const std::string& repo_root, std::string* out);

// Closes the results array, the run and the document.
void AppendSarifFooter(bool execution_successful, std::string* out);

// Counts findings that look alike within one file, so that their fingerprints stay distinct.
using SarifFingerprintCounts = absl::flat_hash_map<uint64_t, uint32_t>;

// One result object on one line (no separator, no newline). `uri` from SarifRelativeUri.
void AppendSarifResult(std::string_view uri, const Finding& f, bool is_script,
                       SarifFingerprintCounts* counts, std::string* out);

// An NB002 result for a file that is not a readable notebook.
void AppendSarifInvalidNotebook(std::string_view uri, std::string_view message,
                                const ReadErrorPosition& where, std::string* out);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_SARIF_H_
