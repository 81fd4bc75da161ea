// The module-level names whose method calls the name rules check (NB106 at `model.fit()`).
#ifndef CELLFLOW_IR_RECEIVERS_H_
#define CELLFLOW_IR_RECEIVERS_H_

#include <span>
#include <string_view>
#include <vector>

#include "ir/lower.h"

namespace cellflow {

// The classes the cells define and the names they assign an instance of one (`model = Net()`),
// in module-level code and the blocks in it (not in functions or classes), sorted and unique.
// Most notebooks define no class: the result is empty and no method call is checked.
std::vector<std::string_view> MethodReceivers(std::span<const CodeCell> cells);

}  // namespace cellflow

#endif  // CELLFLOW_IR_RECEIVERS_H_
