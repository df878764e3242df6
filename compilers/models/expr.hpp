#pragma once
// Integer expressions in model specs: sizes ("2*n"), precisions ("clog2(n) + 2") and weight
// formulas ("i == j ? 1 : -1"). Parsed once, evaluated many times over named int64 variables.
//
//   expr    := cond
//   cond    := compare ['?' cond ':' cond]
//   compare := sum [('==' | '!=' | '<' | '<=' | '>' | '>=') sum]      (1 or 0)
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/' | '%') unary)*                      (floor division, mod >= 0)
//   unary   := '-' unary | power
//   power   := atom ['^' unary]                                      (right associative)
//   atom    := integer | name | name '(' expr (',' expr)* ')' | '(' expr ')'
//   functions: log2 (floor), clog2 (ceiling), min, max, abs
//
// Arithmetic is exact in 64 bits: an overflow, a division by zero or log2 of a non-positive
// number is an error, never a wrapped value.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tcx {

// col is 1-based within the expression text.
class ExprError : public std::runtime_error {
public:
  ExprError(std::uint32_t col, const std::string& message)
      : std::runtime_error("column " + std::to_string(col) + ": " + message), col(col), message(message) {}
  std::uint32_t col;
  std::string message;
};

class Expr {
public:
  Expr() = default;  // the constant 0
  explicit Expr(std::int64_t constant);
  // `variables` are the names the expression may use; their values are passed to eval() in
  // the same order.
  static Expr parse(std::string_view text, std::span<const std::string_view> variables);

  std::int64_t eval(std::span<const std::int64_t> values) const;
  // The expression at many points at once, out[k] at point k: variable v is columns[v][k], or
  // columns[v][0] at every point when that column has one entry. Each operator runs over a block
  // of points (no per-point interpretation), both arms of '?:' included. Returns false when some
  // point fails in some operator (overflow, division by zero...), taken arm or not: those points
  // need eval(), which gives the exact error or the value.
  bool eval_many(std::span<const std::span<const std::int64_t>> columns, std::span<std::int64_t> out) const;
  bool is_constant() const;  // uses no variable
  const std::string& text() const { return text_; }

  enum class Op : std::uint8_t { constant, variable, neg, add, sub, mul, div, mod, pow, eq, ne, lt, le, gt, ge,
                                 cond, log2, clog2, min, max, abs };

private:
  struct Node {
    Op op;
    std::int64_t value = 0;   // constant value or variable index
    std::uint32_t col = 0;    // where in the text, for evaluation errors
    std::int32_t a = -1, b = -1, c = -1;  // operand nodes
  };
  friend class ExprParser;
  std::int64_t eval_node(std::int32_t i, std::span<const std::int64_t> values) const;
  std::vector<Node> nodes_;  // operands before the nodes using them; the root is last
  std::string text_;
};

}  // namespace tcx
