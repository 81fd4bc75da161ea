// The rule registry: one entry per row of rules.def.
#ifndef CELLFLOW_PASSES_RULES_H_
#define CELLFLOW_PASSES_RULES_H_

#include <span>
#include <string_view>

namespace cellflow {

enum class Severity : uint8_t { kError, kWarning, kNote };

enum class RuleId : uint8_t {
#define RULE(id, code, name, severity, precision, summary, description) id,
#include "passes/rules.def"
};

struct RuleInfo {
  RuleId id;
  std::string_view code;  // "NB101"
  std::string_view name;  // "undefined-name"
  Severity severity;
  std::string_view precision;  // SARIF: "very-high" | "high" | "medium" | "low"
  std::string_view summary;
  std::string_view description;  // markdown
};

std::span<const RuleInfo> AllRules();
const RuleInfo& GetRule(RuleId id);
// By code ("NB101") or name ("undefined-name"); null if unknown.
const RuleInfo* FindRule(std::string_view code_or_name);
std::string_view SeverityName(Severity s);
// "input" (NB0xx), "names" (NB1xx), "imports" (NB2xx), "execution-order" (NB3xx).
std::string_view RuleCategory(const RuleInfo& rule);  // "error", "warning", "note"

}  // namespace cellflow

#endif  // CELLFLOW_PASSES_RULES_H_
