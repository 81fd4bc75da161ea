// Facts about the tests of if statements for the lowering: tests decided before running
// (constants, sys.version_info), tests that give the same answer when evaluated again, the
// names they read, first-iteration flags, the names a branch binds, and what reads of the
// namespace (`'x' in globals()`) tell.
#include "ir/conditions.h"

#include <algorithm>
#include <cctype>

#include "lexer/str_util.h"
#include "parser/ast_visitor.h"

namespace cellflow {

bool StableTest(const Expr* e) {
  switch (e->kind) {
    case ExprKind::kName:
    case ExprKind::kConstant:
      return true;
    case ExprKind::kAttribute:
      return StableTest(static_cast<const Attribute*>(e)->value);
    case ExprKind::kUnaryOp:
      return static_cast<const UnaryOp*>(e)->op == UnaryOpKind::kNot &&
             StableTest(static_cast<const UnaryOp*>(e)->operand);
    case ExprKind::kBoolOp:
      for (const Expr* v : static_cast<const BoolOp*>(e)->values) {
        if (!StableTest(v)) return false;
      }
      return true;
    case ExprKind::kCompare: {
      const auto* c = static_cast<const Compare*>(e);
      if (!StableTest(c->left)) return false;
      for (const Expr* v : c->comparators) {
        if (!StableTest(v)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

void TestNames(const Expr* e, std::vector<std::string_view>* out) {
  switch (e->kind) {
    case ExprKind::kName:
      out->push_back(static_cast<const Name*>(e)->id);
      return;
    case ExprKind::kAttribute:
      TestNames(static_cast<const Attribute*>(e)->value, out);
      return;
    case ExprKind::kUnaryOp:
      TestNames(static_cast<const UnaryOp*>(e)->operand, out);
      return;
    case ExprKind::kBoolOp:
      for (const Expr* v : static_cast<const BoolOp*>(e)->values) TestNames(v, out);
      return;
    case ExprKind::kCompare:
      TestNames(static_cast<const Compare*>(e)->left, out);
      for (const Expr* v : static_cast<const Compare*>(e)->comparators) TestNames(v, out);
      return;
    default:
      return;
  }
}

namespace {

void TargetNames(const Expr* target, std::vector<std::string_view>* out) {
  ForEachTargetName(target, [out](const Name* n) { out->push_back(n->id); });
}

}  // namespace

void BoundDirectly(StmtList body, std::vector<std::string_view>* out) {
  for (const Stmt* s : body) {
    if (const auto* a = s->As<AssignStmt>()) {
      for (const Expr* t : a->targets) TargetNames(t, out);
    } else if (const auto* g = s->As<AugAssignStmt>()) {
      TargetNames(g->target, out);
    } else if (const auto* an = s->As<AnnAssignStmt>()) {
      if (an->value != nullptr) TargetNames(an->target, out);
    } else if (const auto* f = s->As<FunctionDefStmt>()) {
      out->push_back(f->name);
    } else if (const auto* c = s->As<ClassDefStmt>()) {
      out->push_back(c->name);
    } else if (s->kind == StmtKind::kImport || s->kind == StmtKind::kImportFrom) {
      for (const Alias* a : ImportedNames(s)) {
        if (a->name != "*") out->push_back(BoundName(*a));
      }
    } else if (const auto* d = s->As<DeleteStmt>()) {
      std::vector<std::string_view> deleted;
      for (const Expr* t : d->targets) TargetNames(t, &deleted);
      std::erase_if(*out, [&](std::string_view n) {
        return std::find(deleted.begin(), deleted.end(), n) != deleted.end();
      });
    }
  }
}

std::string_view FlagTest(const Expr* test, bool* negated) {
  *negated = false;
  if (const auto* u = test->As<UnaryOp>(); u != nullptr && u->op == UnaryOpKind::kNot) {
    *negated = true;
    test = u->operand;
  }
  const auto* n = test->As<Name>();
  return n == nullptr ? std::string_view() : n->id;
}

bool ReadsItsArgumentsOnly(const Expr* func) {
  std::string_view f;
  if (const auto* n = func->As<Name>()) f = n->id;
  if (const auto* a = func->As<Attribute>()) f = a->attr;
  static constexpr std::string_view kReaders[] = {
      "all",  "any",    "copy",      "deepcopy", "dict",       "dumps", "enumerate",
      "eval", "filter", "frozenset", "id",       "isinstance", "iter",  "len",
      "list", "map",    "pformat",   "pprint",   "print",      "repr",  "reversed",
      "set",  "sorted", "str",       "tuple",    "type",       "zip"};
  for (std::string_view r : kReaders) {
    if (f == r) return true;
  }
  return false;
}

bool IsDictReader(std::string_view method) {
  return method == "get" || method == "keys" || method == "values" || method == "items" ||
         method == "copy" || method == "__contains__" || method == "__getitem__";
}

std::string_view StringConstantName(const Expr* e, std::string_view buffer) {
  const auto* k = e->As<Constant>();
  if (k == nullptr || k->value_kind != ConstantKind::kStr) return {};
  // A plain 'name' or "name": quotes around an identifier.
  std::string_view text = buffer.substr(k->range.start, k->range.end - k->range.start);
  if (text.size() < 3 || (text.front() != '\'' && text.front() != '"') ||
      text.back() != text.front()) {
    return {};
  }
  std::string_view name = text.substr(1, text.size() - 2);
  return LooksLikeIdentifier(name) ? name : std::string_view();
}

namespace {

// The identifier characters `text` starts with (empty unless the first can start a name).
std::string_view IdentifierStart(std::string_view text) {
  size_t n = 0;
  while (n < text.size() && (std::isalnum(static_cast<unsigned char>(text[n])) || text[n] == '_')) {
    ++n;
  }
  if (n == 0 || std::isdigit(static_cast<unsigned char>(text[0]))) return {};
  return text.substr(0, n);
}

// The start of a plain string literal's text ('df_%s', "df_{}"): after its quotes, unless a
// prefix (r, b, u, f) or an escape makes the text differ from the source.
std::string_view LiteralStart(const Expr* e, std::string_view buffer) {
  const auto* k = e->As<Constant>();
  if (k == nullptr || k->value_kind != ConstantKind::kStr) return {};
  std::string_view text = buffer.substr(k->range.start, k->range.end - k->range.start);
  if (text.empty() || (text.front() != '\'' && text.front() != '"')) return {};
  size_t quotes = text.size() >= 6 && text[1] == text[0] && text[2] == text[0] ? 3 : 1;
  return text.substr(quotes);
}

}  // namespace

std::string_view NamePrefix(const Expr* key, std::string_view buffer) {
  if (const auto* j = key->As<JoinedStr>()) {
    // The literal part of an f-string spans its text in the source (no quotes around it).
    const Constant* first = j->values.empty() ? nullptr : j->values.front()->As<Constant>();
    if (first == nullptr) return {};
    return IdentifierStart(
        buffer.substr(first->range.start, first->range.end - first->range.start));
  }
  if (const auto* b = key->As<BinOp>()) {
    if (b->op == BinOpKind::kAdd || b->op == BinOpKind::kMod) {
      return IdentifierStart(LiteralStart(b->left, buffer));
    }
    return {};
  }
  if (const auto* c = key->As<Call>()) {
    const auto* a = c->func->As<Attribute>();
    if (a != nullptr && a->attr == "format") return IdentifierStart(LiteralStart(a->value, buffer));
  }
  return {};
}

bool IsMainModule(const Expr* e, std::string_view buffer) {
  if (const auto* n = e->As<Name>()) return n->id == "__main__";
  const auto* sub = e->As<Subscript>();
  if (sub == nullptr) return false;
  const auto* modules = sub->value->As<Attribute>();
  const auto* sys = modules == nullptr ? nullptr : modules->value->As<Name>();
  if (sys == nullptr || sys->id != "sys" || modules->attr != "modules") return false;
  if (const auto* key = sub->slice->As<Name>()) return key->id == "__name__";
  return StringConstantName(sub->slice, buffer) == "__main__";
}

bool IsGlobalsDict(const Expr* e, std::string_view buffer, bool module_level) {
  if (e == nullptr) return false;
  if (const auto* a = e->As<Attribute>()) {
    return a->attr == "__dict__" && IsMainModule(a->value, buffer);
  }
  const auto* c = e->As<Call>();
  const auto* n = c == nullptr || !c->keywords.empty() ? nullptr : c->func->As<Name>();
  if (n == nullptr) return false;
  if (c->args.empty()) {
    return n->id == "globals" || (module_level && (n->id == "locals" || n->id == "vars"));
  }
  return c->args.size() == 1 && n->id == "vars" && IsMainModule(c->args[0], buffer);
}

bool IsNamespaceModule(const Expr* e, std::string_view buffer) {
  if (const auto* n = e->As<Name>();
      n != nullptr && (n->id == "builtins" || n->id == "__builtins__")) {
    return true;
  }
  return IsMainModule(e, buffer);
}

std::string_view NamespaceMembership(const Expr* test, std::string_view buffer, bool* negated) {
  *negated = false;
  while (const auto* u = test->As<UnaryOp>()) {
    if (u->op != UnaryOpKind::kNot) return {};
    *negated = !*negated;
    test = u->operand;
  }
  const auto* c = test->As<Compare>();
  if (c == nullptr || c->ops.size() != 1 ||
      (c->ops[0] != CmpOpKind::kIn && c->ops[0] != CmpOpKind::kNotIn)) {
    return {};
  }
  const Expr* space = c->comparators[0];
  const auto* dir = space->As<Call>();
  const auto* dir_name = dir == nullptr ? nullptr : dir->func->As<Name>();
  if (!IsGlobalsDict(space, buffer, true) && !(dir_name != nullptr && dir_name->id == "dir" &&
                                               dir->args.empty() && dir->keywords.empty())) {
    return {};
  }
  std::string_view name = StringConstantName(c->left, buffer);
  if (name.empty()) return {};
  if (c->ops[0] == CmpOpKind::kNotIn) *negated = !*negated;
  return name;
}

std::optional<bool> FlagAssigned(StmtList body, std::string_view flag) {
  for (const Stmt* s : body) {
    const auto* a = s->As<AssignStmt>();
    if (a == nullptr || a->targets.size() != 1) continue;
    const auto* target = a->targets[0]->As<Name>();
    if (target == nullptr || target->id != flag || a->value->As<Constant>() == nullptr) continue;
    return ConstantTruth(a->value);  // True, False, None; nothing for numbers and strings
  }
  return std::nullopt;
}

std::string_view TrySuccessFlag(const TryStmt* t, std::vector<std::string_view>* bound) {
  if (t->handlers.empty()) return {};
  // `NAME = True` (or another true constant) among `body`'s own statements, from the end.
  auto set_true = [](StmtList body, size_t* at) -> std::string_view {
    for (size_t i = body.size(); i-- > 0;) {
      const auto* a = body[i]->As<AssignStmt>();
      if (a == nullptr || a->targets.size() != 1 || a->value->As<Constant>() == nullptr) continue;
      const auto* n = a->targets[0]->As<Name>();
      if (n != nullptr && ConstantTruth(a->value) == true) {
        *at = i;
        return n->id;
      }
    }
    return {};
  };
  size_t at = 0;
  std::string_view flag = set_true(t->orelse, &at);
  size_t body_end = t->body.size();
  if (flag.empty()) {
    flag = set_true(t->body, &at);
    body_end = at;
  }
  if (flag.empty()) return {};
  for (const ExceptHandler* h : t->handlers) {
    if (FlagAssigned(h->body, flag) != false) return {};
  }
  if (FlagAssigned(t->finalbody, flag).has_value()) return {};
  const size_t from = bound->size();
  BoundDirectly(t->body.subspan(0, body_end), bound);
  std::erase(*bound, flag);
  return bound->size() > from ? flag : std::string_view();
}

namespace {

// `sys.version_info`.
bool IsVersionInfo(const Expr* e) {
  const auto* a = e->As<Attribute>();
  if (a == nullptr || a->attr != "version_info") return false;
  const auto* n = a->value->As<Name>();
  return n != nullptr && n->id == "sys";
}

// A small non-negative int literal's value, or -1.
int IntLiteral(const Expr* e, std::string_view buffer) {
  const auto* c = e->As<Constant>();
  if (c == nullptr || c->value_kind != ConstantKind::kInt) return -1;
  std::string_view text = buffer.substr(e->range.start, e->range.end - e->range.start);
  if (text.empty() || text.size() > 4) return -1;
  int v = 0;
  for (char ch : text) {
    if (ch < '0' || ch > '9') return -1;
    v = v * 10 + (ch - '0');
  }
  return v;
}

}  // namespace

bool IsGetIpythonCall(const Expr* e) {
  const auto* c = e->As<Call>();
  if (c == nullptr || !c->args.empty() || !c->keywords.empty()) return false;
  const auto* f = c->func->As<Name>();
  return f != nullptr && f->id == "get_ipython";
}

std::optional<std::string_view> PlainStringText(const Expr* e, std::string_view buffer) {
  const auto* k = e->As<Constant>();
  if (k == nullptr || k->value_kind != ConstantKind::kStr) return std::nullopt;
  std::string_view text = buffer.substr(e->range.start, e->range.end - e->range.start);
  if (text.size() < 2 || (text[0] != '\'' && text[0] != '"') || text.back() != text[0]) {
    return std::nullopt;
  }
  std::string_view inside = text.substr(1, text.size() - 2);
  // (a quote like the outer ones inside: pieces joined, 'a' 'b')
  if (inside.find(text[0]) != std::string_view::npos ||
      inside.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  return inside;
}

bool IsComparableLiteral(const Expr* e, std::string_view buffer) {
  const auto* c = e->As<Constant>();
  if (c == nullptr) return false;
  std::string_view text = buffer.substr(e->range.start, e->range.end - e->range.start);
  switch (c->value_kind) {
    case ConstantKind::kNone:
    case ConstantKind::kTrue:
    case ConstantKind::kFalse:
      return true;
    case ConstantKind::kInt:
      // Decimal digits (and underscores) without a leading zero: equal values, equal text.
      return !text.empty() && text[0] != '0' &&
             text.find_first_not_of("0123456789_") == std::string_view::npos;
    case ConstantKind::kStr:
      return PlainStringText(e, buffer).has_value();  // 'daily' or "daily"
    default:
      return false;
  }
}

namespace {

// Whether two IsComparableLiteral values are equal (`==`); nullopt where Python's answer is
// not the texts' (True == 1).
std::optional<bool> SameLiteral(const Expr* a, const Expr* b, std::string_view buffer) {
  const ConstantKind x = static_cast<const Constant*>(a)->value_kind;
  const ConstantKind y = static_cast<const Constant*>(b)->value_kind;
  auto is_bool = [](ConstantKind k) {
    return k == ConstantKind::kTrue || k == ConstantKind::kFalse;
  };
  if ((is_bool(x) && y == ConstantKind::kInt) || (is_bool(y) && x == ConstantKind::kInt)) {
    return std::nullopt;
  }
  if (x != y) return false;
  std::string_view p = buffer.substr(a->range.start, a->range.end - a->range.start);
  std::string_view q = buffer.substr(b->range.start, b->range.end - b->range.start);
  if (x == ConstantKind::kStr) return p.substr(1, p.size() - 2) == q.substr(1, q.size() - 2);
  if (x == ConstantKind::kInt) {
    std::string u(p), v(q);
    std::erase(u, '_');
    std::erase(v, '_');
    return u == v;
  }
  return true;  // None, True, False: the same kind is the same value
}

}  // namespace

std::optional<bool> LiteralComparison(
    const Expr* test, std::string_view buffer,
    const std::function<const Expr*(std::string_view)>& value_of) {
  const auto* c = test->As<Compare>();
  if (c == nullptr || c->ops.size() != 1) return std::nullopt;
  const CmpOpKind op = c->ops[0];
  const bool membership = op == CmpOpKind::kIn || op == CmpOpKind::kNotIn;
  // The name, and what it is compared with ('daily' == MODE too, but not 'a' in names).
  const Name* name = c->left->As<Name>();
  const Expr* other = c->comparators[0];
  if (name == nullptr && !membership) {
    name = other->As<Name>();
    other = c->left;
  }
  if (name == nullptr) return std::nullopt;
  const Expr* value = value_of(name->id);
  if (value == nullptr) return std::nullopt;
  switch (op) {
    case CmpOpKind::kEq:
    case CmpOpKind::kNotEq:
    case CmpOpKind::kIs:
    case CmpOpKind::kIsNot: {
      if (!IsComparableLiteral(other, buffer)) return std::nullopt;
      // `is` only with the singletons, where it is `==`.
      const ConstantKind k = static_cast<const Constant*>(other)->value_kind;
      const bool identity = op == CmpOpKind::kIs || op == CmpOpKind::kIsNot;
      if (identity && (k == ConstantKind::kStr || k == ConstantKind::kInt)) return std::nullopt;
      std::optional<bool> same = SameLiteral(value, other, buffer);
      if (same && (op == CmpOpKind::kNotEq || op == CmpOpKind::kIsNot)) same = !*same;
      return same;
    }
    case CmpOpKind::kIn:
    case CmpOpKind::kNotIn: {
      const std::optional<ExprList> items = DisplayItems(other);
      if (!items) return std::nullopt;
      bool found = false;
      for (const Expr* item : *items) {
        if (!IsComparableLiteral(item, buffer)) return std::nullopt;
        std::optional<bool> same = SameLiteral(value, item, buffer);
        if (!same) return std::nullopt;
        found |= *same;
      }
      return op == CmpOpKind::kIn ? found : !found;
    }
    default:
      return std::nullopt;
  }
}

std::optional<bool> LiteralTruth(const Expr* e, std::string_view buffer) {
  auto display = [](ExprList items) -> std::optional<bool> {
    for (const Expr* item : items) {
      if (item == nullptr || item->kind == ExprKind::kStarred) return std::nullopt;
    }
    return !items.empty();
  };
  if (const std::optional<ExprList> items = DisplayItems(e)) return display(*items);
  if (const auto* d = e->As<Dict>()) return display(d->keys);  // (a null key is **mapping)
  const auto* c = e->As<Constant>();
  if (c == nullptr) return std::nullopt;
  std::string_view text = buffer.substr(e->range.start, e->range.end - e->range.start);
  switch (c->value_kind) {
    case ConstantKind::kInt:
      // Decimal zero ("0", "00", "0_0"), else some other number.
      if (text.find_first_not_of("0123456789_") != std::string_view::npos) return std::nullopt;
      return text.find_first_not_of("0_") != std::string_view::npos;
    case ConstantKind::kStr:
    case ConstantKind::kBytes: {
      // One quoted piece with an optional prefix: empty between its quotes, or not.
      const size_t open = text.find_first_of("'\"");
      if (open == std::string_view::npos || open > 2) return std::nullopt;
      std::string_view body = text.substr(open);
      const size_t q = body.size() >= 6 && body.substr(0, 3) == body.substr(body.size() - 3) &&
                               body[0] == body[1] && body[1] == body[2]
                           ? 3
                           : 1;
      if (body.size() < 2 * q) return std::nullopt;
      std::string_view inside = body.substr(q, body.size() - 2 * q);
      if (inside.find(body[0]) != std::string_view::npos) return std::nullopt;  // joined pieces
      return !inside.empty();
    }
    default:
      return ConstantTruth(e);
  }
}

std::optional<bool> ConstantTruth(const Expr* e) {
  if (const auto* c = e->As<Constant>()) {
    switch (c->value_kind) {
      case ConstantKind::kNone:
      case ConstantKind::kFalse:
        return false;
      case ConstantKind::kTrue:
      case ConstantKind::kEllipsis:
        return true;
      default:
        return std::nullopt;
    }
  }
  if (const auto* n = e->As<Name>()) {
    if (n->id == "TYPE_CHECKING") return false;
    return std::nullopt;
  }
  if (const auto* a = e->As<Attribute>()) {
    if (a->attr == "TYPE_CHECKING") return false;
    return std::nullopt;
  }
  if (const auto* u = e->As<UnaryOp>()) {
    if (u->op != UnaryOpKind::kNot) return std::nullopt;
    std::optional<bool> inner = ConstantTruth(u->operand);
    if (inner) return !*inner;
    return std::nullopt;
  }
  if (const auto* c = e->As<Compare>()) {
    if (c->ops.size() == 1 && c->ops[0] == CmpOpKind::kEq) {
      const auto* l = c->left->As<Name>();
      const auto* r = c->comparators[0]->As<Constant>();
      if (l != nullptr && l->id == "__name__" && r != nullptr &&
          r->value_kind == ConstantKind::kStr) {
        return true;  // the only string a notebook compares __name__ with is "__main__"
      }
    }
  }
  return std::nullopt;
}

std::optional<bool> VersionTest(const Expr* test, std::string_view buffer, int minor) {
  const auto* c = test->As<Compare>();
  if (c == nullptr || c->ops.size() != 1) return std::nullopt;
  // The left side as a tuple of known parts; `whole` when it is all of version_info (whose
  // micro version and release come after the parts known here).
  std::vector<int> left;
  bool whole = false;
  const Expr* l = c->left;
  if (IsVersionInfo(l)) {
    left = {3, minor};
    whole = true;
  } else if (const auto* s = l->As<Subscript>(); s != nullptr && IsVersionInfo(s->value)) {
    if (int i = IntLiteral(s->slice, buffer); i == 0 || i == 1) {
      left = {i == 0 ? 3 : minor};
    } else if (const auto* sl = s->slice->As<Slice>();
               sl != nullptr && sl->lower == nullptr && sl->step == nullptr &&
               sl->upper != nullptr &&
               (IntLiteral(sl->upper, buffer) == 1 || IntLiteral(sl->upper, buffer) == 2)) {
      left = {3, minor};
      left.resize(static_cast<size_t>(IntLiteral(sl->upper, buffer)));
      // A 1- or 2-tuple; compared with tuples below.
    } else {
      return std::nullopt;
    }
  } else if (const auto* a = l->As<Attribute>(); a != nullptr && IsVersionInfo(a->value) &&
                                                 (a->attr == "major" || a->attr == "minor")) {
    left = {a->attr == "major" ? 3 : minor};
  } else {
    return std::nullopt;
  }
  // The right side: an int (only against a single part) or a tuple of ints.
  std::vector<int> right;
  const Expr* r = c->comparators[0];
  const bool single =
      !whole &&
      (l->As<Attribute>() != nullptr ||
       (l->As<Subscript>() != nullptr && l->As<Subscript>()->slice->As<Slice>() == nullptr));
  if (single) {
    int v = IntLiteral(r, buffer);
    if (v < 0) return std::nullopt;
    right = {v};
  } else if (const auto* t = r->As<Tuple>(); t != nullptr && !t->elts.empty()) {
    for (const Expr* e : t->elts) {
      int v = IntLiteral(e, buffer);
      if (v < 0) return std::nullopt;
      right.push_back(v);
    }
    // version_info goes on past what is known: only a comparison decided by its first parts.
    if (whole && right.size() > 2) return std::nullopt;
  } else {
    return std::nullopt;
  }
  // Python's tuple order; version_info (whole) is longer than any right side it is compared to.
  int order = 0;  // -1 left < right, 0 equal, 1 left > right
  const size_t n = std::min(left.size(), right.size());
  for (size_t k = 0; k < n && order == 0; ++k) order = (left[k] > right[k]) - (left[k] < right[k]);
  if (order == 0) {
    const size_t left_size = whole ? 5 : left.size();
    order = (left_size > right.size()) - (left_size < right.size());
  }
  switch (c->ops[0]) {
    case CmpOpKind::kLt:
      return order < 0;
    case CmpOpKind::kLtE:
      return order <= 0;
    case CmpOpKind::kGt:
      return order > 0;
    case CmpOpKind::kGtE:
      return order >= 0;
    case CmpOpKind::kEq:
      return order == 0;
    case CmpOpKind::kNotEq:
      return order != 0;
    default:
      return std::nullopt;
  }
}

std::optional<bool> DecidedTruth(const Expr* test, std::string_view buffer, int minor) {
  std::optional<bool> truth = ConstantTruth(test);
  return truth ? truth : VersionTest(test, buffer, minor);
}

std::string TestKey(std::string_view buffer, const Expr* test) {
  std::string key;
  char quote = 0;  // inside a string literal opened by this quote: its blanks count
  bool escaped = false;
  for (char c : buffer.substr(test->range.start, test->range.end - test->range.start)) {
    if (quote != 0) {
      key.push_back(c);
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') key.push_back(c);
  }
  return key;
}

}  // namespace cellflow
