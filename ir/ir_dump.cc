// Listing of blocks, edges and resolved instructions.
#include "ir/ir_dump.h"

#include "ir/dataflow.h"

namespace cellflow {
namespace {

std::string Version(const Unit& unit, DefId d) {
  const Definition& def = unit.defs[d];
  std::string name(unit.names[def.name]);
  switch (def.kind) {
    case DefKind::kUndefined:
      return name + ".undef";
    case DefKind::kExternal:
      return name + ".outer";
    case DefKind::kDelete:
      return name + "." + std::to_string(d) + "(deleted)";
    default:
      return name + "." + std::to_string(d);
  }
}

}  // namespace

void DumpUnit(Unit* unit, const std::function<std::string(Offset)>& where, std::ostream& out) {
  ReachingDefinitions rd(unit);
  static constexpr const char* kKinds[] = {"module", "function", "lambda"};
  out << kKinds[static_cast<int>(unit->kind)] << " " << unit->name << "\n";
  for (BlockId b = 0; b < unit->blocks.size(); ++b) {
    const Block& block = unit->blocks[b];
    if (!rd.Reachable(b) && block.instrs.empty()) continue;
    out << "  block " << b;
    if (b == 0) out << " (entry)";
    if (b == unit->exit) out << " (exit)";
    if (!rd.Reachable(b)) out << " (unreachable)";
    if (!block.preds.empty()) {
      out << " <-";
      for (BlockId p : block.preds) out << " " << p;
    }
    out << "\n";
    for (const Instr& instr : block.instrs) {
      switch (instr.kind) {
        case InstrKind::kDef: {
          const Definition& d = unit->defs[instr.id];
          if (d.kind == DefKind::kUndefined || d.kind == DefKind::kExternal) {
            out << "    " << Version(*unit, instr.id) << "\n";
            break;
          }
          out << "    " << (d.kind == DefKind::kDelete ? "del " : "def ")
              << Version(*unit, instr.id);
          if (d.kind == DefKind::kParam) out << " (param)";
          out << "  @" << where(d.site.start) << "\n";
          break;
        }
        case InstrKind::kUse: {
          const Use& u = unit->uses[instr.id];
          out << "    use " << unit->names[u.name] << " <- {";
          for (size_t i = 0; i < u.reaching.size(); ++i) {
            out << (i > 0 ? ", " : "") << Version(*unit, u.reaching[i]);
          }
          out << "}";
          if (u.flags & kInstrGuarded) out << " guarded";
          out << "  @" << where(u.site.start) << "\n";
          break;
        }
        case InstrKind::kCall:
          out << "    call " << unit->names[instr.name];
          if (instr.flags & kInstrMethod) {
            out << ((instr.flags & kInstrOnInstance) ? "()." : ".") << unit->call_attrs[instr.id];
          }
          out << "  @" << where(instr.site.start) << "\n";
          break;
      }
    }
    if (!block.succs.empty()) {
      out << "    ->";
      for (BlockId s : block.succs) out << " " << s;
      out << "\n";
    }
  }
}

}  // namespace cellflow
