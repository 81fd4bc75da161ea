// Writing JSON output: string escaping shared by every JSON-emitting command.
#ifndef CELLFLOW_DRIVER_JSON_OUT_H_
#define CELLFLOW_DRIVER_JSON_OUT_H_

#include <string>
#include <string_view>

namespace cellflow {

// Appends `s` as a JSON string literal (quotes included). Invalid UTF-8 bytes become U+FFFD, so
// the output is always valid JSON.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_JSON_OUT_H_
