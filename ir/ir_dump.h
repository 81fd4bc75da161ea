// A readable listing of IR units for `cellflow dump ir`.
#ifndef CELLFLOW_IR_IR_DUMP_H_
#define CELLFLOW_IR_IR_DUMP_H_

#include <functional>
#include <ostream>
#include <string>

#include "ir/ir.h"

namespace cellflow {

// Prints the unit's blocks, edges and instructions; definitions as name.N (N its DefId), reads
// with the versions that reach them (`undef` for the entry version). Solves the unit first.
void DumpUnit(Unit* unit, const std::function<std::string(Offset)>& where, std::ostream& out);

}  // namespace cellflow

#endif  // CELLFLOW_IR_IR_DUMP_H_
