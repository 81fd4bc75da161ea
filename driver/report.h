// Reporters: compiler-style text and JSON lines for findings.
#ifndef CELLFLOW_DRIVER_REPORT_H_
#define CELLFLOW_DRIVER_REPORT_H_

#include <string>

#include "driver/analyze.h"

namespace cellflow {

// path:cell 3:2:7: error: name 'x' is not defined [NB101]
//     print(x)
//           ^
//   help: did you mean 'y'?
void AppendFindingText(const std::string& path, const Finding& f, bool color, std::string* out);

// One JSON object (and a newline) with the fields of DESIGN.md "Output formats".
void AppendFindingJson(const std::string& path, const Finding& f, bool is_script, std::string* out);

// The NB002 object of the JSON formats for a file that is not a readable notebook.
void AppendInvalidNotebookJson(const std::string& path, std::string_view message,
                               const ReadErrorPosition& where, std::string* out);

// A GitHub Actions workflow command that annotates the raw file's line:
// ::error file=nb.ipynb,line=41,title=NB101 undefined-name::name 'x' is not defined
void AppendFindingGithub(const std::string& path, const Finding& f, bool is_script,
                         std::string* out);

// The same for a file that is not a readable notebook (NB002); `line` 0 when unknown.
void AppendInvalidNotebookGithub(const std::string& path, std::string_view message, uint32_t line,
                                 std::string* out);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_REPORT_H_
