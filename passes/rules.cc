// The rule table, expanded from rules.def.
#include "passes/rules.h"

namespace cellflow {
namespace {

constexpr RuleInfo kRules[] = {
#define RULE(id, code, name, severity, precision, summary, description) \
  {RuleId::id, code, name, Severity::severity, precision, summary, description},
#include "passes/rules.def"
};

}  // namespace

std::span<const RuleInfo> AllRules() { return kRules; }

const RuleInfo& GetRule(RuleId id) { return kRules[static_cast<size_t>(id)]; }

const RuleInfo* FindRule(std::string_view code_or_name) {
  for (const RuleInfo& r : kRules) {
    if (r.code == code_or_name || r.name == code_or_name) return &r;
  }
  return nullptr;
}

std::string_view RuleCategory(const RuleInfo& rule) {
  switch (rule.code[2]) {
    case '0':
      return "input";
    case '1':
      return "names";
    case '2':
      return "imports";
    default:
      return "execution-order";
  }
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

}  // namespace cellflow
