// Collects name occurrences with an AstVisitor.
#include "parser/names.h"

#include "parser/ast_visitor.h"

namespace cellflow {
namespace {

class NameCollector : public AstVisitor {
 public:
  explicit NameCollector(std::vector<NameOccurrence>* out) : out_(out) {}

  void VisitExpr(const Expr* e) override {
    if (const auto* n = e->As<Name>()) {
      NameUse use = n->ctx == ExprContext::kStore ? NameUse::kStore
                    : n->ctx == ExprContext::kDel ? NameUse::kDel
                                                  : NameUse::kLoad;
      Add(n->id, n->range.start, use);
      return;
    }
    WalkExpr(e);
  }

  void VisitArg(const Arg* a) override {
    Add(a->name, a->range.start, NameUse::kParam);
    AstVisitor::VisitArg(a);
  }

  void VisitStmt(const Stmt* s) override {
    switch (s->kind) {
      case StmtKind::kFunctionDef: {
        auto* f = static_cast<const FunctionDefStmt*>(s);
        Add(f->name, f->name_range.start, NameUse::kDef);
        break;
      }
      case StmtKind::kClassDef: {
        auto* c = static_cast<const ClassDefStmt*>(s);
        Add(c->name, c->name_range.start, NameUse::kDef);
        break;
      }
      case StmtKind::kImport:
      case StmtKind::kImportFrom:
        for (const Alias* a : ImportedNames(s)) AddAlias(a);
        break;
      case StmtKind::kGlobal:
        for (Identifier n : static_cast<const GlobalStmt*>(s)->names) {
          Add(n, s->range.start, NameUse::kGlobal);
        }
        break;
      case StmtKind::kNonlocal:
        for (Identifier n : static_cast<const NonlocalStmt*>(s)->names) {
          Add(n, s->range.start, NameUse::kNonlocal);
        }
        break;
      default:
        break;
    }
    WalkStmt(s);
  }

  void VisitExceptHandler(const ExceptHandler* h) override {
    if (!h->name.empty()) Add(h->name, h->name_range.start, NameUse::kStore);
    WalkExceptHandler(h);
  }

  void VisitPattern(const Pattern* p) override {
    if (!PatternBinding(p).empty()) Add(p->name, p->name_range.start, NameUse::kStore);
    WalkPattern(p);
  }

 private:
  void Add(Identifier name, Offset offset, NameUse use) { out_->push_back({name, offset, use}); }

  // Both `import a.b.c` (binds a) and `import a.b as c` (binds c) are at the alias start.
  void AddAlias(const Alias* a) { Add(BoundName(*a), a->range.start, NameUse::kImport); }

  std::vector<NameOccurrence>* out_;
};

}  // namespace

std::string_view NameUseName(NameUse use) {
  switch (use) {
    case NameUse::kLoad:
      return "load";
    case NameUse::kStore:
      return "store";
    case NameUse::kDel:
      return "del";
    case NameUse::kDef:
      return "def";
    case NameUse::kParam:
      return "param";
    case NameUse::kImport:
      return "import";
    case NameUse::kGlobal:
      return "global";
    case NameUse::kNonlocal:
      return "nonlocal";
  }
  return "load";
}

std::vector<NameOccurrence> CollectNames(const Module* module) {
  std::vector<NameOccurrence> out;
  NameCollector collector(&out);
  collector.VisitModule(module);
  return out;
}

}  // namespace cellflow
