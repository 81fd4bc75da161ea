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

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_REPORT_H_
