#include "compilers/models/expr.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>

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

using Op = Expr::Op;

std::int64_t floor_log2(std::uint64_t x) { return 63 - __builtin_clzll(x); }

// One operator on one point, shared by eval() and eval_many(): r = a op b (b unused by unary
// operators); false when the operator fails there (r is then some value, never undefined behavior).
// A template on the operator so that eval_many's loops have no dispatch inside.
template <Op op>
inline bool apply(std::int64_t a, std::int64_t b, std::int64_t& r) {
  const auto wrap = [](std::uint64_t x) { return static_cast<std::int64_t>(x); };  // modular since C++20
  if constexpr (op == Op::neg) {
    r = wrap(0 - static_cast<std::uint64_t>(a));
    return a != INT64_MIN;
  } else if constexpr (op == Op::abs) {
    r = a < 0 ? wrap(0 - static_cast<std::uint64_t>(a)) : a;
    return a != INT64_MIN;
  } else if constexpr (op == Op::log2 || op == Op::clog2) {
    const std::uint64_t x = a > 0 ? static_cast<std::uint64_t>(a) : 1;
    r = op == Op::log2 ? floor_log2(x) : (x == 1 ? 0 : floor_log2(x - 1) + 1);
    return a > 0;
  } else if constexpr (op == Op::add) {
    return !__builtin_add_overflow(a, b, &r);
  } else if constexpr (op == Op::sub) {
    return !__builtin_sub_overflow(a, b, &r);
  } else if constexpr (op == Op::mul) {
    return !__builtin_mul_overflow(a, b, &r);
  } else if constexpr (op == Op::div || op == Op::mod) {
    const bool ok = b != 0 && !(a == INT64_MIN && b == -1);
    const std::int64_t d = ok ? b : 1;
    std::int64_t q = a / d, m = a % d;
    if (m != 0 && ((m < 0) != (d < 0))) { --q; m += d; }  // floor division
    r = op == Op::div ? q : m;
    return ok;
  } else if constexpr (op == Op::pow) {
    r = 1;
    if (b < 0) return false;
    if (a == 0 || a == 1) { r = b == 0 ? 1 : a; return true; }
    if (a == -1) { r = b % 2 ? -1 : 1; return true; }
    for (std::int64_t k = 0; k < b; ++k)  // |a| >= 2: overflows within 64 steps
      if (__builtin_mul_overflow(r, a, &r)) return false;
    return true;
  } else if constexpr (op == Op::eq) { r = a == b; return true;
  } else if constexpr (op == Op::ne) { r = a != b; return true;
  } else if constexpr (op == Op::lt) { r = a < b; return true;
  } else if constexpr (op == Op::le) { r = a <= b; return true;
  } else if constexpr (op == Op::gt) { r = a > b; return true;
  } else if constexpr (op == Op::ge) { r = a >= b; return true;
  } else if constexpr (op == Op::min) { r = std::min(a, b); return true;
  } else if constexpr (op == Op::max) { r = std::max(a, b); return true;
  } else {
    static_assert(op == Op::constant, "every operator has a case");  // never instantiated
    return false;
  }
}

// Calls f with the operator as a compile-time constant (every operator but constant, variable
// and cond, which are not arithmetic).
template <class F>
auto dispatch(Op op, F&& f) {
  switch (op) {
    case Op::neg: return f(std::integral_constant<Op, Op::neg>{});
    case Op::abs: return f(std::integral_constant<Op, Op::abs>{});
    case Op::log2: return f(std::integral_constant<Op, Op::log2>{});
    case Op::clog2: return f(std::integral_constant<Op, Op::clog2>{});
    case Op::add: return f(std::integral_constant<Op, Op::add>{});
    case Op::sub: return f(std::integral_constant<Op, Op::sub>{});
    case Op::mul: return f(std::integral_constant<Op, Op::mul>{});
    case Op::div: return f(std::integral_constant<Op, Op::div>{});
    case Op::mod: return f(std::integral_constant<Op, Op::mod>{});
    case Op::pow: return f(std::integral_constant<Op, Op::pow>{});
    case Op::eq: return f(std::integral_constant<Op, Op::eq>{});
    case Op::ne: return f(std::integral_constant<Op, Op::ne>{});
    case Op::lt: return f(std::integral_constant<Op, Op::lt>{});
    case Op::le: return f(std::integral_constant<Op, Op::le>{});
    case Op::gt: return f(std::integral_constant<Op, Op::gt>{});
    case Op::ge: return f(std::integral_constant<Op, Op::ge>{});
    case Op::min: return f(std::integral_constant<Op, Op::min>{});
    case Op::max: return f(std::integral_constant<Op, Op::max>{});
    default: break;
  }
  throw std::logic_error("Expr: not an arithmetic operator");
}

bool unary(Op op) { return op == Op::neg || op == Op::abs || op == Op::log2 || op == Op::clog2; }

// Why `a op b` failed, for the error message.
std::string failure(Op op, std::int64_t a, std::int64_t b) {
  if ((op == Op::div || op == Op::mod) && b == 0) return "division by zero";
  if (op == Op::log2 || op == Op::clog2) return "log2 of " + std::to_string(a) + " (needs a positive argument)";
  if (op == Op::pow && b < 0) return "negative exponent";
  return "integer overflow (beyond 64 bits)";
}

}  // namespace

std::int64_t Expr::eval_node(std::int32_t i, std::span<const std::int64_t> values) const {
  const Node& n = nodes_[i];
  switch (n.op) {
    case Op::constant: return n.value;
    case Op::variable: return values[static_cast<std::size_t>(n.value)];
    case Op::cond: return eval_node(n.a, values) != 0 ? eval_node(n.b, values) : eval_node(n.c, values);
    default: break;
  }
  const std::int64_t a = eval_node(n.a, values);
  const std::int64_t b = unary(n.op) ? 0 : eval_node(n.b, values);
  std::int64_t r = 0;
  if (!dispatch(n.op, [&](auto op) { return apply<op.value>(a, b, r); })) throw ExprError(n.col, failure(n.op, a, b));
  return r;
}

namespace {

// A node's values over a block of points: p[k * stride], stride 0 when the same at every point.
struct Column {
  const std::int64_t* p;
  std::size_t stride;
};

}  // namespace

bool Expr::eval_many(std::span<const std::span<const std::int64_t>> columns, std::span<std::int64_t> out) const {
  const std::size_t points = out.size(), nodes = nodes_.size();
  if (nodes == 0) {
    std::fill(out.begin(), out.end(), 0);
    return true;
  }
  // A block's values of every node stay in cache (about 512 KiB at most).
  const std::size_t block = std::clamp<std::size_t>(std::min((std::size_t(1) << 16) / nodes, points), 1, 512);
  static thread_local std::vector<std::int64_t> slots;
  static thread_local std::vector<Column> col;
  if (slots.size() < nodes * block) slots.resize(nodes * block);  // grows only: no refill
  col.resize(nodes);
  for (std::size_t start = 0; start < points; start += block) {
    const std::size_t count = std::min(block, points - start);
    for (std::size_t t = 0; t < nodes; ++t) {
      const Node& n = nodes_[t];
      if (n.op == Op::constant) {
        col[t] = Column{&n.value, 0};
        continue;
      }
      if (n.op == Op::variable) {
        const std::span<const std::int64_t> c = columns[static_cast<std::size_t>(n.value)];
        col[t] = c.size() == 1 ? Column{c.data(), 0} : Column{c.data() + start, 1};
        continue;
      }
      const Column a = col[static_cast<std::size_t>(n.a)];
      const Column b = n.b >= 0 ? col[static_cast<std::size_t>(n.b)] : Column{a.p, 0};
      const Column c = n.c >= 0 ? col[static_cast<std::size_t>(n.c)] : Column{a.p, 0};
      const bool same = a.stride == 0 && b.stride == 0 && c.stride == 0;
      const std::size_t m = same ? 1 : count;
      std::int64_t* r = slots.data() + t * block;
      if (n.op == Op::cond) {
        for (std::size_t k = 0; k < m; ++k) r[k] = a.p[k * a.stride] != 0 ? b.p[k * b.stride] : c.p[k * c.stride];
      } else {
        const bool ok = dispatch(n.op, [&](auto op) {
          bool all = true;
          for (std::size_t k = 0; k < m; ++k) all &= apply<op.value>(a.p[k * a.stride], b.p[k * b.stride], r[k]);
          return all;
        });
        if (!ok) return false;
      }
      col[t] = Column{r, same ? 0u : 1u};
    }
    const Column root = col[nodes - 1];
    for (std::size_t k = 0; k < count; ++k) out[start + k] = root.p[k * root.stride];
  }
  return true;
}

}  // namespace tcx
