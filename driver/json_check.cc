// RFC 8259 validation with an explicit stack of open containers.
#include "driver/json_check.h"

#include <cstring>
#include <vector>

#include "absl/strings/str_format.h"

namespace cellflow {
namespace {

class Checker {
 public:
  explicit Checker(std::string_view text) : s_(text) {}

  bool Run(JsonProblem* problem) {
    problem_ = problem;
    bool need_value = true;  // else: a value just ended
    while (true) {
      SkipSpace();
      if (need_value) {
        if (AtEnd()) return Truncated();
        char c = s_[pos_];
        if (c == '{' || c == '[') {
          char close = c == '{' ? '}' : ']';
          ++pos_;
          SkipSpace();
          if (!AtEnd() && s_[pos_] == close) {
            ++pos_;
            need_value = false;
            continue;
          }
          stack_.push_back(c);
          if (c == '{' && !Key()) return true;
          continue;
        }
        if (!Scalar()) return true;
        need_value = false;
        continue;
      }
      if (stack_.empty()) {
        if (!AtEnd()) return Fail("unexpected data after the end of the JSON document");
        return false;
      }
      char open = stack_.back();
      char close = open == '{' ? '}' : ']';
      if (AtEnd()) return Truncated();
      if (s_[pos_] == close) {
        ++pos_;
        stack_.pop_back();
        continue;
      }
      if (s_[pos_] != ',') {
        return Fail(open == '{' ? "expected ',' or '}' after an object member"
                                : "expected ',' or ']' after an array element");
      }
      ++pos_;
      SkipSpace();
      if (open == '{' && !Key()) return true;
      need_value = true;
    }
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  void SkipSpace() {
    while (!AtEnd() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool Fail(std::string message) {
    problem_->offset = pos_;
    problem_->message = std::move(message);
    return true;
  }
  bool Truncated() {
    problem_->truncated = true;
    return Fail("the file ends before the JSON document does (truncated?)");
  }

  // An object key and its ':'. Returns false after recording a problem.
  bool Key() {
    if (AtEnd()) return !Truncated();
    if (s_[pos_] != '"') return !Fail("expected a string key in double quotes");
    if (!String()) return false;
    SkipSpace();
    if (AtEnd()) return !Truncated();
    if (s_[pos_] != ':') return !Fail("expected ':' after an object key");
    ++pos_;
    SkipSpace();
    return true;
  }

  // A string, number or literal. Returns false after recording a problem.
  bool Scalar() {
    char c = s_[pos_];
    switch (c) {
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return Number();
        if (c == '<') {
          return !Fail(s_.substr(pos_, 7) == "<<<<<<<"
                           ? "a merge conflict marker '<<<<<<<' where a value should be"
                           : "unexpected '<' where a value should be (an HTML page?)");
        }
        return !Fail(
            absl::StrFormat("unexpected character '%s' where a value should be", Printable(c)));
    }
  }

  bool Literal(std::string_view word) {
    for (char w : word) {
      if (AtEnd()) return !Truncated();
      if (s_[pos_] != w) return !Fail(absl::StrFormat("invalid literal (expected '%s')", word));
      ++pos_;
    }
    return true;
  }

  bool Number() {
    auto digit = [this] { return !AtEnd() && s_[pos_] >= '0' && s_[pos_] <= '9'; };
    if (s_[pos_] == '-') ++pos_;
    if (!digit()) return AtEnd() ? !Truncated() : !Fail("invalid number");
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (digit()) ++pos_;
    }
    if (!AtEnd() && s_[pos_] == '.') {
      ++pos_;
      if (!digit()) return AtEnd() ? !Truncated() : !Fail("invalid number");
      while (digit()) ++pos_;
    }
    if (!AtEnd() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (!AtEnd() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digit()) return AtEnd() ? !Truncated() : !Fail("invalid number");
      while (digit()) ++pos_;
    }
    return true;
  }

  bool String() {
    ++pos_;  // opening quote
    const char* base = s_.data();
    const size_t n = s_.size();
    while (true) {
      // Most of a notebook's bytes are inside long strings (images): jump to the next quote
      // or backslash, then check the stretch for raw control characters.
      const void* q = std::memchr(base + pos_, '"', n - pos_);
      size_t stop = q == nullptr ? n : static_cast<size_t>(static_cast<const char*>(q) - base);
      const void* b = std::memchr(base + pos_, '\\', stop - pos_);
      if (b != nullptr) stop = static_cast<size_t>(static_cast<const char*>(b) - base);
      for (size_t i = pos_; i < stop; ++i) {
        if (static_cast<unsigned char>(base[i]) < 0x20) {
          pos_ = i;
          return !Fail("a control character inside a string (must be escaped)");
        }
      }
      pos_ = stop;
      if (AtEnd()) return !Truncated();
      if (s_[pos_] == '"') {
        ++pos_;
        return true;
      }
      // A backslash escape.
      ++pos_;
      if (AtEnd()) return !Truncated();
      char e = s_[pos_];
      if (e == 'u') {
        for (int k = 1; k <= 4; ++k) {
          if (pos_ + k >= n) {
            pos_ = n;
            return !Truncated();
          }
          char h = s_[pos_ + k];
          bool hex = (h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F');
          if (!hex) return !Fail("invalid \\u escape in a string");
        }
        pos_ += 5;
        continue;
      }
      if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return !Fail("invalid escape in a string");
      }
      ++pos_;
    }
  }

  static std::string Printable(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) return std::string(1, c);
    return absl::StrFormat("\\x%02x", u);
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::vector<char> stack_;  // open containers: '{' or '['
  JsonProblem* problem_ = nullptr;
};

}  // namespace

bool FindJsonError(std::string_view text, JsonProblem* problem) {
  Checker checker(text);
  return checker.Run(problem);
}

}  // namespace cellflow
