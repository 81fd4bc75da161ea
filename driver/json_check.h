// A plain JSON validator that says where and why a document is not JSON. Used only after the
// fast parser has failed, to turn its error code into a message with a position.
#ifndef CELLFLOW_DRIVER_JSON_CHECK_H_
#define CELLFLOW_DRIVER_JSON_CHECK_H_

#include <string>
#include <string_view>

namespace cellflow {

struct JsonProblem {
  size_t offset = 0;       // byte offset of the offending character (text.size() at end of input)
  std::string message;     // e.g. "expected ',' or '}' after an object member"
  bool truncated = false;  // the text ended inside the document
};

// Checks `text` against RFC 8259 (one value, optional surrounding white space). Returns true and
// fills *problem at the first error; false if the text is valid. Iterative: any nesting depth.
bool FindJsonError(std::string_view text, JsonProblem* problem);

}  // namespace cellflow

#endif  // CELLFLOW_DRIVER_JSON_CHECK_H_
