#include "compilers/models/expr.hpp"

#include <cctype>

namespace tcx {

class ExprParser {
public:
  ExprParser(std::string_view text, std::span<const std::string_view> vars, Expr& out)
      : s_(text), vars_(vars), e_(out) {}

  void run() {
    skip();
    if (pos_ == s_.size()) fail("empty expression");
    cond();
    skip();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
  }

private:
  using Op = Expr::Op;
  [[noreturn]] void fail(const std::string& m) const { throw ExprError(static_cast<std::uint32_t>(pos_ + 1), m); }
  void skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool eat(std::string_view tok) {
    skip();
    if (s_.substr(pos_, tok.size()) != tok) return false;
    pos_ += tok.size();
    return true;
  }
  std::int32_t node(Op op, std::uint32_t col, std::int32_t a = -1, std::int32_t b = -1, std::int32_t c = -1,
                    std::int64_t value = 0) {
    if (e_.nodes_.size() >= 100000) fail("expression too long");
    e_.nodes_.push_back(Expr::Node{op, value, col, a, b, c});
    return static_cast<std::int32_t>(e_.nodes_.size() - 1);
  }
  std::uint32_t col() const { return static_cast<std::uint32_t>(pos_ + 1); }

  std::int32_t cond() {
    if (++depth_ > 200) fail("expression nested too deeply");
    std::int32_t c = compare();
    skip();
    const std::uint32_t at = col();
    if (eat("?")) {
      std::int32_t a = cond();
      if (!eat(":")) fail("expected ':'");
      std::int32_t b = cond();
      c = node(Op::cond, at, c, a, b);
    }
    --depth_;
    return c;
  }
  std::int32_t compare() {
    std::int32_t a = sum();
    skip();
    const std::uint32_t at = col();
    static const std::pair<std::string_view, Op> ops[] = {{"==", Op::eq}, {"!=", Op::ne}, {"<=", Op::le},
                                                         {">=", Op::ge}, {"<", Op::lt},  {">", Op::gt}};
    for (const auto& [tok, op] : ops)
      if (eat(tok)) return node(op, at, a, sum());
    return a;
  }
  std::int32_t sum() {
    std::int32_t a = product();
    for (;;) {
      skip();
      const std::uint32_t at = col();
      if (eat("+")) a = node(Op::add, at, a, product());
      else if (eat("-")) a = node(Op::sub, at, a, product());
      else return a;
    }
  }
  std::int32_t product() {
    std::int32_t a = unary();
    for (;;) {
      skip();
      const std::uint32_t at = col();
      if (eat("*")) a = node(Op::mul, at, a, unary());
      else if (eat("/")) a = node(Op::div, at, a, unary());
      else if (eat("%")) a = node(Op::mod, at, a, unary());
      else return a;
    }
  }
  std::int32_t unary() {
    skip();
    const std::uint32_t at = col();
    if (++depth_ > 200) fail("expression nested too deeply");
    std::int32_t r = eat("-") ? node(Op::neg, at, unary()) : power();
    --depth_;
    return r;
  }
  std::int32_t power() {
    std::int32_t a = atom();
    skip();
    const std::uint32_t at = col();
    if (eat("^")) return node(Op::pow, at, a, unary());
    return a;
  }
  std::int32_t atom() {
    skip();
    const std::uint32_t at = col();
    if (pos_ == s_.size()) fail("expected a number, a name or '('");
    const char ch = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(ch))) {
      std::int64_t v = 0;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, s_[pos_] - '0', &v))
          throw ExprError(at, "number too large for 64 bits");
        ++pos_;
      }
      return node(Op::constant, at, -1, -1, -1, v);
    }
    if (std::isalpha(static_cast<unsigned char>(ch)) || ch == '_') {
      std::size_t start = pos_;
      while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_')) ++pos_;
      const std::string_view name = s_.substr(start, pos_ - start);
      if (eat("(")) return call(name, at);
      for (std::size_t v = 0; v < vars_.size(); ++v)
        if (vars_[v] == name) return node(Op::variable, at, -1, -1, -1, static_cast<std::int64_t>(v));
      std::string known;
      for (auto v : vars_) known += (known.empty() ? "" : ", ") + std::string(v);
      throw ExprError(at, "unknown name '" + std::string(name) + "'" +
                              (known.empty() ? " (no variables here)" : " (known: " + known + ")"));
    }
    if (eat("(")) {
      std::int32_t a = cond();
      if (!eat(")")) fail("expected ')'");
      return a;
    }
    fail("unexpected '" + std::string(1, ch) + "'");
  }
  std::int32_t call(std::string_view name, std::uint32_t at) {
    static const std::pair<std::string_view, std::pair<Op, int>> fns[] = {
        {"log2", {Op::log2, 1}}, {"clog2", {Op::clog2, 1}}, {"abs", {Op::abs, 1}},
        {"min", {Op::min, 2}},   {"max", {Op::max, 2}}};
    for (const auto& [fname, spec] : fns) {
      if (fname != name) continue;
      std::int32_t args[2] = {-1, -1};
      for (int k = 0; k < spec.second; ++k) {
        if (k > 0 && !eat(",")) fail("expected ',': " + std::string(name) + " takes " + std::to_string(spec.second) + " arguments");
        args[k] = cond();
      }
      if (!eat(")")) fail("expected ')': " + std::string(name) + " takes " + std::to_string(spec.second) + " argument(s)");
      return node(spec.first, at, args[0], args[1]);
    }
    throw ExprError(at, "unknown function '" + std::string(name) + "' (known: log2, clog2, min, max, abs)");
  }

  std::string_view s_;
  std::span<const std::string_view> vars_;
  Expr& e_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

Expr::Expr(std::int64_t constant) {
  nodes_.push_back(Node{Op::constant, constant, 1});
  text_ = std::to_string(constant);
}

Expr Expr::parse(std::string_view text, std::span<const std::string_view> variables) {
  Expr e;
  e.text_ = std::string(text);
  if (text.size() > 10000) throw ExprError(1, "expression longer than 10000 characters");
  ExprParser(text, variables, e).run();
  return e;
}

bool Expr::is_constant() const {
  for (const Node& n : nodes_)
    if (n.op == Op::variable) return false;
  return true;
}

std::int64_t Expr::eval(std::span<const std::int64_t> values) const {
  if (nodes_.empty()) return 0;
  return eval_node(static_cast<std::int32_t>(nodes_.size() - 1), values);
}

namespace {
std::int64_t floor_log2(std::uint64_t x) { return 63 - __builtin_clzll(x); }
}  // namespace

std::int64_t Expr::eval_node(std::int32_t i, std::span<const std::int64_t> values) const {
  const Node& n = nodes_[i];
  auto overflow = [&n]() -> std::int64_t { throw ExprError(n.col, "integer overflow (beyond 64 bits)"); };
  switch (n.op) {
    case Op::constant: return n.value;
    case Op::variable: return values[static_cast<std::size_t>(n.value)];
    case Op::cond: return eval_node(n.a, values) != 0 ? eval_node(n.b, values) : eval_node(n.c, values);
    default: break;
  }
  const std::int64_t a = eval_node(n.a, values);
  std::int64_t r = 0;
  switch (n.op) {
    case Op::neg: return a == INT64_MIN ? overflow() : -a;
    case Op::abs: return a == INT64_MIN ? overflow() : (a < 0 ? -a : a);
    case Op::log2:
    case Op::clog2:
      if (a <= 0) throw ExprError(n.col, "log2 of " + std::to_string(a) + " (needs a positive argument)");
      if (n.op == Op::log2) return floor_log2(static_cast<std::uint64_t>(a));
      return a == 1 ? 0 : floor_log2(static_cast<std::uint64_t>(a - 1)) + 1;
    default: break;
  }
  const std::int64_t b = eval_node(n.b, values);
  switch (n.op) {
    case Op::add: return __builtin_add_overflow(a, b, &r) ? overflow() : r;
    case Op::sub: return __builtin_sub_overflow(a, b, &r) ? overflow() : r;
    case Op::mul: return __builtin_mul_overflow(a, b, &r) ? overflow() : r;
    case Op::div:
    case Op::mod: {
      if (b == 0) throw ExprError(n.col, "division by zero");
      if (a == INT64_MIN && b == -1) return overflow();
      std::int64_t q = a / b, m = a % b;
      if (m != 0 && ((m < 0) != (b < 0))) { --q; m += b; }  // floor division
      return n.op == Op::div ? q : m;
    }
    case Op::pow: {
      if (b < 0) throw ExprError(n.col, "negative exponent");
      if (a == 0 || a == 1) return b == 0 ? 1 : a;
      if (a == -1) return b % 2 ? -1 : 1;
      std::int64_t result = 1;  // |a| >= 2: overflows within 64 steps
      for (std::int64_t k = 0; k < b; ++k)
        if (__builtin_mul_overflow(result, a, &result)) return overflow();
      return result;
    }
    case Op::eq: return a == b;
    case Op::ne: return a != b;
    case Op::lt: return a < b;
    case Op::le: return a <= b;
    case Op::gt: return a > b;
    case Op::ge: return a >= b;
    case Op::min: return std::min(a, b);
    case Op::max: return std::max(a, b);
    default: break;
  }
  throw ExprError(n.col, "internal: unknown operator");
}

}  // namespace tcx
