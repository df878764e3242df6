// ONNX graph to threshold circuit. Every tensor element is an exact linear form over circuit
// literals, value = scale * (c + sum w_t x_t) with integer c, w and a rational scale > 0. Linear
// operators (Gemm, MatMul, Conv, Add, BatchNormalization with a rational root, Dequantize...)
// only combine forms: they cost no gates. Every other operator is a function of one form's
// integer part L with finitely many changes on L's range: a ladder of gates [L >= t_k] (one
// weighted sum, several thresholds: a layer of a MultiThreshold, a quantizer, a sign), whose
// output is again a linear form over the ladder (unary) or over binary digits computed from it
// by one more gate per bit. Max, ArgMax and Where use comparisons and AND gates.
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <sstream>

#include "circuits/derived_gates.hpp"
#include "circuits/interrupt.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/fixed.hpp"
#include "compilers/arith/weight_list.hpp"
#include "compilers/onnx/onnx.hpp"

namespace tcx {

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

Rational rgcd(const Rational& a, const Rational& b) {
  if (sgn(a) == 0) return abs(b);
  if (sgn(b) == 0) return abs(a);
  mpz_class n, d;
  mpz_gcd(n.get_mpz_t(), a.get_num_mpz_t(), b.get_num_mpz_t());
  mpz_lcm(d.get_mpz_t(), a.get_den_mpz_t(), b.get_den_mpz_t());
  Rational r(n, d);
  r.canonicalize();
  return r;
}

mpz_class floor_q(const Rational& q) {
  mpz_class r;
  mpz_fdiv_q(r.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
  return r;
}
mpz_class ceil_q(const Rational& q) {
  mpz_class r;
  mpz_cdiv_q(r.get_mpz_t(), q.get_num_mpz_t(), q.get_den_mpz_t());
  return r;
}

struct Form;

// One elementwise, monotone operator still to apply to a value (a link of a lazy chain). Chains
// of them (QuantizeLinear, Cast, DequantizeLinear, Relu, Clip, Mul by a constant, ...) are
// composed before any gate is built, so a quantized neuron becomes one ladder over its exact sum
// with as many gates as the *composed* function has steps (a Clip to 0..3 after a uint8
// quantizer: 3 gates, not 255 and a second ladder).
struct Link {
  enum Kind { fn, clip, affine, leaky } kind = fn;
  const OnnxNode* node = nullptr;              // the operator, for errors and the one-by-one path
  std::function<Rational(const Rational&)> g;  // fn: the value map, monotone
  const char* what = "";                       // fn: its name in errors
  std::optional<Rational> lo, hi;              // clip
  Rational a{1}, b{0};                         // affine: a v + b
  // fn: at most this many distinct results whatever the input (0: no bound known)
  std::uint64_t max_values = 0;
  bool integer_results = false;  // fn: every result an integer (Floor, Round, a quantizer), so a later Clip bounds the count
  Rational apply(const Rational& v) const {
    switch (kind) {
      case fn: return g(v);
      case clip: {
        if (lo && v < *lo) return *lo;
        if (hi && v > *hi) return *hi;
        return v;
      }
      case leaky: return sgn(v) >= 0 ? v : Rational(a * v);  // LeakyRelu, alpha = a >= 0: monotone
      case affine: break;
    }
    return a * v + b;
  }
};
// A value not built yet: links applied in order to the value of `base` (a materialized form).
struct Lazy {
  std::shared_ptr<const Form> base;
  std::vector<Link> links;
};

// value = scale * (c + sum w_t x_t), or, when `lazy` is set, the lazy chain's value (the other
// members are then unused: only operators that know about chains see such a form).
struct Form : WeightList {  // the terms, c and the scale: scale * (c + sum w_k x_k)
  std::shared_ptr<const Lazy> lazy;
  Rational scale{1};
  mpz_class c;
  bool constant() const { return lits.empty() && !lazy; }
  Rational value() const { return scale * Rational(c); }  // of a constant
  // Merges repeated literals, folds negations and constants into c, drops zero weights.
  void compact() {
    std::vector<std::size_t> order(lits.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    bool need = false;
    for (std::size_t k = 0; k < lits.size(); ++k)
      if (lits[k].negated() || lits[k].is_constant() || (k && lits[k].node() <= lits[k - 1].node())) need = true;
    if (!need) return;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return lits[a].node() < lits[b].node(); });
    Form out;
    out.scale = scale;
    out.c = c;
    mpz_class acc;
    for (std::size_t k = 0; k < order.size();) {
      const node_id node = lits[order[k]].node();
      acc = 0;
      for (; k < order.size() && lits[order[k]].node() == node; ++k) {
        const Lit l = lits[order[k]];
        const mpz_class wv = weight(order[k]);
        if (l.negated()) {  // w !x = w - w x
          out.c += wv;
          acc -= wv;
        } else {
          acc += wv;
        }
      }
      if (node == 0) {  // the constant false literal: acc * 0 (negations already moved w into c)
        continue;
      }
      if (sgn(acc) != 0) out.push(Lit(node, false), acc);
    }
    *this = std::move(out);
  }
  // The range of the integer part.
  std::pair<mpz_class, mpz_class> range() const {
    mpz_class lo = c, hi = c;
    if (big) {
      for (const mpz_class& v : wb) (sgn(v) < 0 ? lo : hi) += v;
    } else {
      i128 l = 0, h = 0;
      for (std::int64_t v : w) (v < 0 ? l : h) += v;  // 2^32 terms of 2^63 fit 2^127
      auto to = [](i128 x) {
        const bool neg = x < 0;
        u128 u = neg ? -static_cast<u128>(x) : static_cast<u128>(x);
        mpz_class m = (mpz_class(static_cast<unsigned long>(u >> 64)) << 64) + mpz_class(static_cast<unsigned long>(u));
        return neg ? mpz_class(-m) : m;
      };
      lo += to(l);
      hi += to(h);
    }
    return {lo, hi};
  }
  void negate() {
    c = -c;
    if (big)
      for (mpz_class& v : wb) v = -v;
    else
      for (std::int64_t& v : w) {
        if (v == INT64_MIN) {
          to_big();
          for (mpz_class& x : wb) x = -x;
          return;
        }
        v = -v;
      }
  }
};

Form constant_form(const Rational& v) {
  Form f;
  if (sgn(v) == 0) {
    f.scale = 1;
    f.c = 0;
  } else {
    f.scale = abs(v);
    f.c = sgn(v);
  }
  return f;
}

Form literal_form(Lit l) {
  Form f;
  f.push(l, mpz_class(1));
  return f;
}

// sum_k a_k * forms_k + bias, exactly, on the largest common scale.
struct Part {
  Rational a;
  const Form* f;
};
Form combine(const std::vector<Part>& parts, const Rational& bias) {
  Rational S = 0, C = bias;
  thread_local std::vector<Rational> fk;
  fk.resize(parts.size());
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (sgn(parts[k].a) == 0) continue;
    fk[k] = parts[k].a * parts[k].f->scale;
    if (sgn(parts[k].f->c) != 0) C += fk[k] * Rational(parts[k].f->c);
    if (!parts[k].f->lits.empty()) S = rgcd(S, fk[k]);
  }
  S = rgcd(S, C);
  Form out;
  if (sgn(S) == 0) return constant_form(0);
  out.scale = S;
  const Rational cs = C / S;
  out.c = cs.get_num();  // an integer: S divides C
  std::size_t total = 0;
  for (const Part& p : parts) total += sgn(p.a) ? p.f->lits.size() : 0;
  out.lits.reserve(total);
  out.w.reserve(total);
  for (std::size_t k = 0; k < parts.size(); ++k) {
    const Part& p = parts[k];
    if (sgn(p.a) == 0 || p.f->lits.empty()) continue;
    const Rational mq = fk[k] / S;
    const mpz_class& m = mq.get_num();
    if (!p.f->big && mpz_fits_slong_p(m.get_mpz_t())) {
      const i128 m64 = m.get_si();
      for (std::size_t t = 0; t < p.f->lits.size(); ++t) {
        const i128 v = m64 * p.f->w[t];  // |m| < 2^63, |w| < 2^63: fits
        out.push(p.f->lits[t], v);
      }
    } else {
      for (std::size_t t = 0; t < p.f->lits.size(); ++t) out.push(p.f->lits[t], mpz_class(m * p.f->weight(t)));
    }
  }
  out.compact();
  return out;
}

Form scaled(const Form& f, const Rational& a, const Rational& bias = 0) { return combine({{a, &f}}, bias); }

// A rational n / d in lowest terms with |n|, d < 2^62 (ok), for combine_fast.
struct Q64 {
  std::int64_t n = 0, d = 1;
  bool ok = false;
};
constexpr std::int64_t q_limit = std::int64_t(1) << 62;
Q64 q64(const Rational& q) {
  Q64 r;
  if (!mpz_fits_slong_p(q.get_num_mpz_t()) || !mpz_fits_slong_p(q.get_den_mpz_t())) return r;
  r.n = mpz_get_si(q.get_num_mpz_t());
  r.d = mpz_get_si(q.get_den_mpz_t());
  r.ok = r.n > -q_limit && r.n < q_limit && r.d < q_limit;
  return r;
}
// What combine_fast needs of a built form: its scale and constant, small.
struct FormInfo {
  Q64 scale;
  std::int64_t c = 0;
  bool ok = false;
};
FormInfo info_of(const Form& f) {
  FormInfo i;
  if (f.lazy || f.big || !mpz_fits_slong_p(f.c.get_mpz_t())) return i;
  i.scale = q64(f.scale);
  i.c = f.c.get_si();
  i.ok = i.scale.ok && i.c > -q_limit && i.c < q_limit;
  return i;
}
mpz_class mpz_of(i128 v) {
  const bool neg = v < 0;
  const u128 u = neg ? -static_cast<u128>(v) : static_cast<u128>(v);
  mpz_class m = (mpz_class(static_cast<unsigned long>(u >> 64)) << 64) + mpz_class(static_cast<unsigned long>(u));
  return neg ? mpz_class(-m) : m;
}

// combine() in 64- and 128-bit integers, the same form, for sums whose coefficients, scales and
// constants are small (a layer of float or integer weights over bits or quantized values): no
// GMP per term. at(k) gives part k as (form, its FormInfo, coefficient). False when something
// does not fit; the caller then uses combine().
template <class At>
bool combine_fast(std::size_t count, At&& at, const Q64& bias, Form& out) {
  thread_local std::vector<std::int64_t> rn;  // a_k * scale_k = rn / rd, then the integer coefficient over D
  thread_local std::vector<std::uint64_t> rd;
  rn.resize(count);
  rd.resize(count);
  if (!bias.ok) return false;
  std::uint64_t D = std::uint64_t(bias.d);  // a common denominator of everything
  std::size_t total = 0;
  for (std::size_t k = 0; k < count; ++k) {
    const auto [f, fi, a] = at(k);
    rn[k] = 0;
    rd[k] = 1;
    if (a.ok && a.n == 0) continue;
    if (!fi->ok || !a.ok) return false;
    const Q64& s = fi->scale;
    // (integer weights and scales, the common case, need no gcd at all)
    const std::uint64_t g1 = s.d == 1 ? 1 : std::gcd(std::uint64_t(a.n < 0 ? -a.n : a.n), std::uint64_t(s.d));
    const std::uint64_t g2 = a.d == 1 ? 1 : std::gcd(std::uint64_t(s.n < 0 ? -s.n : s.n), std::uint64_t(a.d));
    const i128 num = i128(a.n / std::int64_t(g1)) * (s.n / std::int64_t(g2));
    const u128 den = u128(std::uint64_t(a.d) / g2) * (std::uint64_t(s.d) / g1);
    if (num <= -q_limit || num >= q_limit || den >= u128(q_limit)) return false;
    rn[k] = std::int64_t(num);
    rd[k] = std::uint64_t(den);
    if (rd[k] != 1 && D % rd[k] != 0) {
      const u128 nd = u128(D / std::gcd(D, rd[k])) * rd[k];
      if (nd >= u128(q_limit)) return false;
      D = std::uint64_t(nd);
    }
    total += f->lits.size();
  }
  i128 C = i128(bias.n) * i128(D / std::uint64_t(bias.d));
  std::uint64_t g = 0;
  for (std::size_t k = 0; k < count; ++k) {
    if (rn[k] == 0) continue;
    const auto [f, fi, a] = at(k);
    const i128 m = i128(rn[k]) * i128(rd[k] == 1 ? D : D / rd[k]);
    if (m <= -q_limit || m >= q_limit) return false;
    rn[k] = std::int64_t(m);
    if (fi->c && __builtin_add_overflow(C, m * fi->c, &C)) return false;
    if (!f->lits.empty()) g = std::gcd(g, std::uint64_t(m < 0 ? -m : m));
  }
  if (g == 0) {  // no literal left: a constant
    if (C == 0) {
      out = constant_form(0);
      return true;
    }
    return false;
  }
  if (C != 0) g = std::gcd(g, std::uint64_t((C < 0 ? -static_cast<u128>(C) : static_cast<u128>(C)) % g));
  Form r;
  r.scale = Rational(mpz_class(static_cast<unsigned long>(g)), mpz_class(static_cast<unsigned long>(D)));
  r.scale.canonicalize();
  r.c = mpz_of(C / i128(g));
  r.lits.reserve(total);
  r.w.reserve(total);
  for (std::size_t k = 0; k < count; ++k) {
    if (rn[k] == 0) continue;
    const auto [f, fi, a] = at(k);
    const i128 coef = rn[k] / std::int64_t(g);
    for (std::size_t t = 0; t < f->lits.size(); ++t) r.push(f->lits[t], coef * f->w[t]);  // |coef|, |w| < 2^63
  }
  r.compact();
  out = std::move(r);
  return true;
}

// A tensor of forms; a batch normalization with an irrational root is kept apart (bn) until a
// Sign reads it.
struct BnInfo {
  std::size_t stride = 1, channels = 1;
  std::vector<Rational> gamma, beta, mean, v;
};
struct CTensor {
  ElemType type = ElemType::float32;
  NdArray<Form> t;
  std::shared_ptr<BnInfo> bn;
};

int sign_surd(const Rational& A, const Rational& B, const Rational& v) {  // sign(A + B sqrt(v)), v > 0
  const int sa = sgn(A), sb = sgn(B);
  if (sa >= 0 && sb >= 0) return (sa || sb) ? 1 : 0;
  if (sa <= 0 && sb <= 0) return -1;
  const int c0 = cmp(Rational(A * A), Rational(B * B * v));  // |A| against |B| sqrt(v)
  const int c = (c0 > 0) - (c0 < 0);  // cmp() returns any int of the right sign
  return sa > 0 ? c : -c;
}

// The time budget of the compiler's work between gate requests: the thread's builder defaults
// (a command's --time-limit), counted from the compiler's start, and an interrupt (Ctrl-C in Python).
class SearchBudget {
public:
  SearchBudget() : limit_s_(default_builder_params().time_limit_s) {
    if (limit_s_ > 0 && limit_s_ < 1e9)
      deadline_ = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(limit_s_));
  }
  void check() const {
    if (interrupted()) throw BudgetExceeded("interrupted while compiling");
    if (std::chrono::steady_clock::now() > deadline_) {
      std::ostringstream os;
      os << "the time limit of " << limit_s_ << " s ran out while compiling";
      throw BudgetExceeded(os.str());
    }
  }

private:
  double limit_s_;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
};

// A function of L given by its changes: value vals[0] below ts[0], vals[k] on [ts[k-1], ts[k]).
struct Steps {
  std::vector<mpz_class> ts;
  std::vector<Rational> vals;
};

// The changes of a monotone (nondecreasing or nonincreasing) function g on [lo, hi], by binary
// search for each change; refuses more than `limit` changes. It requests no gates, so the
// Builder's budget never hears of it: it polls `budget` itself (a quantizer's 255 changes over a
// wide sum take long).
bool monotone_steps(const mpz_class& lo, const mpz_class& hi, const std::function<Rational(const mpz_class&)>& g, std::size_t limit,
                    Steps& s, const SearchBudget& budget) {
  s.ts.clear();
  s.vals.assign(1, g(lo));
  if (lo >= hi) return true;
  const Rational last = g(hi);
  const int dir = cmp(last, s.vals[0]) > 0 ? 1 : -1;
  mpz_class cur = lo;
  while (s.vals.back() != last) {
    if (s.ts.size() >= limit) return false;
    budget.check();
    // smallest L in (cur, hi] with g(L) != g(cur)
    mpz_class a = cur + 1, b = hi;
    const Rational& v = s.vals.back();
    while (a < b) {
      mpz_class mid;
      mpz_fdiv_q_2exp(mid.get_mpz_t(), mpz_class(a + b).get_mpz_t(), 1);  // floor, also for negatives
      const int c = cmp(g(mid), v);
      if ((c > 0 ? 1 : c < 0 ? -1 : 0) * dir > 0) b = mid;
      else a = mid + 1;
    }
    s.ts.push_back(a);
    s.vals.push_back(g(a));
    cur = a;
  }
  return true;
}

class Compiler {
public:
  Compiler(const OnnxModel& m, Builder& b, const onnx_compile_params& p) : m_(m), b_(b), p_(p) {}

  onnx_layout run() {
    inputs();
    for (const OnnxNode& n : m_.nodes) {
      cur_ = &n;
      try {
        node(n);
      } catch (const ShapeError& e) {
        throw m_.error(n, e.what());
      } catch (const std::length_error& e) {  // the builder's bound (--max-wires), reached in this node's gates
        fail_bound(e.what());
      }
    }
    cur_ = nullptr;
    try {
      outputs();  // lazy chains become gates here
    } catch (const std::length_error& e) {
      fail_bound(std::string("the graph's outputs as words: ") + e.what());
    }
    return layout_;
  }

private:
  const OnnxModel& m_;
  Builder& b_;
  const onnx_compile_params& p_;
  const SearchBudget budget_;
  onnx_layout layout_;
  mutable std::map<std::string, CTensor> vals_;  // initializers enter when first read
  std::map<std::string, onnx_io> quantized_inputs_;  // graph inputs defined by a leading QuantizeLinear: their q words
  const OnnxNode* cur_ = nullptr;
  // The gates of every ladder: [L >= t_k] for increasing t_k, so each implies the one before. A
  // form over one ladder's gates takes one value per count of gates on: its output word is one
  // gate per bit over them, its width exact (nested_view, output words). Sorted by node when the
  // outputs are made; 16 bytes a ladder gate, beside the Builder's 24 and 8 a wire.
  struct LadderSpot {
    std::uint32_t node, ladder, index;
    bool negated;  // the ladder's gate is this node's negation
  };
  std::vector<LadderSpot> spots_;
  std::uint32_t ladders_ = 0;

  [[noreturn]] void fail(const std::string& why) const {
    if (cur_) throw m_.error(*cur_, why);
    throw OnnxError(m_.file, "", "", why);
  }
  // A product of two input-dependent tensors. A model exported without its weights
  // (torch.onnx.export(..., export_params=False)) has them as graph inputs, and every Gemm lands here.
  std::string product_refusal(const std::string& need) const {
    std::string s = "a product of two tensors that both depend on the input is not supported (" + need + ")";
    if (m_.inputs.size() > 1) {
      s += "; the graph has " + std::to_string(m_.inputs.size()) + " inputs (";
      for (std::size_t k = 0; k < m_.inputs.size() && k < 3; ++k) s += (k ? ", " : "") + m_.inputs[k].name;
      s += m_.inputs.size() > 3 ? ", ...)" : ")";
      s += ": weights exported as inputs (export_params=False) are inputs to tcx too; export the model with its weights";
    }
    return s;
  }
  [[noreturn]] void fail_bound(const std::string& why) const {  // past --max-wires
    throw OnnxLimitError(cur_ ? m_.error(*cur_, why) : OnnxError(m_.file, "", "", why));
  }

  // Tensors of forms live outside the Builder, so they are bounded here against what is left of
  // its memory bound (--max-wires, units of 8 bytes), a Form and its broadcast index counted as
  // form_units: room() before an operator allocates an output whose size the file's shapes
  // decide (a broadcast, ConstantOfShape, a product, a window), and for every tensor stored. A
  // shape the machine cannot hold is then one line naming the node, not an allocation failure.
  static constexpr std::uint64_t form_units = sizeof(Form) / 8 + 2;
  std::uint64_t held_ = 0;  // elements of the tensors stored so far
  std::uint64_t room(const Shape& s) const {
    const std::uint64_t n = shape_size(s), have = b_.memory_room() / form_units;
    if (n > have || held_ > have - n)
      fail_bound("a tensor of " + std::to_string(n) + " elements (shape " + shape_text(s) + "; " + std::to_string(held_) +
           " held already) exceeds the memory bound (--max-wires)");
    return n;
  }

  // ---- inputs and outputs ----

  // A constant tensor by name without compiling anything: an initializer or a Constant's value.
  const OnnxConst* static_const(const std::string& name) const {
    if (auto it = m_.initializers.find(name); it != m_.initializers.end()) return &it->second;
    for (const OnnxNode& n : m_.nodes)
      if (n.op == "Constant" && !n.outputs.empty() && n.outputs[0] == name)
        if (const OnnxAttr* a = n.attr("value"); a && a->kind == OnnxAttr::t) return a->tensor.get();
    return nullptr;
  }

  void inputs() {
    std::uint32_t wire = 0;
    for (const OnnxValueInfo& in : m_.inputs) {
      onnx_io io;
      io.tensor = in.name;
      io.shape = in.shape;
      io.type = in.type;
      io.first_wire = wire;
      // A leading QuantizeLinear (every reader quantizes with one per-tensor scale and zero
      // point) defines the element: its integer q.
      std::vector<const OnnxNode*> readers;
      for (const OnnxNode& n : m_.nodes)
        if (std::find(n.inputs.begin(), n.inputs.end(), in.name) != n.inputs.end()) readers.push_back(&n);
      const OnnxConst *qs = nullptr, *qz = nullptr;
      bool quantized = !readers.empty() && is_float_type(in.type);
      for (const OnnxNode* r : readers) {
        if (r->op != "QuantizeLinear" || !r->domain.empty() || r->inputs[0] != in.name) { quantized = false; break; }
        const OnnxConst* s = static_const(r->inputs.at(1));
        const OnnxConst* z = r->has_input(2) ? static_const(r->inputs[2]) : nullptr;
        if (!s || s->value.size() != 1 || (r->has_input(2) && (!z || z->value.size() != 1))) { quantized = false; break; }
        if (qs && (s->value.data[0] != qs->value.data[0] || (z ? z->value.data[0] : Rational(0)) != (qz ? qz->value.data[0] : Rational(0)) ||
                   (z ? z->type : ElemType::uint8) != (qz ? qz->type : ElemType::uint8))) { quantized = false; break; }
        qs = s;
        qz = z;
      }
      if (quantized && sgn(qs->value.data[0]) > 0) {
        const ElemType qt = qz ? qz->type : ElemType::uint8;
        io.kind = onnx_io::word;
        io.width = type_bits(qt);
        io.is_signed = sgn(type_min(qt)) < 0;
        io.scale = qs->value.data[0];
        const Rational zp = qz ? qz->value.data[0] : Rational(0);
        io.offset = -zp * io.scale;
        io.how = std::string("leading QuantizeLinear: the ") + elem_type_name(qt) + " q, x = (q - " + zp.get_str() + ") * " + io.scale.get_str();
        io.quantizer = true;
        if (io.width > 32) fail("input '" + in.name + "' quantized to more than 32 bits");
      } else {
        if (!is_float_type(in.type) && !is_integer_type(in.type)) fail("input '" + in.name + "' has an unsupported element type");
        switch (p_.input.kind) {
          case onnx_input_spec::bits: io.kind = onnx_io::bit; io.how = "--input bits"; break;
          case onnx_input_spec::signs: io.kind = onnx_io::sign; io.how = "--input signs"; break;
          case onnx_input_spec::int_bits:
          case onnx_input_spec::uint_bits:
            io.kind = onnx_io::word;
            io.width = p_.input.bits_per_element;
            io.is_signed = p_.input.kind == onnx_input_spec::int_bits;
            io.how = std::string("--input ") + (io.is_signed ? "int:" : "uint:") + std::to_string(io.width);
            break;
        }
        if (in.type == ElemType::boolean && io.kind != onnx_io::bit) fail("input '" + in.name + "' is bool: only --input bits fits it");
        if (is_integer_type(in.type)) {  // the values must fit the declared type
          Rational lo = io.kind == onnx_io::sign ? -1 : 0, hi = 1;
          if (io.kind == onnx_io::word) {
            lo = io.is_signed ? Rational(-(mpz_class(1) << (io.width - 1))) : Rational(0);
            hi = io.is_signed ? Rational((mpz_class(1) << (io.width - 1)) - 1) : Rational((mpz_class(1) << io.width) - 1);
          }
          if (lo < type_min(in.type) || hi > type_max(in.type))
            fail("input '" + in.name + "' is " + elem_type_name(in.type) + ": " + io.how + " does not fit it");
        }
      }
      const std::uint64_t elems = io.elements();
      // Inputs are wires too: bounded like the circuit (--max-wires) before anything is allocated.
      const std::uint64_t cap = std::min<std::uint64_t>(std::uint64_t(1) << 31, default_builder_params().max_wires);
      if (elems > cap || elems * io.width + wire > cap)
        fail_bound("input '" + in.name + "' needs more than " + std::to_string(cap) + " input wires (--max-wires)");
      wire += static_cast<std::uint32_t>(elems * io.width);
      layout_.inputs.push_back(io);
    }
    layout_.input_bits = wire;
    // The wires, then each input's forms.
    for (const onnx_io& io : layout_.inputs) {
      CTensor t;
      t.type = io.type;
      t.t.shape = io.shape;
      const std::uint64_t elems = room(io.shape);
      held_ += elems;
      t.t.data.reserve(elems);
      for (std::uint64_t e = 0; e < elems; ++e) {
        const std::string base = p_.names ? io.tensor + "[" + std::to_string(e) + "]" : std::string();
        if (io.kind != onnx_io::word) {
          const Lit x = b_.add_input(base);
          t.t.data.push_back(io.kind == onnx_io::bit ? literal_form(x) : scaled(literal_form(x), 2, -1));
          continue;
        }
        Form f;
        for (std::uint32_t k = 0; k < io.width; ++k) {
          const Lit x = b_.add_input(p_.names ? base + "[" + std::to_string(k) + "]" : std::string());
          mpz_class wv = mpz_class(1) << k;
          if (io.is_signed && k + 1 == io.width) wv = -wv;
          f.push(x, wv);
        }
        t.t.data.push_back(f);  // the integer q or W; the value is scale * W + offset
      }
      if (!io.how.starts_with("leading")) {
        if (io.kind == onnx_io::word && (io.scale != 1 || io.offset != 0))
          for (Form& f : t.t.data) f = scaled(f, io.scale, io.offset);
        vals_[io.tensor] = std::move(t);
      } else {
        quantized_q_[io.tensor] = std::move(t);
        CTensor x = quantized_q_[io.tensor];  // the float input itself: (q - zp) * scale
        for (Form& f : x.t.data) f = scaled(f, io.scale, io.offset);
        vals_[io.tensor] = std::move(x);
        quantized_inputs_[io.tensor] = io;
      }
    }
  }
  std::map<std::string, CTensor> quantized_q_;

  // Output element e as wires: a bit, a sign or a word W with value = scale * W.
  void outputs() {
    std::uint32_t wire = 0;
    layout_.softmax_argmax = p_.softmax_argmax;
    layout_.input = p_.input;
    for (const OnnxValueInfo& o : m_.outputs) {
      const bool predicted = predicted_.count(o.name) > 0;
      if (!predicted) named(o.name);  // an initializer may be a graph output
      auto it = predicted ? predicted_.find(o.name) : vals_.find(o.name);
      if (!predicted && it == vals_.end()) fail("graph output '" + o.name + "' is not computed");
      if (it->second.bn) fail("graph output '" + o.name + "' is a batch normalization with an irrational sqrt(var + epsilon)");
      realize_all(it->second.t);
      const CTensor& t = it->second;
      onnx_io io;
      io.tensor = o.name;
      io.shape = t.t.shape;
      io.type = t.type;
      io.first_wire = wire;
      // Which values can each element take? bit and sign need every element two-valued.
      auto two_values = [&](const Form& f, const Rational& a, const Rational& b) {
        if (f.constant()) return f.value() == a || f.value() == b;
        if (f.lits.size() != 1) return false;
        const Rational v0 = f.scale * Rational(f.c), v1 = f.scale * Rational(f.c + f.weight(0));
        return (v0 == a && v1 == b) || (v0 == b && v1 == a);
      };
      bool bits = true, signs = true;
      for (const Form& f : t.t.data) {
        bits = bits && two_values(f, 0, 1);
        signs = signs && two_values(f, -1, 1);
      }
      std::vector<Word> words;
      if (bits || signs) {
        io.kind = bits ? onnx_io::bit : onnx_io::sign;
        for (const Form& f : t.t.data) {
          if (f.constant()) {
            words.push_back({f.value() == 1 ? lit_true : lit_false});
            continue;
          }
          const bool rising = sgn(f.weight(0)) > 0;  // the literal's 1 gives the larger value
          words.push_back({f.lits[0] ^ !rising});
        }
      } else {
        io.kind = onnx_io::word;
        Rational S = 0;
        for (const Form& f : t.t.data) S = rgcd(S, f.constant() ? f.value() : f.scale);
        if (is_integer_type(t.type) || sgn(S) == 0) S = 1;
        io.scale = S;
        mpz_class lo, hi;
        bool first = true;
        std::vector<Form> ws;
        std::vector<std::optional<NestedView>> nested;
        std::sort(spots_.begin(), spots_.end(), [](const LadderSpot& a, const LadderSpot& b) { return a.node < b.node; });
        for (const Form& f : t.t.data) {
          Form w = scaled(f, 1 / S);  // integer W = value / S
          if (w.scale.get_den() != 1) fail("graph output '" + o.name + "' is not an integer multiple of " + S.get_str());
          w.compact();
          nested.push_back(nested_view(w));
          auto [l, h] = w.range();  // a bound from the weights; the values themselves over a ladder
          l *= w.scale.get_num();
          h *= w.scale.get_num();
          if (nested.back()) {
            const auto [a, b] = std::minmax_element(nested.back()->values.begin(), nested.back()->values.end());
            l = *a;
            h = *b;
          }
          if (first || l < lo) lo = l;
          if (first || h > hi) hi = h;
          first = false;
          ws.push_back(std::move(w));
        }
        io.is_signed = sgn(lo) < 0;
        std::uint32_t width = 1;
        while (true) {
          const mpz_class top = io.is_signed ? mpz_class(mpz_class(1) << (width - 1)) : mpz_class(mpz_class(1) << width);
          if ((io.is_signed ? (lo >= -top && hi < top) : hi < top)) break;
          ++width;
        }
        io.width = width;
        for (std::size_t e = 0; e < ws.size(); ++e) {
          const Form& w = ws[e];
          if (nested[e]) {  // bit j of W after k nested gates: one gate, sum_k (bit(k) - bit(k - 1)) g_k >= 1 - bit(0)
            const NestedView& v = *nested[e];
            const mpz_class mod = mpz_class(1) << width;
            Word word(width);
            for (std::uint32_t j = 0; j < width; ++j) {
              auto bit = [&](std::size_t k) { return std::int64_t(mpz_tstbit(mpz_class(v.values[k] < 0 ? v.values[k] + mod : v.values[k]).get_mpz_t(), j)); };
              std::vector<std::int64_t> d(v.lits.size());
              for (std::size_t k = 0; k < v.lits.size(); ++k) d[k] = bit(k + 1) - bit(k);
              word[j] = b_.add_gate(v.lits, d, 1 - bit(0));
            }
            words.push_back(std::move(word));
            continue;
          }
          std::vector<Term> terms;
          for (std::size_t k = 0; k < w.lits.size(); ++k) terms.push_back(Term{w.lits[k], mpz_class(w.weight(k) * w.scale.get_num())});
          words.push_back(sum_bits(b_, terms, mpz_class(w.c * w.scale.get_num()), 0, width));
        }
      }
      for (std::size_t e = 0; e < words.size(); ++e) {
        const std::string base = p_.names ? o.name + "[" + std::to_string(e) + "]" : std::string();
        if (io.kind != onnx_io::word) b_.add_output(words[e][0], base);
        else
          for (std::uint32_t k = 0; k < io.width; ++k) b_.add_output(words[e][k], p_.names ? base + "[" + std::to_string(k) + "]" : std::string());
      }
      wire += static_cast<std::uint32_t>(words.size() * io.width);
      layout_.outputs.push_back(io);
    }
    layout_.output_bits = wire;
  }

  // ---- helpers ----

  // Input k with every lazy element built (what operators that read forms see).
  const CTensor& in(std::size_t k) {
    CTensor& t = slot(k);
    realize_all(t.t);
    return t;
  }
  // A tensor by name: computed, or an initializer (entering vals_ when first read); null if neither.
  CTensor* named(const std::string& name) const {
    auto it = vals_.find(name);
    if (it == vals_.end()) {
      auto init = m_.initializers.find(name);
      if (init == m_.initializers.end()) return nullptr;
      CTensor t;
      t.type = init->second.type;
      t.t.shape = init->second.value.shape;
      t.t.data.reserve(init->second.value.size());
      for (const Rational& q : init->second.value.data) t.t.data.push_back(constant_form(q));
      it = vals_.emplace(name, std::move(t)).first;
    }
    return &it->second;
  }
  // Input k as it is: lazy elements stay lazy (elementwise operators extend their chains, data
  // movement moves them).
  const CTensor& in_lazy(std::size_t k) { return slot(k); }
  CTensor& slot(std::size_t k) const {
    if (!cur_->has_input(k)) fail("input " + std::to_string(k) + " is missing");
    CTensor* t = named(cur_->inputs[k]);
    if (!t) fail("input '" + cur_->inputs[k] + "' is not available");
    const auto it = vals_.find(cur_->inputs[k]);
    if (it->second.bn && !(cur_->op == "Sign" && k == 0))
      fail("reads '" + cur_->inputs[k] +
           "', a BatchNormalization whose sqrt(var + epsilon) is irrational: only Sign may read it exactly (fold the "
           "BatchNormalization into the layer before it, whose float weights are then exact: torch's eval-mode export folds "
           "Conv + BatchNorm2d, a Linear + BatchNorm1d is folded by hand)");
    return it->second;
  }
  // A constant input's values (every form constant): an initializer's are read as they are (no
  // form per weight), a computed constant's once.
  const NdArray<Rational>& constant(std::size_t k) {
    if (!cur_->has_input(k)) fail("input " + std::to_string(k) + " is missing");
    const std::string& name = cur_->inputs[k];
    if (auto c = consts_.find(name); c != consts_.end()) return c->second;
    if (!vals_.count(name))
      if (auto init = m_.initializers.find(name); init != m_.initializers.end()) return init->second.value;
    const CTensor& t = in(k);
    NdArray<Rational> r;
    r.shape = t.t.shape;
    r.data.reserve(t.t.size());
    for (const Form& f : t.t.data) {
      if (!f.constant()) fail("input " + std::to_string(k) + " ('" + name + "') must be a constant for tcx (it depends on the model's input)");
      r.data.push_back(f.value());
    }
    return consts_.emplace(name, std::move(r)).first->second;
  }
  // Is input k a constant (without building forms for an initializer)?
  bool is_constant_input(std::size_t k) {
    if (!cur_->has_input(k)) return false;
    auto it = vals_.find(cur_->inputs[k]);
    if (it == vals_.end()) return m_.initializers.count(cur_->inputs[k]) > 0;
    if (it->second.bn) return false;
    return std::all_of(it->second.t.data.begin(), it->second.t.data.end(), [](const Form& f) { return f.constant(); });
  }
  std::map<std::string, NdArray<Rational>> consts_;
  std::vector<std::int64_t> constant_ints(std::size_t k) {
    std::vector<std::int64_t> r;
    for (const Rational& q : constant(k).data) {
      if (q.get_den() != 1 || !mpz_fits_slong_p(q.get_num_mpz_t())) fail("expects integers, found " + q.get_str());
      r.push_back(q.get_num().get_si());
    }
    return r;
  }
  void set(std::size_t k, ElemType type, NdArray<Form> t) {
    if (k < cur_->outputs.size() && !cur_->outputs[k].empty()) {
      held_ += room(t.shape);
      vals_[cur_->outputs[k]] = CTensor{type, std::move(t), nullptr};
    }
  }
  std::int64_t iattr(const char* name, std::int64_t def) const { return cur_->int_attr(name, def); }
  std::vector<std::int64_t> ints_attr(const char* name) const { return cur_->ints_attr(name); }
  std::string sattr(const char* name, const std::string& def) const { return cur_->string_attr(name, def); }
  Rational fattr(const char* name, const Rational& def) const { return cur_->float_attr(name, def); }

  // Integer results must stay in their type: checked on the forms' ranges (docs/onnx.md).
  void check_fits(ElemType type, const NdArray<Form>& t) const {
    if (!is_integer_type(type)) return;
    for (const Form& f : t.data) {
      auto [lo, hi] = f.range();
      const Rational l = f.scale * Rational(lo), h = f.scale * Rational(hi);
      if (l < type_min(type) || h > type_max(type))
        fail(std::string(type_min(type) < 0 ? "an " : "a ") + elem_type_name(type) + " result may take values in [" + l.get_str() + ", " + h.get_str() + "], outside its type");
    }
  }

  // Gates [L >= t] for the thresholds (increasing) of a form's integer part L.
  std::vector<Lit> ladder(const Form& f, const std::vector<mpz_class>& ts) {
    std::vector<Lit> out(ts.size());
    bool small = !f.big;
    std::vector<std::int64_t> t64;
    for (const mpz_class& t : ts) {
      const mpz_class r = t - f.c;
      if (!mpz_fits_slong_p(r.get_mpz_t())) small = false;
      else t64.push_back(r.get_si());
    }
    if (small) {
      b_.add_gates(f.lits, f.w, t64, out);
    } else {
      std::vector<mpz_class> w;
      for (std::size_t k = 0; k < f.lits.size(); ++k) w.push_back(f.weight(k));
      for (std::size_t k = 0; k < ts.size(); ++k) out[k] = b_.add_gate(f.lits, w, mpz_class(ts[k] - f.c));
    }
    for (std::size_t k = 0; k < out.size(); ++k)
      if (!out[k].is_constant()) spots_.push_back({out[k].node(), ladders_, static_cast<std::uint32_t>(k), out[k].negated()});
    ++ladders_;
    return out;
  }

  // An integer form (scale an integer) over the gates of one ladder, read as the nested literals
  // g_1..g_m it is a sum of (each implying the one before) and its values v_0..v_m when the first
  // k are on; nullopt when its literals are not all of one ladder. spots_ must be sorted.
  struct NestedView {
    std::vector<Lit> lits;
    std::vector<mpz_class> values;
  };
  std::optional<NestedView> nested_view(const Form& f) const {
    if (f.lits.empty() || f.lazy || f.scale.get_den() != 1) return std::nullopt;
    auto spots_of = [&](node_id n) {
      return std::equal_range(spots_.begin(), spots_.end(), LadderSpot{n, 0, 0, false},
                              [](const LadderSpot& a, const LadderSpot& b) { return a.node < b.node; });
    };
    const auto [first, last] = spots_of(f.lits[0].node());
    for (auto cand = first; cand != last; ++cand) {  // a gate may be shared by several ladders
      std::vector<std::pair<std::uint32_t, std::size_t>> at;  // (index in the ladder, term k)
      std::vector<Lit> ladder_lit(f.lits.size());
      for (std::size_t k = 0; k < f.lits.size(); ++k) {
        const auto [a, b] = spots_of(f.lits[k].node());
        const auto s = std::find_if(a, b, [&](const LadderSpot& x) { return x.ladder == cand->ladder; });
        if (s == b) break;
        at.push_back({s->index, k});
        ladder_lit[k] = Lit(s->node, s->negated);
      }
      if (at.size() != f.lits.size()) continue;
      std::sort(at.begin(), at.end());
      NestedView v;
      mpz_class c = f.c;
      std::vector<mpz_class> coef;
      for (const auto& [index, k] : at) {
        // term w x: x is the ladder's gate g, or its negation 1 - g
        const mpz_class w = f.weight(k);
        const bool flipped = f.lits[k] != ladder_lit[k];
        if (flipped) c += w;
        v.lits.push_back(ladder_lit[k]);
        coef.push_back(flipped ? mpz_class(-w) : w);
      }
      const mpz_class sc = f.scale.get_num();
      v.values.push_back(sc * c);
      for (const mpz_class& a : coef) v.values.push_back(v.values.back() + sc * a);
      return v;
    }
    return std::nullopt;
  }

  // The value vals[k] when the first k gates of a ladder (lf, as forms) are on, unary: vals[0] +
  // sum_k (vals[k + 1] - vals[k]) g_k, exact because each gate implies the one before.
  static Form unary_over(const std::vector<Form>& lf, const std::vector<Rational>& vals) {
    std::vector<Part> parts;
    parts.reserve(lf.size());
    for (std::size_t k = 0; k < lf.size(); ++k) parts.push_back({vals[k + 1] - vals[k], &lf[k]});
    return combine(parts, vals[0]);
  }

  // The form of a step function of f's integer part: a ladder, then the value as a linear form
  // over it (unary) or, for many steps, over binary digits (one more gate per digit).
  Form realize(const Form& f, const Steps& s) {
    if (s.ts.empty()) return constant_form(s.vals[0]);
    const std::vector<Lit> g = ladder(f, s.ts);
    const std::size_t m = g.size();
    // Binary when the values are v0 + S * (0..2^k) with 2^k much smaller than the steps.
    Rational S = 0;
    Rational vmin = s.vals[0];
    for (const Rational& v : s.vals) vmin = std::min(vmin, v);
    for (const Rational& v : s.vals) S = rgcd(S, v - vmin);
    std::vector<mpz_class> Y;
    mpz_class ymax = 0;
    if (sgn(S) > 0)
      for (const Rational& v : s.vals) {
        Y.push_back(Rational((v - vmin) / S).get_num());
        ymax = std::max(ymax, Y.back());
      }
    const std::size_t width = sgn(S) > 0 ? mpz_sizeinbase(ymax.get_mpz_t(), 2) : 0;
    if (m <= 2 * width + 1) {
      std::vector<Form> lf(m);
      for (std::size_t k = 0; k < m; ++k) lf[k] = literal_form(g[k]);
      return unary_over(lf, s.vals);
    }
    // Bit j of Y as a function of how many ladder gates are on: one gate over the ladder.
    Form out;
    out.scale = S;
    out.c = 0;
    for (std::size_t j = 0; j < width; ++j) {
      std::vector<std::int64_t> w(m);
      auto bit = [&](std::size_t k) { return std::int64_t(mpz_tstbit(Y[k].get_mpz_t(), j)); };
      for (std::size_t k = 0; k < m; ++k) w[k] = bit(k + 1) - bit(k);
      const Lit y = b_.add_gate(g, w, 1 - bit(0));
      out.push(y, mpz_class(mpz_class(1) << j));
    }
    return scaled(out, 1, vmin);
  }

  // Largest number of changes a step function may have before a binary construction is used.
  static constexpr std::size_t max_steps = 4096;

  // clamp(value, a, b) in binary when it has too many distinct results for a ladder: the exact
  // sum and one clip (round_sum_clipped, depth 4), the value then a two's-complement word.
  Form clip_binary(const Form& f, const std::optional<Rational>& a, const std::optional<Rational>& b) {
    Rational S2 = f.scale;
    if (a) S2 = rgcd(S2, *a);
    if (b) S2 = rgcd(S2, *b);
    const mpz_class k = Rational(f.scale / S2).get_num();
    auto [lo, hi] = f.range();
    lo *= k;
    hi *= k;
    mpz_class clo = lo, chi = hi;
    if (a) clo = std::max(clo, Rational(*a / S2).get_num());
    if (b) chi = std::min(chi, Rational(*b / S2).get_num());
    if (clo > chi) return constant_form(Rational(clo) * S2);  // every value clipped to a (a > b is refused earlier)
    mpz_class big = std::max(abs(lo), abs(hi)) + 1;
    FixedFormat fmt;
    fmt.bits = static_cast<std::uint32_t>(mpz_sizeinbase(big.get_mpz_t(), 2)) + 1;
    fmt.frac = 0;
    fmt.is_signed = true;
    std::vector<Term> terms;
    for (std::size_t t = 0; t < f.lits.size(); ++t) terms.push_back(Term{f.lits[t], mpz_class(f.weight(t) * k)});
    const Word y = round_sum_clipped(b_, terms, mpz_class(f.c * k), 0, fmt, Rounding::floor, clo, chi);
    Form out;
    for (std::size_t j = 0; j < y.size(); ++j) {
      mpz_class wj = mpz_class(1) << j;
      if (j + 1 == y.size()) wj = -wj;
      out.push(y[j], wj);
    }
    out.compact();
    out.scale = S2;
    return out;
  }

  // f's value through an elementwise function g of the value (rational -> rational), monotone.
  Form monotone(const Form& f, const std::function<Rational(const Rational&)>& g, const char* what, std::size_t limit = max_steps) {
    if (f.constant()) return constant_form(g(f.value()));
    auto [lo, hi] = f.range();
    Steps s;
    if (!monotone_steps(lo, hi, [&](const mpz_class& L) { return g(f.scale * Rational(L)); }, limit, s, budget_))
      fail(std::string(what) + " of a value with more than " + std::to_string(limit) + " distinct results: quantize it first");
    return realize(f, s);
  }

  // clamp(f, lo, hi) on its own: a ladder when the clipped value has few distinct results, else
  // the exact sum in binary and one clip.
  // LeakyRelu (any alpha) and |x| as sums of a Relu: alpha x + (1 - alpha) relu(x).
  Form leaky_relu(const Form& f, const Rational& alpha) {
    const Form r = clip_form(f, Rational(0), std::nullopt);
    return combine({{alpha, &f}, {1 - alpha, &r}}, 0);
  }
  Form clip_form(const Form& f, const std::optional<Rational>& lo, const std::optional<Rational>& hi) {
    auto clip = [&](const Rational& v) {
      Rational r = v;
      if (lo && r < *lo) r = *lo;
      if (hi && r > *hi) r = *hi;
      return r;
    };
    if (f.constant()) return constant_form(clip(f.value()));
    auto [l, h] = f.range();
    // the distinct results are about the L in the unclipped part of the range
    mpz_class a = l, z = h;
    if (lo) a = std::max(a, ceil_q(*lo / f.scale));
    if (hi) z = std::min(z, floor_q(*hi / f.scale));
    Steps s;
    if (z - a < mpz_class(static_cast<unsigned long>(max_steps)) &&
        monotone_steps(l, h, [&](const mpz_class& L) { return clip(f.scale * Rational(L)); }, max_steps, s, budget_))
      return realize(f, s);
    return clip_binary(f, lo, hi);
  }

  // ---- lazy chains of elementwise operators ----

  // x through one more elementwise operator: a chain link (or, for a constant or an affine map of
  // a built form, the result right away).
  static Form chain(const Form& x, Link l) {
    if (!x.lazy && x.constant()) return constant_form(l.apply(x.value()));
    if (!x.lazy && l.kind == Link::affine) return scaled(x, l.a, l.b);
    auto z = std::make_shared<Lazy>();
    if (x.lazy) *z = *x.lazy;
    else z->base = std::make_shared<const Form>(x);
    z->links.push_back(std::move(l));
    Form y;
    y.lazy = std::move(z);
    return y;
  }
  Link affine(const Rational& a, const Rational& b) const {
    Link l;
    l.kind = Link::affine;
    l.node = cur_;
    l.a = a;
    l.b = b;
    return l;
  }
  Link fn_link(std::function<Rational(const Rational&)> g, const char* what, std::uint64_t max_values) const {
    Link l;
    l.node = cur_;
    l.g = std::move(g);
    l.what = what;
    l.max_values = max_values;
    return l;
  }
  // saturate(round_half_even(v / s) + z) into the type's range.
  Link quantize_link(const Rational& s, const Rational& z, ElemType to) const {
    const mpz_class lo = type_min(to), hi = type_max(to);
    const mpz_class span = hi - lo + 1;
    Link l = fn_link([s, z, lo, hi](const Rational& v) -> Rational { return quantize(v, s, z, lo, hi); },
                     cur_->op == "QLinearMatMul" ? "QLinearMatMul" : "QuantizeLinear",
                     span <= mpz_class(static_cast<unsigned long>(max_steps) + 1) ? span.get_ui() : 0);  // (16-bit: as before, by steps found)
    l.integer_results = true;
    return l;
  }
  static bool any_lazy(const NdArray<Form>& t) {
    return std::any_of(t.data.begin(), t.data.end(), [](const Form& f) { return f.lazy != nullptr; });
  }

  // The steps of a whole chain as one function of the base's integer part, when it has at most
  // max_steps of them (or as many as some link bounds its results to); nullopt otherwise, and
  // also without searching when nothing bounds the count (a Relu alone on a wide sum).
  // Reads nothing that changes: runs on many elements at once.
  std::optional<Steps> fused_steps(const Lazy& z) const {
    const Form& f = *z.base;
    auto [lo, hi] = f.range();
    mpz_class bound = hi - lo + 1;  // distinct values, at most
    bool first = true, integral = false;  // integral: every value so far an integer
    for (const Link& l : z.links) {
      if (l.kind == Link::fn && l.max_values) bound = std::min(bound, mpz_class(static_cast<unsigned long>(l.max_values)));
      if (l.kind == Link::clip && integral && l.lo && l.hi)  // an integer clipped to [lo, hi]
        bound = std::min(bound, mpz_class(std::max(mpz_class(floor_q(*l.hi) - ceil_q(*l.lo) + 1), mpz_class(0)) + 2));  // and lo, hi
      integral = (l.kind == Link::fn && l.integer_results) ||
                 (integral && l.kind == Link::clip && (!l.lo || l.lo->get_den() == 1) && (!l.hi || l.hi->get_den() == 1)) ||
                 (integral && l.kind == Link::affine && l.a.get_den() == 1 && l.b.get_den() == 1);
      if (l.kind == Link::clip && first) {  // on the base itself: the unclipped part of the range, and the two ends
        mpz_class a = lo, b = hi;
        if (l.lo) a = std::max(a, ceil_q(*l.lo / f.scale));
        if (l.hi) b = std::min(b, floor_q(*l.hi / f.scale));
        bound = std::min(bound, mpz_class(std::max(mpz_class(b - a + 1), mpz_class(0)) + 2));
      }
      first = false;  // (an affine map of a built form is applied at once, so a chain never starts with one)
    }
    std::size_t limit = max_steps;
    if (bound > mpz_class(static_cast<unsigned long>(max_steps) + 1)) {
      if (bound > mpz_class(1 << 20)) return std::nullopt;
      limit = static_cast<std::size_t>(bound.get_ui());  // a link promises that many (a MultiThreshold's)
      bool promised = false;
      for (const Link& l : z.links) promised = promised || (l.kind == Link::fn && l.max_values && l.max_values <= limit);
      if (!promised) return std::nullopt;
    }
    Steps s;
    auto g = [&](const mpz_class& L) {
      Rational v = f.scale * Rational(L);
      for (const Link& l : z.links) v = l.apply(v);
      return v;
    };
    if (!monotone_steps(lo, hi, g, limit, s, budget_)) return std::nullopt;
    return s;
  }

  // The chain one operator at a time, each built on its own (when the composition has too many
  // steps for one ladder): what compiling the operators one by one gives, errors included.
  Form one_by_one(const Lazy& z) {
    Form y = *z.base;
    const OnnxNode* saved = cur_;
    for (const Link& l : z.links) {
      cur_ = l.node;
      switch (l.kind) {
        case Link::fn: y = monotone(y, l.g, l.what, std::max<std::size_t>(max_steps, l.max_values)); break;
        case Link::clip: y = clip_form(y, l.lo, l.hi); break;
        case Link::affine: y = scaled(y, l.a, l.b); break;
        case Link::leaky: y = leaky_relu(y, l.a); break;
      }
    }
    cur_ = saved;
    return y;
  }

  // Every lazy element of t built, in order (the circuit does not depend on threads): the
  // steps of all elements are found in parallel, then each becomes one ladder.
  void realize_all(NdArray<Form>& t) {
    std::vector<std::size_t> todo;
    for (std::size_t k = 0; k < t.data.size(); ++k)
      if (t.data[k].lazy) todo.push_back(k);
    if (todo.empty()) return;
    std::vector<std::optional<Steps>> steps(todo.size());
    tbb::parallel_for(std::size_t(0), todo.size(), [&](std::size_t i) { steps[i] = fused_steps(*t.data[todo[i]].lazy); });
    for (std::size_t i = 0; i < todo.size(); ++i) {
      const std::shared_ptr<const Lazy> z = t.data[todo[i]].lazy;
      t.data[todo[i]] = steps[i] ? realize(*z->base, *steps[i]) : one_by_one(*z);
    }
  }
  void realize_all(CTensor& t) { realize_all(t.t); }

  // ---- operators ----

  NdArray<Form> map1(const NdArray<Form>& a, const std::function<Form(const Form&)>& f) {
    NdArray<Form> r;
    r.shape = a.shape;
    r.data.reserve(a.size());
    for (const Form& x : a.data) r.data.push_back(f(x));
    return r;
  }
  NdArray<Form> map2(const NdArray<Form>& a, const NdArray<Form>& b, const std::function<Form(const Form&, const Form&)>& f) {
    NdArray<Form> r;
    r.shape = broadcast_shape(a.shape, b.shape);
    room(r.shape);
    const auto ma = broadcast_map(a.shape, r.shape), mb = broadcast_map(b.shape, r.shape);
    r.data.reserve(ma.size());
    for (std::size_t k = 0; k < ma.size(); ++k) r.data.push_back(f(a.data[ma[k]], b.data[mb[k]]));
    return r;
  }

  // The product of a 0/1 form (one literal) and any form: AND gates per literal.
  Form gate_by(Lit c, const Form& x) {
    std::vector<Form> ands;
    ands.reserve(x.lits.size() + 1);
    std::vector<Part> parts;
    Form cf = literal_form(c);
    for (std::size_t k = 0; k < x.lits.size(); ++k) {
      ands.push_back(literal_form(and2(b_, c, x.lits[k])));
    }
    std::vector<Part> ps;
    for (std::size_t k = 0; k < x.lits.size(); ++k) ps.push_back({x.scale * Rational(x.weight(k)), &ands[k]});
    ps.push_back({x.scale * Rational(x.c), &cf});
    return combine(ps, 0);
  }
  // A bool form as one literal (or a constant).
  Lit as_bit(const Form& f) {
    if (f.constant()) return sgn(f.c) ? lit_true : lit_false;
    if (f.lits.size() == 1) {
      const Rational v0 = f.scale * Rational(f.c), v1 = f.scale * Rational(f.c + f.weight(0));
      if (v0 == 0 && v1 == 1) return f.lits[0];
      if (v0 == 1 && v1 == 0) return !f.lits[0];
    }
    auto [lo, hi] = f.range();  // any other: [value != 0] from two gates
    Steps s{{mpz_class(0), mpz_class(1)}, {1, 0, 1}};
    if (lo >= 0) s = Steps{{mpz_class(1)}, {0, 1}};
    return as_bit(realize(f, s));
  }

  // "i beats j": i's value larger, or equal and i first (or last with select_last).
  // Returns the one-hot winners of a set of forms.
  std::vector<Lit> winners(const std::vector<const Form*>& xs, bool larger, bool last) {
    const std::size_t k = xs.size();
    if (k == 1) return {lit_true};
    // k(k - 1)/2 comparisons of at least one gate each (3 units of 8 bytes) and the k x k table of
    // who beats whom (4 bytes an entry): refused up front when past the memory bound.
    const long double need = static_cast<long double>(k) * (k - 1) / 2 * 3 + static_cast<long double>(k) * k / 2;
    if (need > static_cast<long double>(b_.memory_room()))
      fail_bound("comparing " + std::to_string(k) + " values pairwise (" + cur_->op + ": " + std::to_string(k) + " x " + std::to_string(k - 1) +
                 " / 2 comparisons) exceeds the memory bound (--max-wires)");
    std::vector<std::vector<Lit>> beats(k, std::vector<Lit>(k, lit_true));
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = i + 1; j < k; ++j) {
        // i before j: i beats j iff x_i > x_j, or equal and not `last`
        Form d = combine({{larger ? Rational(1) : Rational(-1), xs[i]}, {larger ? Rational(-1) : Rational(1), xs[j]}}, 0);
        Lit bij;
        if (d.constant()) bij = (sgn(d.c) > 0 || (sgn(d.c) == 0 && !last)) ? lit_true : lit_false;
        else bij = ladder(d, {mpz_class(last ? 1 : 0)})[0];
        beats[i][j] = bij;
        beats[j][i] = !bij;
      }
    std::vector<Lit> win(k);
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<Lit> fan;
      for (std::size_t j = 0; j < k; ++j)
        if (j != i) fan.push_back(beats[i][j]);
      win[i] = and_all(b_, fan);
    }
    return win;
  }

  Form max_of(const std::vector<const Form*>& xs) {
    if (xs.size() == 1) return *xs[0];
    const std::vector<Lit> win = winners(xs, true, false);
    std::vector<Form> parts(xs.size());
    std::vector<Part> ps;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      parts[i] = gate_by(win[i], *xs[i]);
      ps.push_back({1, &parts[i]});
    }
    return combine(ps, 0);
  }
  // The largest of the forms, or (larger false) the smallest: minus the largest of the negations.
  Form extreme_of(const std::vector<const Form*>& xs, bool larger) {
    if (larger) return max_of(xs);
    std::vector<Form> negated;
    negated.reserve(xs.size());
    for (const Form* f : xs) negated.push_back(scaled(*f, -1));
    std::vector<const Form*> ns;
    for (const Form& f : negated) ns.push_back(&f);
    return scaled(max_of(ns), -1);
  }

  // One side of a matrix product: input-dependent forms, or constant values.
  struct Side {
    NdArray<Form> forms;
    bool constant = false;
    const NdArray<Rational>* ext = nullptr;  // the values when they are stored elsewhere (an initializer)
    NdArray<Rational> own;                   // else here
    const NdArray<Rational>& values() const { return ext ? *ext : own; }
    const Shape& shape() const { return constant ? values().shape : forms.shape; }
  };
  Side side(std::size_t k) {
    Side s;
    if (is_constant_input(k)) {
      s.constant = true;
      s.ext = &constant(k);
    } else {
      s.forms = in(k).t;
    }
    return s;
  }
  ElemType type_of(std::size_t k) {
    if (!cur_->has_input(k)) fail("input " + std::to_string(k) + " is missing");
    if (auto it = vals_.find(cur_->inputs[k]); it != vals_.end()) return it->second.type;
    if (auto init = m_.initializers.find(cur_->inputs[k]); init != m_.initializers.end()) return init->second.type;
    return slot(k).type;  // (fails: not available)
  }

  // Matrix product where one side is constant (w_transposed: the constant side is stored
  // transposed, Gemm's transB; 2-D only). Each output element is one combine of K forms, in
  // 64-bit integers when everything fits (combine_fast), on all cores.
  NdArray<Form> matmul(Side a, Side b, const char* what, bool a_transposed = false, bool b_transposed = false) {
    if (a.constant && b.constant) {  // both constant (a Sign that never changes): a as forms
      for (const Rational& q : a.values().data) a.forms.data.push_back(constant_form(q));
      a.forms.shape = a.values().shape;
      a.constant = false;
      if (a_transposed) a.forms = transpose(a.forms, {1, 0}), a_transposed = false;
    }
    if (!a.constant && !b.constant) {
      auto all_const = [](const Side& x) { return std::all_of(x.forms.data.begin(), x.forms.data.end(), [](const Form& f) { return f.constant(); }); };
      auto to_values = [](Side& x) {
        x.own.shape = x.forms.shape;
        for (const Form& f : x.forms.data) x.own.data.push_back(f.value());
        x.constant = true;
      };
      if (all_const(b)) {
        to_values(b);
      } else if (all_const(a)) {
        to_values(a);
      } else {
        fail(product_refusal("one side must be constant"));
      }
    }
    const bool right = b.constant;  // the constant is on the right: x @ w
    if ((a_transposed && !a.constant) || (b_transposed && !b.constant)) fail("internal: only a constant side is read transposed");
    Shape as = a.shape(), bs = b.shape();
    if (as.empty() || bs.empty()) fail("MatMul of a scalar");
    if (a_transposed) std::swap(as[0], as[1]);
    if (b_transposed) std::swap(bs[0], bs[1]);
    const bool a1 = as.size() == 1, b1 = bs.size() == 1;
    if (a1) as.insert(as.begin(), 1);
    if (b1) bs.push_back(1);
    const std::int64_t M = as[as.size() - 2], K = as.back(), K2 = bs[bs.size() - 2], N = bs.back();
    if (K != K2) fail(std::string(what) + ": inner dimensions " + std::to_string(K) + " and " + std::to_string(K2) + " differ");
    const Shape ba(as.begin(), as.end() - 2), bb(bs.begin(), bs.end() - 2);
    const Shape batch = broadcast_shape(ba, bb);
    NdArray<Form> r;
    r.shape = batch;
    r.shape.push_back(M);
    r.shape.push_back(N);
    room(r.shape);  // before the broadcast maps, which are as long as the batch
    const auto ma = broadcast_map(ba, batch), mb = broadcast_map(bb, batch);
    r.data.resize(shape_size(r.shape));
    const NdArray<Rational>& w = right ? b.values() : a.values();
    const NdArray<Form>& x = right ? a.forms : b.forms;
    std::vector<Q64> wq(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) wq[k] = q64(w.data[k]);
    std::vector<FormInfo> xi(x.size());
    for (std::size_t k = 0; k < x.size(); ++k) xi[k] = info_of(x.data[k]);
    // flat indices of A[q][i][k] and B[q][k][j] (a transposed constant: 2-D, no batch)
    auto a_at = [&](std::size_t q, std::int64_t i, std::int64_t k) -> std::size_t {
      return a_transposed ? std::size_t(k * M + i) : (ma[q] * M + i) * K + k;
    };
    auto b_at = [&](std::size_t q, std::int64_t k, std::int64_t j) -> std::size_t {
      return b_transposed ? std::size_t(j * K + k) : (mb[q] * K2 + k) * N + j;
    };
    tbb::parallel_for(std::size_t(0), r.data.size(), [&](std::size_t o) {
      const std::size_t q = o / std::size_t(M * N);
      const std::int64_t i = std::int64_t(o / std::size_t(N) % std::size_t(M)), j = std::int64_t(o % std::size_t(N));
      auto at = [&](std::size_t k) {
        const std::size_t ai = a_at(q, i, std::int64_t(k)), bi = b_at(q, std::int64_t(k), j);
        return right ? std::tuple{&x.data[ai], &xi[ai], wq[bi]} : std::tuple{&x.data[bi], &xi[bi], wq[ai]};
      };
      if (combine_fast(std::size_t(K), at, Q64{0, 1, true}, r.data[o])) return;
      std::vector<Part> parts;
      for (std::int64_t k = 0; k < K; ++k) {
        const std::size_t ai = a_at(q, i, k), bi = b_at(q, k, j);
        if (right) parts.push_back({w.data[bi], &x.data[ai]});
        else parts.push_back({w.data[ai], &x.data[bi]});
      }
      r.data[o] = combine(parts, 0);
    });
    if (a1) r.shape.erase(r.shape.end() - 2);
    if (b1) r.shape.pop_back();
    return r;
  }

  std::function<const Rational&(std::size_t)> per_axis(const Shape& xs, const NdArray<Rational>& p, std::int64_t axis_attr) {
    if (p.size() == 1) return [&p](std::size_t) -> const Rational& { return p.data[0]; };
    if (p.rank() != 1) fail("a quantization parameter must be a scalar or 1-D");
    const std::size_t axis = norm_axis(axis_attr, xs.size());
    if (p.shape[0] != xs[axis]) fail("a per-axis quantization parameter has " + std::to_string(p.shape[0]) + " entries for an axis of " + std::to_string(xs[axis]));
    std::uint64_t inner = 1;
    for (std::size_t k = axis + 1; k < xs.size(); ++k) inner *= std::uint64_t(xs[k]);
    const std::uint64_t dim = std::uint64_t(xs[axis]);
    return [&p, inner, dim](std::size_t f) -> const Rational& { return p.data[(f / inner) % dim]; };
  }

  // saturate(round_half_even(v / s) + z) into [lo, hi]: monotone in v.
  static Rational quantize(const Rational& v, const Rational& s, const Rational& z, const mpz_class& lo, const mpz_class& hi) {
    mpz_class q = round_half_even(v / s) + z.get_num();
    if (q < lo) q = lo;
    if (q > hi) q = hi;
    return Rational(q);
  }

  // Window geometry (auto_pad included) and window_members below are written apart from the
  // interpreter's (interpret.cpp) on purpose: the interpreter is the independent check of this
  // compiler, so the two must not share code. `duplicates` reports the pair; leave it.
  Window window_of(const Shape& xs, std::vector<std::int64_t> kernel) {
    if (xs.size() < 3) fail("expects N x C x spatial input, got " + shape_text(xs));
    Window w;
    w.kernel = std::move(kernel);
    w.strides = ints_attr("strides");
    w.dilations = ints_attr("dilations");
    w.pads = ints_attr("pads");
    w.ceil_mode = iattr("ceil_mode", 0) != 0;
    const Shape sp(xs.begin() + 2, xs.end());
    const std::string ap = sattr("auto_pad", "NOTSET");
    if (ap == "SAME_UPPER" || ap == "SAME_LOWER") {
      const std::size_t d = sp.size();
      std::vector<std::int64_t> st = w.strides.empty() ? std::vector<std::int64_t>(d, 1) : w.strides;
      std::vector<std::int64_t> dl = w.dilations.empty() ? std::vector<std::int64_t>(d, 1) : w.dilations;
      w.pads.assign(2 * d, 0);
      for (std::size_t k = 0; k < d && k < w.kernel.size() && k < st.size() && k < dl.size(); ++k) {
        const std::int64_t outk = (sp[k] + st[k] - 1) / st[k];
        const std::int64_t total = std::max<std::int64_t>(0, (outk - 1) * st[k] + (w.kernel[k] - 1) * dl[k] + 1 - sp[k]);
        w.pads[k] = ap == "SAME_UPPER" ? total / 2 : total - total / 2;
        w.pads[k + d] = total - w.pads[k];
      }
    } else if (ap == "VALID") {
      w.pads.clear();
    } else if (ap != "NOTSET") {
      fail("auto_pad '" + ap + "' is not supported");
    }
    w.resolve(sp);
    return w;
  }
  // The in-range input positions (spatial flat index) of window o, with kernel offsets.
  static void window_members(const Window& w, const Shape& sp, std::uint64_t o, std::vector<std::pair<std::int64_t, std::uint64_t>>& out,
                             std::uint64_t& padded) {
    out.clear();
    padded = 0;
    const std::size_t d = sp.size();
    std::vector<std::int64_t> oi(d), ki(d);
    std::uint64_t rem = o;
    for (std::size_t k = d; k-- > 0;) {
      oi[k] = std::int64_t(rem % std::uint64_t(w.out[k]));
      rem /= std::uint64_t(w.out[k]);
    }
    std::uint64_t ks = 1;
    for (auto k : w.kernel) ks *= std::uint64_t(k);
    for (std::uint64_t kf = 0; kf < ks; ++kf) {
      std::uint64_t r2 = kf;
      for (std::size_t k = d; k-- > 0;) {
        ki[k] = std::int64_t(r2 % std::uint64_t(w.kernel[k]));
        r2 /= std::uint64_t(w.kernel[k]);
      }
      std::int64_t flat = 0;
      bool inside = true;
      for (std::size_t k = 0; k < d; ++k) {
        const std::int64_t p = oi[k] * w.strides[k] + ki[k] * w.dilations[k] - w.pads[k];
        if (p < 0 || p >= sp[k]) inside = false;
        flat = flat * sp[k] + p;
      }
      if (inside) out.push_back({flat, kf});
      else ++padded;
    }
  }

  // Add/Sub/Mul/Div of a lazy float tensor and a constant one: an affine link (true: done).
  bool lazy_affine(const OnnxNode& n) {
    const CTensor &a = in_lazy(0), &b = in_lazy(1);
    if (a.type != b.type || is_integer_type(a.type) || !(any_lazy(a.t) || any_lazy(b.t))) return false;
    auto all_const = [](const NdArray<Form>& t) { return std::all_of(t.data.begin(), t.data.end(), [](const Form& f) { return f.constant(); }); };
    const bool ca = all_const(a.t), cb = all_const(b.t);
    if (!(ca || cb) || (n.op == "Div" && !cb)) return false;  // two input-dependent sides, or a division by one: built forms
    const bool add = n.op == "Add" || n.op == "Sub";
    const Rational sb = n.op == "Sub" ? -1 : 1;
    set(0, a.type, map2(a.t, b.t, [&](const Form& x, const Form& y) -> Form {
          if (y.constant()) {
            const Rational k = y.value();
            if (add) return chain(x, affine(1, sb * k));
            if (n.op == "Div") {
              if (sgn(k) == 0) fail("division by zero");
              return chain(x, affine(1 / k, 0));
            }
            return chain(x, affine(k, 0));
          }
          const Rational k = x.value();
          return add ? chain(y, affine(sb, k)) : chain(y, affine(k, 0));
        }));
    return true;
  }

  // x - zero point (input k; rows: a 1-D zero point is per row of a matrix x).
  void minus_zero_point(Side& x, std::size_t k, bool rows) {
    if (x.constant) {
      NdArray<Rational> z = constant(k);
      const NdArray<Rational>& v = x.values();
      if (rows && z.rank() == 1 && v.rank() >= 2) z.shape = {z.shape[0], 1};
      NdArray<Rational> d;
      d.shape = broadcast_shape(v.shape, z.shape);
      const auto mv = broadcast_map(v.shape, d.shape), mz = broadcast_map(z.shape, d.shape);
      for (std::size_t f = 0; f < mv.size(); ++f) d.data.push_back(v.data[mv[f]] - z.data[mz[f]]);
      x.own = std::move(d);
      x.ext = nullptr;
      return;
    }
    NdArray<Form> z = in(k).t;
    if (rows && z.rank() == 1 && x.forms.rank() >= 2) z.shape = {z.shape[0], 1};
    x.forms = map2(x.forms, z, [&](const Form& p, const Form& q) { return combine({{1, &p}, {-1, &q}}, 0); });
  }

  // ArgMax (larger) / ArgMin along an axis: the one-hot winners, then their index.
  NdArray<Form> argmax_forms(const NdArray<Form>& x, std::size_t axis, bool larger, bool last, bool keep) {
    std::uint64_t outer = 1, inner = 1;
    for (std::size_t k = 0; k < axis; ++k) outer *= std::uint64_t(x.shape[k]);
    for (std::size_t k = axis + 1; k < x.rank(); ++k) inner *= std::uint64_t(x.shape[k]);
    const std::int64_t dim = x.shape[axis];
    if (dim == 0) fail("ArgMax over an empty axis");
    NdArray<Form> r;
    r.shape = x.shape;
    if (keep) r.shape[axis] = 1;
    else r.shape.erase(r.shape.begin() + std::ptrdiff_t(axis));
    for (std::uint64_t o = 0; o < outer; ++o)
      for (std::uint64_t i = 0; i < inner; ++i) {
        std::vector<const Form*> xs;
        for (std::int64_t k = 0; k < dim; ++k) xs.push_back(&x.data[(o * std::uint64_t(dim) + std::uint64_t(k)) * inner + i]);
        const std::vector<Lit> win = winners(xs, larger, last);
        // Exactly one winner, so bit b of its index is the OR of the winners whose index has
        // bit b: ceil(log2 dim) bits, where the sum of k * win_k would read as 0..dim(dim-1)/2.
        std::vector<Form> lf;
        for (std::uint32_t bit = 0; (std::uint64_t(1) << bit) < std::uint64_t(dim); ++bit) {
          std::vector<Lit> with;
          for (std::size_t k = 0; k < win.size(); ++k)
            if ((k >> bit) & 1u) with.push_back(win[k]);
          const std::vector<std::int64_t> ones(with.size(), 1);
          lf.push_back(literal_form(b_.add_gate(with, ones, 1)));
        }
        std::vector<Part> parts;
        for (std::size_t bit = 0; bit < lf.size(); ++bit) parts.push_back({Rational(static_cast<long>(1) << bit), &lf[bit]});
        r.data.push_back(combine(parts, 0));
      }
    return r;
  }
  std::map<std::string, CTensor> predicted_;  // Softmax graph outputs under --softmax argmax

  void node(const OnnxNode& n);
  void custom(const OnnxNode& n);
  void conv(const OnnxNode& n);
  void pool(const OnnxNode& n);
  void gather_by_input(const OnnxNode& n);
};

void Compiler::node(const OnnxNode& n) {
  const std::string& op = n.op;
  const bool qonnx = n.domain == "qonnx.custom_op.general" || n.domain == "finn.custom_op.general" || n.domain == "onnx.brevitas" ||
                     n.domain == "finn";
  if (!n.domain.empty() && !qonnx) fail("operator domain '" + n.domain + "' is not supported");
  if (qonnx) return custom(n);
  if (op == "Identity" || op == "Dropout") {
    if (op == "Dropout" && n.outputs.size() > 1 && !n.outputs[1].empty()) fail("the mask output of Dropout is not supported");
    // training_mode (opset 12 on) makes Dropout random: only inference, where it is the identity
    if (op == "Dropout" && n.has_input(2) && constant(2).data.at(0) != 0) fail("Dropout in training mode is random: not supported (export the model in eval mode)");
    const CTensor& x = in_lazy(0);
    held_ += room(x.t.shape);
    vals_[n.outputs[0]] = x;
    return;
  }
  if (op == "Constant") {
    const OnnxAttr* a = n.attr("value");
    NdArray<Form> t;
    ElemType type = ElemType::float32;
    auto from = [&](const NdArray<Rational>& v) {
      t.shape = v.shape;
      for (const Rational& q : v.data) t.data.push_back(constant_form(q));
    };
    if (a && a->kind == OnnxAttr::t) { from(a->tensor->value); type = a->tensor->type; }
    else if ((a = n.attr("value_float"))) from(NdArray<Rational>{{}, {a->float_value}});
    else if ((a = n.attr("value_int"))) { from(NdArray<Rational>{{}, {Rational(mpz_class(static_cast<long>(a->int_value)))}}); type = ElemType::int64; }
    else if ((a = n.attr("value_ints"))) {
      NdArray<Rational> v{{static_cast<std::int64_t>(a->int_list.size())}, {}};
      for (auto x : a->int_list) v.data.emplace_back(mpz_class(static_cast<long>(x)));
      from(v);
      type = ElemType::int64;
    } else if ((a = n.attr("value_floats"))) from(NdArray<Rational>{{static_cast<std::int64_t>(a->float_list.size())}, a->float_list});
    else fail("Constant without a supported value attribute");
    return set(0, type, std::move(t));
  }
  if (op == "ConstantOfShape") {
    const std::vector<std::int64_t> s = constant_ints(0);
    Rational v = 0;
    ElemType type = ElemType::float32;
    if (const OnnxAttr* a = n.attr("value"); a && a->kind == OnnxAttr::t) {
      if (a->tensor->value.size() != 1) fail("value must have one element");
      v = a->tensor->value.data[0];
      type = a->tensor->type;
    }
    NdArray<Form> t;
    t.shape = s;
    t.data.assign(room(t.shape), constant_form(v));
    return set(0, type, std::move(t));
  }
  if (op == "Shape") {
    const CTensor& x = in(0);
    NdArray<Form> t{{static_cast<std::int64_t>(x.t.rank())}, {}};
    for (auto d : x.t.shape) t.data.push_back(constant_form(Rational(mpz_class(static_cast<long>(d)))));
    return set(0, ElemType::int64, std::move(t));
  }
  if (op == "Cast") {
    const CTensor& xl = in_lazy(0);
    const ElemType to = static_cast<ElemType>(iattr("to", 1));
    if (!is_float_type(to) && !is_integer_type(to)) fail("Cast to an unsupported type");
    if (is_float_type(to)) return set(0, to, xl.t);
    // An integer type into one that holds it changes nothing (torch.ao's uint8 to uint8), also
    // inside a chain of elementwise operators.
    if (to != ElemType::boolean && is_integer_type(xl.type) && type_min(xl.type) >= type_min(to) && type_max(xl.type) <= type_max(to))
      return set(0, to, xl.t);
    const CTensor& x = in(0);
    if (to == ElemType::boolean) return set(0, to, map1(x.t, [&](const Form& f) { return literal_form(as_bit(f)); }));
    // To an integer type: the values must already be integers (truncation of a non-integer
    // would be a rounding the graph does not state; torch.ao's Casts are uint8 to uint8).
    for (const Form& f : x.t.data) {
      const Rational s = f.scale;
      bool integral = Rational(s * Rational(f.c)).get_den() == 1;
      for (std::size_t k = 0; k < f.lits.size() && integral; ++k) integral = Rational(s * Rational(f.weight(k))).get_den() == 1;
      if (!integral) fail(std::string("Cast to ") + elem_type_name(to) + " of a value that may not be an integer (truncation is not supported)");
    }
    // (an integer type into one that holds it needs no check; the forms' ranges are only bounds)
    if (!is_integer_type(x.type) || type_min(x.type) < type_min(to) || type_max(x.type) > type_max(to)) check_fits(to, x.t);
    return set(0, to, x.t);
  }
  if (op == "Reshape") {
    const CTensor& x = in_lazy(0);
    NdArray<Form> t = x.t;
    t.shape = reshape_target(x.t.shape, constant_ints(1), iattr("allowzero", 0) != 0);
    return set(0, x.type, std::move(t));
  }
  if (op == "Flatten") {
    const CTensor& x = in_lazy(0);
    NdArray<Form> t = x.t;
    t.shape = flatten_shape(x.t.shape, iattr("axis", 1));
    return set(0, x.type, std::move(t));
  }
  if (op == "Transpose") return set(0, in_lazy(0).type, transpose(in_lazy(0).t, ints_attr("perm")));
  if (op == "Squeeze" || op == "Unsqueeze") {
    const CTensor& x = in_lazy(0);
    std::vector<std::int64_t> axes = n.has_input(1) ? constant_ints(1) : ints_attr("axes");
    NdArray<Form> v = x.t;
    v.shape = op == "Squeeze" ? squeeze_shape(v.shape, axes) : unsqueeze_shape(v.shape, axes);
    return set(0, x.type, std::move(v));
  }
  if (op == "Concat") {
    std::vector<const NdArray<Form>*> parts;
    std::uint64_t total = 0;  // bounded before concat() allocates (one large tensor many times)
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      parts.push_back(&in_lazy(k).t);
      total += parts.back()->size();
      room(Shape{static_cast<std::int64_t>(std::min<std::uint64_t>(total, std::uint64_t(1) << 41))});
    }
    return set(0, in_lazy(0).type, concat(parts, iattr("axis", 0)));
  }
  if (op == "Gather") {
    if (!is_constant_input(1)) return gather_by_input(n);
    const Shape ishape = in(1).t.shape;
    const std::vector<std::int64_t> idx = constant_ints(1);
    const NdArray<Form>& x = in_lazy(0).t;
    {  // the output's shape, bounded before gather() allocates it (many indices of a large row)
      const std::size_t axis = norm_axis(iattr("axis", 0), x.rank());
      Shape out(x.shape.begin(), x.shape.begin() + static_cast<std::ptrdiff_t>(axis));
      out.insert(out.end(), ishape.begin(), ishape.end());
      out.insert(out.end(), x.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1, x.shape.end());
      room(out);
    }
    return set(0, in_lazy(0).type, gather(x, ishape, idx, iattr("axis", 0)));
  }
  if (op == "Pad") {  // torch writes one before AveragePool and for F.pad
    const CTensor& x = in_lazy(0);
    const PadMode mode = pad_mode(sattr("mode", "constant"));
    std::vector<std::int64_t> pads = m_.opset < 11 ? ints_attr("pads") : constant_ints(1);
    if (n.has_input(3)) pads = pads_on_axes(pads, constant_ints(3), x.t.rank());
    Rational fill = m_.opset < 11 ? fattr("value", 0) : n.has_input(2) ? constant(2).data.at(0) : Rational(0);
    room(pad_shape(x.t.shape, pads, mode));  // bounded before pad() allocates
    return set(0, x.type, pad(x.t, pads, mode, constant_form(fill)));
  }
  if (op == "Slice") {
    if (m_.opset < 10) return set(0, in_lazy(0).type, slice(in_lazy(0).t, ints_attr("starts"), ints_attr("ends"), ints_attr("axes"), {}));
    const std::vector<std::int64_t> starts = constant_ints(1), ends = constant_ints(2),
                                    axes = n.has_input(3) ? constant_ints(3) : std::vector<std::int64_t>{},
                                    steps = n.has_input(4) ? constant_ints(4) : std::vector<std::int64_t>{};
    return set(0, in_lazy(0).type, slice(in_lazy(0).t, starts, ends, axes, steps));
  }
  if ((op == "Add" || op == "Sub" || op == "Mul" || op == "Div") && lazy_affine(n)) return;
  if (op == "Add" || op == "Sub") {
    const CTensor &a = in(0), &b = in(1);
    if (a.type != b.type) fail(std::string("inputs of types ") + elem_type_name(a.type) + " and " + elem_type_name(b.type));
    const Rational sb = op == "Add" ? 1 : -1;
    NdArray<Form> r = map2(a.t, b.t, [&](const Form& x, const Form& y) { return combine({{1, &x}, {sb, &y}}, 0); });
    check_fits(a.type, r);
    return set(0, a.type, std::move(r));
  }
  if (op == "Mul" || op == "Div") {
    const CTensor &a = in(0), &b = in(1);
    if (a.type != b.type) fail(std::string("inputs of types ") + elem_type_name(a.type) + " and " + elem_type_name(b.type));
    const bool integer_div = op == "Div" && is_integer_type(a.type);
    NdArray<Form> r = map2(a.t, b.t, [&](const Form& x, const Form& y) -> Form {
      if (y.constant()) {
        const Rational k = y.value();
        if (op == "Div") {
          if (sgn(k) == 0) fail("division by zero");
          // integers truncate: exact on constants (shape arithmetic, such as attention's head size)
          if (integer_div && x.constant()) return constant_form(truncated_quotient(x.value(), k));
          if (integer_div) fail("integer Div (a truncating division) of a value that depends on the input is not supported");
          return scaled(x, 1 / k);
        }
        return scaled(x, k);
      }
      if (op == "Div") fail("division by a tensor that depends on the input is not exact in general: not supported");
      if (x.constant()) return scaled(y, x.value());
      // one side a 0/1 value (a bool or a bit): AND gates
      auto is01 = [](const Form& f) {
        if (f.lits.size() != 1) return false;
        const Rational v0 = f.scale * Rational(f.c), v1 = f.scale * Rational(f.c + f.weight(0));
        return (v0 == 0 && v1 == 1) || (v0 == 1 && v1 == 0);
      };
      if (is01(x)) return gate_by(as_bit(x), y);
      if (is01(y)) return gate_by(as_bit(y), x);
      fail(product_refusal("one side must be constant or 0/1"));
    });
    check_fits(a.type, r);
    return set(0, a.type, std::move(r));
  }
  if (op == "Neg") return set(0, in_lazy(0).type, map1(in_lazy(0).t, [&](const Form& f) { return chain(f, affine(-1, 0)); }));
  if (op == "Relu" || op == "Clip") {
    std::optional<Rational> lo, hi;
    if (op == "Relu") lo = Rational(0);
    else if (m_.opset < 11) {
      if (n.attr("min")) lo = fattr("min", 0);
      if (n.attr("max")) hi = fattr("max", 0);
    } else {
      if (n.has_input(1)) lo = constant(1).data.at(0);
      if (n.has_input(2)) hi = constant(2).data.at(0);
    }
    if (lo && hi && *lo > *hi) fail("min is larger than max");
    Link l;
    l.kind = Link::clip;
    l.node = &n;
    l.lo = lo;
    l.hi = hi;
    return set(0, in_lazy(0).type, map1(in_lazy(0).t, [&](const Form& f) { return chain(f, l); }));
  }
  // LeakyRelu with alpha >= 0 is monotone: a link of the chain (built, when it must be on its own,
  // as alpha x + (1 - alpha) relu(x)). With alpha < 0, and |x| (alpha -1), that sum at once.
  if (op == "LeakyRelu" || op == "Abs") {
    const Rational alpha = op == "Abs" ? Rational(-1) : fattr("alpha", Rational(static_cast<double>(0.01f)));  // ONNX's default is the float 0.01
    if (sgn(alpha) >= 0) {
      Link l;
      l.kind = Link::leaky;
      l.node = &n;
      l.a = alpha;
      return set(0, in_lazy(0).type, map1(in_lazy(0).t, [&](const Form& f) { return chain(f, l); }));
    }
    const CTensor& x = in(0);
    return set(0, x.type, map1(x.t, [&](const Form& f) { return leaky_relu(f, alpha); }));
  }
  if (op == "Floor" || op == "Ceil" || op == "Round") {  // monotone steps: a link of the chain
    const Link l = fn_link(
        [&op](const Rational& v) -> Rational {
          if (op == "Floor") return Rational(floor_q(v));
          if (op == "Ceil") return Rational(ceil_q(v));
          return Rational(round_half_even(v));
        },
        op == "Floor" ? "Floor" : op == "Ceil" ? "Ceil" : "Round", 0);
    Link li = l;
    li.integer_results = true;
    return set(0, in_lazy(0).type, map1(in_lazy(0).t, [&](const Form& f) { return chain(f, li); }));
  }
  if (op == "Sign") {
    const CTensor& x = in_lazy(0);
    if (!x.bn) {
      const Link l = fn_link([](const Rational& v) -> Rational { return Rational(sgn(v)); }, "Sign", 3);
      return set(0, x.type, map1(x.t, [&](const Form& f) { return chain(f, l); }));
    }
    // sign(gamma (x - mean) + beta sqrt(v)): monotone in x, exact predicate
    const BnInfo& bn = *x.bn;
    NdArray<Form> r;
    r.shape = x.t.shape;
    for (std::size_t e = 0; e < x.t.size(); ++e) {
      const std::size_t c = (e / bn.stride) % bn.channels;
      r.data.push_back(monotone(x.t.data[e], [&](const Rational& v) { return Rational(sign_surd(bn.gamma[c] * (v - bn.mean[c]), bn.beta[c], bn.v[c])); }, "Sign"));
    }
    return set(0, x.type, std::move(r));
  }
  if (op == "Gemm") {
    Side a = side(0), b = side(1);
    if (a.shape().size() != 2 || b.shape().size() != 2) fail("Gemm needs 2-D A and B");
    // a transposed input-dependent side is transposed here (forms move), a constant one is read transposed
    const bool ta = iattr("transA", 0) != 0, tb = iattr("transB", 0) != 0;
    if (ta && !a.constant) a.forms = transpose(a.forms, {1, 0});
    if (tb && !b.constant) b.forms = transpose(b.forms, {1, 0});
    const Rational alpha = fattr("alpha", 1), beta = fattr("beta", 1);
    const bool cta = ta && a.constant, ctb = tb && b.constant;
    NdArray<Form> y = matmul(std::move(a), std::move(b), "Gemm", cta, ctb);
    NdArray<Rational> c;
    std::vector<std::uint64_t> cm;
    const bool has_c = n.has_input(2);
    NdArray<Form> cf;
    if (has_c) {
      cf = in(2).t;
      cm = broadcast_map(cf.shape, y.shape);
    }
    for (std::size_t k = 0; k < y.size(); ++k) {
      if (has_c) y.data[k] = combine({{alpha, &y.data[k]}, {beta, &cf.data[cm[k]]}}, 0);
      else if (alpha != 1) y.data[k] = scaled(y.data[k], alpha);
    }
    check_fits(type_of(0), y);
    return set(0, type_of(0), std::move(y));
  }
  if (op == "MatMul") {
    const ElemType type = type_of(0);
    NdArray<Form> y = matmul(side(0), side(1), "MatMul");
    check_fits(type, y);
    return set(0, type, std::move(y));
  }
  if (op == "MatMulInteger") {
    Side a = side(0), b = side(1);
    if (cur_->has_input(2)) minus_zero_point(a, 2, true);
    if (cur_->has_input(3)) minus_zero_point(b, 3, false);
    NdArray<Form> y = matmul(std::move(a), std::move(b), "MatMulInteger");
    check_fits(ElemType::int32, y);
    return set(0, ElemType::int32, std::move(y));
  }
  if (op == "QLinearMatMul") {
    Side a = side(0), b = side(3);
    minus_zero_point(a, 2, true);
    minus_zero_point(b, 5, false);
    NdArray<Form> y = matmul(std::move(a), std::move(b), "QLinearMatMul");
    const NdArray<Rational> sa = constant(1), sb = constant(4), sy = constant(6), zy = constant(7);
    if (sa.size() != 1 || sy.size() != 1 || zy.size() != 1) fail("only per-tensor a and y scales are supported");
    const ElemType to = in(7).type;
    for (std::size_t f = 0; f < y.size(); ++f) {
      const Rational& sbv = sb.size() == 1 ? sb.data[0] : sb.data[f % std::size_t(y.shape.back())];
      const Form real = scaled(y.data[f], sa.data[0] * sbv);
      y.data[f] = chain(real, quantize_link(sy.data[0], zy.data[0], to));
    }
    return set(0, to, std::move(y));
  }
  if (op == "QuantizeLinear") {
    if (auto it = quantized_inputs_.find(n.inputs[0]); it != quantized_inputs_.end()) {
      const CTensor& q = quantized_q_.at(n.inputs[0]);  // the input wires are q itself
      return set(0, q.type == ElemType::float32 ? (n.has_input(2) ? in(2).type : ElemType::uint8) : q.type, q.t);
    }
    const CTensor& x = in_lazy(0);
    const NdArray<Rational> s = constant(1);
    const ElemType to = n.has_input(2) ? in(2).type : ElemType::uint8;
    const NdArray<Rational> zp = n.has_input(2) ? constant(2) : NdArray<Rational>{{}, {Rational(0)}};
    auto scale = per_axis(x.t.shape, s, iattr("axis", 1));
    auto zero = per_axis(x.t.shape, zp, iattr("axis", 1));
    NdArray<Form> r;
    r.shape = x.t.shape;
    for (std::size_t f = 0; f < x.t.size(); ++f) {
      if (sgn(scale(f)) <= 0) fail("scale must be positive");
      r.data.push_back(chain(x.t.data[f], quantize_link(scale(f), zero(f), to)));
    }
    return set(0, to, std::move(r));
  }
  if (op == "DequantizeLinear") {
    const CTensor& x = in_lazy(0);
    const NdArray<Rational> s = constant(1);
    const NdArray<Rational> zp = n.has_input(2) ? constant(2) : NdArray<Rational>{{}, {Rational(0)}};
    auto scale = per_axis(x.t.shape, s, iattr("axis", 1));
    auto zero = per_axis(x.t.shape, zp, iattr("axis", 1));
    NdArray<Form> r;
    r.shape = x.t.shape;
    for (std::size_t f = 0; f < x.t.size(); ++f) r.data.push_back(chain(x.t.data[f], affine(scale(f), -zero(f) * scale(f))));
    return set(0, in(1).type, std::move(r));
  }
  if (op == "BatchNormalization") {
    const CTensor& x = in_lazy(0);
    if (iattr("training_mode", 0)) fail("training_mode BatchNormalization is not an inference graph");
    const NdArray<Rational> g = constant(1), be = constant(2), mu = constant(3), var = constant(4);
    const Rational eps = fattr("epsilon", Rational(1, 100000));
    if (x.t.rank() < 2) fail("expects N x C x ... input");
    const std::size_t C = std::size_t(x.t.shape[1]);
    if (g.size() != C || be.size() != C || mu.size() != C || var.size() != C) fail("parameters do not have C entries");
    auto bn = std::make_shared<BnInfo>();
    bn->channels = C;
    for (std::size_t k = 2; k < x.t.rank(); ++k) bn->stride *= std::size_t(x.t.shape[k]);
    bool rational = true;
    std::vector<Rational> root(C);
    for (std::size_t c = 0; c < C; ++c) {
      bn->gamma.push_back(g.data[c]);
      bn->beta.push_back(be.data[c]);
      bn->mean.push_back(mu.data[c]);
      bn->v.push_back(var.data[c] + eps);
      if (sgn(bn->v.back()) <= 0) fail("var + epsilon must be positive");
      const Rational& v = bn->v.back();
      if (mpz_perfect_square_p(v.get_num_mpz_t()) && mpz_perfect_square_p(v.get_den_mpz_t())) {
        mpz_class a, d;
        mpz_sqrt(a.get_mpz_t(), v.get_num_mpz_t());
        mpz_sqrt(d.get_mpz_t(), v.get_den_mpz_t());
        root[c] = Rational(a, d);
        root[c].canonicalize();
      } else {
        rational = false;
      }
    }
    if (!rational) {
      vals_[n.outputs[0]] = CTensor{x.type, in(0).t, bn};
      return;
    }
    NdArray<Form> r;
    r.shape = x.t.shape;
    for (std::size_t e = 0; e < x.t.size(); ++e) {
      const std::size_t c = (e / bn->stride) % C;
      const Rational k = bn->gamma[c] / root[c];
      r.data.push_back(chain(x.t.data[e], affine(k, bn->beta[c] - k * bn->mean[c])));
    }
    return set(0, x.type, std::move(r));
  }
  if (op == "Conv") return conv(n);
  if (op == "MaxPool" || op == "AveragePool") return pool(n);
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    const CTensor& x = in(0);
    if (x.t.rank() < 3) fail("expects N x C x spatial input");
    const std::uint64_t nc = std::uint64_t(x.t.shape[0] * x.t.shape[1]), sp = x.t.size() / (nc ? nc : 1);
    NdArray<Form> r;
    r.shape = {x.t.shape[0], x.t.shape[1]};
    for (std::size_t k = 2; k < x.t.rank(); ++k) r.shape.push_back(1);
    for (std::uint64_t c = 0; c < nc; ++c) {
      std::vector<const Form*> xs;
      std::vector<Part> parts;
      for (std::uint64_t k = 0; k < sp; ++k) {
        xs.push_back(&x.t.data[c * sp + k]);
        parts.push_back({Rational(1, static_cast<unsigned long>(sp)), xs.back()});
      }
      r.data.push_back(op == "GlobalMaxPool" ? max_of(xs) : combine(parts, 0));
    }
    return set(0, x.type, std::move(r));
  }
  if (op == "ArgMax" || op == "ArgMin") {
    const CTensor& x = in(0);
    const std::size_t axis = norm_axis(iattr("axis", 0), x.t.rank());
    return set(0, ElemType::int64, argmax_forms(x.t, axis, op == "ArgMax", iattr("select_last_index", 0) != 0, iattr("keepdims", 1) != 0));
  }
  if (op == "Softmax" && p_.softmax_argmax) {
    // --softmax argmax: ArgMax readers read the logits; a graph output becomes the predicted class.
    const CTensor& x = in_lazy(0);
    std::size_t axis = 0;
    bool output = false;
    const std::string why = softmax_as_argmax(m_, n, x.t.rank(), axis, output);
    if (!why.empty()) fail("not exact even with --softmax argmax: " + why);
    std::string note = "node '" + n.name + "' (Softmax) along axis " + std::to_string(axis) + ": ";
    if (output) {
      predicted_[n.outputs[0]] = CTensor{ElemType::int64, argmax_forms(in(0).t, axis, true, false, false), nullptr};
      note += "graph output '" + n.outputs[0] + "' is the predicted class, ArgMax of the Softmax's input (int64, axis removed)";
    } else {
      note += "its ArgMax readers read the Softmax's input";
    }
    layout_.notes.push_back(note + " (--softmax argmax; exact: softmax is strictly increasing along its axis)");
    const CTensor logits = vals_.at(n.inputs[0]);
    vals_[n.outputs[0]] = logits;
    return;
  }
  if (op == "ReduceSum" || op == "ReduceMean" || op == "ReduceMax" || op == "ReduceMin") {
    const CTensor& x = in(0);
    // axes: an input from opset 13 (ReduceSum) or 18 (the others), an attribute before
    const bool axes_input = m_.opset >= (op == "ReduceSum" ? 13 : 18);
    if (axes_input && n.attr("axes")) fail("axes is an input from opset " + std::string(op == "ReduceSum" ? "13" : "18") + ", not an attribute");
    if (!axes_input && n.has_input(1)) fail("axes is an attribute before opset " + std::string(op == "ReduceSum" ? "13" : "18") + ", not an input");
    if (iattr("keepdims", 1) != 0 && iattr("keepdims", 1) != 1) fail("keepdims must be 0 or 1");
    std::vector<std::int64_t> axes = axes_input ? (n.has_input(1) ? constant_ints(1) : std::vector<std::int64_t>{}) : ints_attr("axes");
    const bool keep = iattr("keepdims", 1) != 0;
    if (axes.empty() && iattr("noop_with_empty_axes", 0)) return set(0, x.type, x.t);
    std::vector<bool> red(x.t.rank(), axes.empty());
    for (auto a : axes) red[norm_axis(a, x.t.rank())] = true;
    Shape out;
    for (std::size_t k = 0; k < x.t.rank(); ++k)
      if (!red[k]) out.push_back(x.t.shape[k]);
      else if (keep) out.push_back(1);
    std::vector<std::vector<Part>> groups(shape_size(out));
    const std::vector<std::uint64_t> st = strides_of(x.t.shape);
    for (std::uint64_t f = 0; f < x.t.size(); ++f) {
      std::uint64_t o = 0, rem = f;
      for (std::size_t k = 0; k < x.t.rank(); ++k) {
        const std::uint64_t i = rem / st[k];
        rem %= st[k];
        if (!red[k]) o = o * std::uint64_t(x.t.shape[k]) + i;
      }
      groups[o].push_back({1, &x.t.data[f]});
    }
    if (op == "ReduceMean" && is_integer_type(x.type)) fail("an integer ReduceMean (a truncating division) is not supported");
    NdArray<Form> r;
    r.shape = out;
    for (auto& g : groups) {
      if (g.empty() && op != "ReduceSum") fail(op + " over an empty set of elements");
      if (op == "ReduceSum" || op == "ReduceMean") {
        for (Part& part : g) part.a = op == "ReduceMean" ? Rational(1, static_cast<unsigned long>(g.size())) : Rational(1);
        r.data.push_back(combine(g, 0));
        continue;
      }
      std::vector<const Form*> xs;
      for (const Part& part : g) xs.push_back(part.f);
      r.data.push_back(extreme_of(xs, op == "ReduceMax"));
    }
    check_fits(x.type, r);
    return set(0, x.type, std::move(r));
  }
  // Elementwise Max / Min, variadic with broadcasting. Per element the constants fold into one;
  // against a single input-dependent value that constant is a Clip link of its chain (torch.clamp
  // by a tensor on a quantized value stays one ladder); between several values, max_of's pairwise
  // comparisons, the folded constant one more candidate.
  if (op == "Max" || op == "Min") {
    if (n.inputs.empty()) fail("needs at least one input");
    const bool larger = op == "Max";
    const ElemType type = type_of(0);
    std::size_t dependent = 0;
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      if (type_of(k) != type) fail(std::string("inputs of types ") + elem_type_name(type) + " and " + elem_type_name(type_of(k)));
      dependent += !is_constant_input(k);
    }
    // two input-dependent tensors or more are compared, which reads built forms
    std::vector<const NdArray<Form>*> xs;
    Shape s;
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
      xs.push_back(dependent > 1 ? &in(k).t : &in_lazy(k).t);
      s = k ? broadcast_shape(s, xs.back()->shape) : xs.back()->shape;
    }
    room(s);
    std::vector<std::vector<std::uint64_t>> maps;
    for (const NdArray<Form>* x : xs) maps.push_back(broadcast_map(x->shape, s));
    NdArray<Form> r;
    r.shape = s;
    r.data.reserve(shape_size(s));
    for (std::size_t f = 0; f < shape_size(s); ++f) {
      std::optional<Rational> c;
      std::vector<const Form*> vs;
      for (std::size_t k = 0; k < xs.size(); ++k) {
        const Form& v = xs[k]->data[maps[k][f]];
        if (!v.constant()) vs.push_back(&v);  // (a lazy form is not constant)
        else if (!c || (larger ? v.value() > *c : v.value() < *c)) c = v.value();
      }
      if (vs.empty()) {
        r.data.push_back(constant_form(*c));
      } else if (vs.size() == 1) {
        Link l;
        l.kind = Link::clip;
        l.node = &n;
        (larger ? l.lo : l.hi) = c;
        r.data.push_back(c ? chain(*vs[0], l) : *vs[0]);
      } else {
        const Form cf = c ? constant_form(*c) : Form();
        if (c) vs.push_back(&cf);
        r.data.push_back(extreme_of(vs, larger));
      }
    }
    return set(0, type, std::move(r));  // (every value is one of the inputs': it stays in the type)
  }
  if (op == "Greater" || op == "GreaterOrEqual" || op == "Less" || op == "LessOrEqual" || op == "Equal") {
    return set(0, ElemType::boolean, map2(in(0).t, in(1).t, [&](const Form& a, const Form& b) {
                 const bool less = op == "Less" || op == "LessOrEqual";
                 const Form d = less ? combine({{1, &b}, {-1, &a}}, 0) : combine({{1, &a}, {-1, &b}}, 0);  // compare d with 0
                 if (d.constant()) {
                   const int s = sgn(d.c);
                   const bool v = op == "Equal" ? s == 0 : (op == "Greater" || op == "Less") ? s > 0 : s >= 0;
                   return constant_form(v ? 1 : 0);
                 }
                 auto [lo, hi] = d.range();
                 Steps st;
                 if (op == "Equal") st = Steps{{mpz_class(0), mpz_class(1)}, {0, 1, 0}};
                 else st = Steps{{mpz_class((op == "Greater" || op == "Less") ? 1 : 0)}, {0, 1}};
                 // drop steps outside the range (they would be constant gates anyway)
                 return realize(d, st);
               }));
  }
  if (op == "Not") return set(0, ElemType::boolean, map1(in(0).t, [&](const Form& f) { return literal_form(!as_bit(f)); }));
  if (op == "Where") {
    const NdArray<Form>& c = in(0).t;
    const NdArray<Form> &a = in(1).t, &bb = in(2).t;
    const Shape s = broadcast_shape(c.shape, broadcast_shape(a.shape, bb.shape));
    room(s);
    const auto mc = broadcast_map(c.shape, s), ma = broadcast_map(a.shape, s), mb = broadcast_map(bb.shape, s);
    NdArray<Form> r;
    r.shape = s;
    for (std::size_t f = 0; f < mc.size(); ++f) {
      const Lit cl = as_bit(c.data[mc[f]]);
      const Form &x = a.data[ma[f]], &y = bb.data[mb[f]];
      const Form d = combine({{1, &x}, {-1, &y}}, 0);  // y + c (x - y)
      Form cd = d.constant() ? scaled(literal_form(cl), d.value()) : gate_by(cl, d);
      r.data.push_back(combine({{1, &y}, {1, &cd}}, 0));
    }
    return set(0, in(1).type, std::move(r));
  }
  if (op == "Softmax")
    fail("not exact: Softmax of a rational is in general irrational, so no threshold circuit computes it exactly "
         "(for the predicted class, --softmax argmax compiles ArgMax of its input: exact, softmax is increasing)");
  static const std::vector<std::string> inexact{"Softmax", "LogSoftmax", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Pow", "Erf",
                                                 "Gelu", "Elu", "Selu", "Softplus", "Softsign", "HardSigmoid", "HardSwish",
                                                 "Mish", "Cos", "Sin", "Reciprocal"};
  if (std::find(inexact.begin(), inexact.end(), op) != inexact.end())
    fail("not exact: " + op + " of a rational is in general irrational, so no threshold circuit computes it exactly "
         "(quantize its input and output, or replace it: for example a hard argmax for a Softmax feeding ArgMax)");
  fail("operator " + op + " is not supported (docs/onnx.md lists the supported ones)");
}

void Compiler::conv(const OnnxNode& n) {
  const CTensor& xt = in(0);
  const NdArray<Form>& x = xt.t;
  const NdArray<Rational>& w = constant(1);
  if (w.rank() != x.rank()) fail("weights and input ranks differ");
  const std::int64_t N = x.shape[0], C = x.shape[1], M = w.shape[0], group = iattr("group", 1);
  if (group < 1 || C % group || M % group || w.shape[1] != C / group) fail("channels, group and weight shape disagree");
  std::vector<std::int64_t> kernel = ints_attr("kernel_shape");
  if (kernel.empty()) kernel.assign(w.shape.begin() + 2, w.shape.end());
  const Window win = window_of(x.shape, kernel);
  const Shape sp(x.shape.begin() + 2, x.shape.end());
  const std::uint64_t insp = shape_size(sp), ks = shape_size(Shape(w.shape.begin() + 2, w.shape.end()));
  const std::uint64_t outsp = shape_size(win.out);  // (within 2^40: huge pads are refused, not wrapped)
  NdArray<Rational> bias;
  if (n.has_input(2)) bias = constant(2);
  NdArray<Form> y;
  y.shape = {N, M};
  y.shape.insert(y.shape.end(), win.out.begin(), win.out.end());
  y.data.resize(room(y.shape));
  const std::int64_t cg = C / group, mg = M / group;
  std::vector<std::pair<std::int64_t, std::uint64_t>> members;
  std::uint64_t padded = 0;
  std::vector<Part> parts;
  for (std::uint64_t o = 0; o < outsp; ++o) {
    window_members(win, sp, o, members, padded);
    for (std::int64_t b = 0; b < N; ++b)
      for (std::int64_t m = 0; m < M; ++m) {
        const std::int64_t g = m / mg;
        parts.clear();
        for (std::int64_t c = 0; c < cg; ++c)
          for (const auto& [src, kf] : members)
            parts.push_back({w.data[std::uint64_t(m * cg + c) * ks + kf], &x.data[std::uint64_t(b * C + g * cg + c) * insp + std::uint64_t(src)]});
        y.data[std::uint64_t(b * M + m) * outsp + o] = combine(parts, n.has_input(2) ? bias.data.at(std::size_t(m)) : Rational(0));
      }
  }
  check_fits(xt.type, y);
  set(0, xt.type, std::move(y));
}

// Gather whose indices depend on the input (nn.Embedding): out = data[idx] of a constant table,
// sum_v data[v] [idx == v]. Summed by parts over the index's values that is one ladder per index
// element, a gate [idx >= v] where the selected slice changes (so at most one per value past the
// first), and every element it selects is a unary linear form over that ladder: depth 1, shared by
// the whole slice (an embedding row of any width costs its ladder once). ONNX makes an index
// outside [-n, n-1] an error; the circuit has no error wire, so a Gather whose index range (from
// its weights, as every range here) allows one is refused.
void Compiler::gather_by_input(const OnnxNode& n) {
  if (!is_constant_input(0))
    fail("both the data and the indices depend on the input: a Gather by computed indices needs a constant table (data)");
  const NdArray<Rational>& x = constant(0);
  const CTensor& idx = in(1);
  const std::size_t axis = norm_axis(iattr("axis", 0), x.rank());
  const std::int64_t dim = x.shape[axis];
  std::uint64_t outer = 1, inner = 1;
  for (std::size_t k = 0; k < axis; ++k) outer *= std::uint64_t(x.shape[k]);
  for (std::size_t k = axis + 1; k < x.rank(); ++k) inner *= std::uint64_t(x.shape[k]);
  NdArray<Form> r;
  r.shape.assign(x.shape.begin(), x.shape.begin() + std::ptrdiff_t(axis));
  r.shape.insert(r.shape.end(), idx.t.shape.begin(), idx.t.shape.end());
  r.shape.insert(r.shape.end(), x.shape.begin() + std::ptrdiff_t(axis) + 1, x.shape.end());
  r.data.resize(room(r.shape));
  const std::uint64_t count = idx.t.size();
  long double terms = 0;  // in the output's forms, a ladder gate each: bounded like a tensor's elements (2 units a term)
  auto same_rows = [&](std::int64_t a, std::int64_t b) {
    for (std::uint64_t o = 0; o < outer; ++o)
      for (std::uint64_t k = 0; k < inner; ++k)
        if (x.data[(o * std::uint64_t(dim) + std::uint64_t(a)) * inner + k] != x.data[(o * std::uint64_t(dim) + std::uint64_t(b)) * inner + k])
          return false;
    return true;
  };
  for (std::uint64_t i = 0; i < count; ++i) {
    const Form& f = idx.t.data[i];
    if (f.scale.get_den() != 1) fail("index element " + std::to_string(i) + " may not be an integer");
    auto [lo, hi] = f.range();
    const mpz_class s = f.scale.get_num(), vlo = s * lo, vhi = s * hi;
    if (vlo < -dim || vhi > dim - 1) {
      std::string why = "indices may take values in [" + vlo.get_str() + ", " + vhi.get_str() + "] (bounds from their weights), outside [" +
                        std::to_string(-dim) + ", " + std::to_string(dim - 1) + "] for an axis of " + std::to_string(dim) +
                        ": ONNX makes an index out of range an error, which a circuit cannot signal";
      for (const onnx_io& io : layout_.inputs)
        if (io.tensor == n.inputs[1])
          why += "; input '" + io.tensor + "' is read with " + io.how + ": pick B with 2^B <= " + std::to_string(dim) +
                 " for uint:B (2^(B-1) <= " + std::to_string(dim) + " for int:B), or a table of at least " + mpz_class(vhi + 1).get_str() + " rows";
      fail(why);
    }
    auto row = [&](const mpz_class& L) {
      const std::int64_t v = mpz_class(s * L).get_si();
      return v < 0 ? v + dim : v;
    };
    // a threshold where the selected slice changes, the slice of each step
    std::vector<mpz_class> ts;
    std::vector<std::int64_t> rows{row(lo)};
    for (mpz_class L = lo + 1; L <= hi; ++L)
      if (!same_rows(row(L), rows.back())) {
        ts.push_back(L);
        rows.push_back(row(L));
      }
    terms += static_cast<long double>(ts.size()) * static_cast<long double>(outer * inner);
    if (terms * 2 > static_cast<long double>(b_.memory_room()))
      fail_bound("selecting from " + std::to_string(dim) + " rows by " + std::to_string(count) +
                 " computed indices exceeds the memory bound (--max-wires)");
    std::vector<Form> lf;
    if (!ts.empty())
      for (Lit g : ladder(f, ts)) lf.push_back(literal_form(g));
    std::vector<Rational> vals(rows.size());
    for (std::uint64_t o = 0; o < outer; ++o)
      for (std::uint64_t k = 0; k < inner; ++k) {
        for (std::size_t j = 0; j < rows.size(); ++j) vals[j] = x.data[(o * std::uint64_t(dim) + std::uint64_t(rows[j])) * inner + k];
        r.data[(o * count + i) * inner + k] = unary_over(lf, vals);
      }
  }
  set(0, type_of(0), std::move(r));
}

void Compiler::pool(const OnnxNode& n) {
  if (n.outputs.size() > 1 && !n.outputs[1].empty()) fail("the Indices output of MaxPool is not supported");
  const CTensor& xt = in(0);
  const NdArray<Form>& x = xt.t;
  const Window win = window_of(x.shape, ints_attr("kernel_shape"));
  const bool maxp = n.op == "MaxPool", include_pad = iattr("count_include_pad", 0) != 0;
  const Shape sp(x.shape.begin() + 2, x.shape.end());
  const std::uint64_t insp = shape_size(sp);
  const std::uint64_t outsp = shape_size(win.out);  // (within 2^40: huge pads are refused, not wrapped)
  const std::uint64_t nc = std::uint64_t(x.shape[0] * x.shape[1]);
  NdArray<Form> y;
  y.shape = {x.shape[0], x.shape[1]};
  y.shape.insert(y.shape.end(), win.out.begin(), win.out.end());
  y.data.resize(room(y.shape));
  std::vector<std::pair<std::int64_t, std::uint64_t>> members;
  std::uint64_t padded = 0;
  for (std::uint64_t o = 0; o < outsp; ++o) {
    window_members(win, sp, o, members, padded);
    if (members.empty()) fail("a window lies entirely in the padding");
    for (std::uint64_t c = 0; c < nc; ++c) {
      std::vector<const Form*> xs;
      for (const auto& [src, kf] : members) xs.push_back(&x.data[c * insp + std::uint64_t(src)]);
      if (maxp) {
        y.data[c * outsp + o] = max_of(xs);
      } else {
        const std::uint64_t count = members.size() + (include_pad ? padded : 0);
        std::vector<Part> parts;
        for (const Form* f : xs) parts.push_back({Rational(1, static_cast<unsigned long>(count)), f});
        y.data[c * outsp + o] = combine(parts, 0);
      }
    }
  }
  set(0, xt.type, std::move(y));
}

void Compiler::custom(const OnnxNode& n) {
  const std::string& op = n.op;
  if (op == "MultiThreshold") {
    const NdArray<Rational> th = constant(1);
    const NdArray<Form>& v = in_lazy(0).t;
    const Rational out_scale = fattr("out_scale", 1), out_bias = fattr("out_bias", 0);
    const std::string layout = sattr("data_layout", "NCHW");
    if (th.rank() != 2) fail("thresholds must be 2-D (channels x steps)");
    if (layout != "NCHW" && layout != "NHWC" && layout != "NC") fail("data_layout '" + layout + "' is not supported");
    // Channels are axis 1 of an NCHW tensor of rank >= 3, else the last axis (a 1-D input is one
    // row of channels); a scalar has none.
    if (v.rank() == 0) fail("the input has no channel axis (a scalar)");
    const std::size_t caxis = layout == "NCHW" && v.rank() > 2 ? 1 : v.rank() - 1;
    std::uint64_t inner = 1;
    for (std::size_t k = caxis + 1; k < v.rank(); ++k) inner *= std::uint64_t(v.shape[k]);
    const std::uint64_t C = std::uint64_t(v.shape[caxis]);
    if (th.shape[0] != 1 && std::uint64_t(th.shape[0]) != C) fail("thresholds have " + std::to_string(th.shape[0]) + " rows for " + std::to_string(C) + " channels");
    const std::uint64_t steps = std::uint64_t(th.shape[1]);
    std::vector<std::shared_ptr<const std::vector<Rational>>> per_channel;  // sorted thresholds
    for (std::int64_t c = 0; c < th.shape[0]; ++c) {
      std::vector<Rational> t(th.data.begin() + c * std::int64_t(steps), th.data.begin() + (c + 1) * std::int64_t(steps));
      std::sort(t.begin(), t.end());
      per_channel.push_back(std::make_shared<const std::vector<Rational>>(std::move(t)));
    }
    NdArray<Form> r;
    r.shape = v.shape;
    for (std::uint64_t f = 0; f < v.size(); ++f) {
      const std::uint64_t c = th.shape[0] == 1 ? 0 : (f / inner) % C;
      r.data.push_back(chain(v.data[f], fn_link([th = per_channel[c], out_scale, out_bias](const Rational& x) -> Rational {
                                   const auto k = std::upper_bound(th->begin(), th->end(), x) - th->begin();  // #{k : x >= th_k}
                                   return out_bias + out_scale * Rational(static_cast<long>(k));
                                 }, "MultiThreshold", steps + 1)));
    }
    return set(0, ElemType::float32, std::move(r));
  }
  if (op == "BipolarQuant") {
    const NdArray<Rational> s = constant(1);
    if (s.size() != 1) fail("only a per-tensor scale is supported");
    const Rational sv = s.data[0];
    const Link l = fn_link([sv](const Rational& v) -> Rational { return sgn(v) >= 0 ? sv : Rational(-sv); }, "BipolarQuant", 2);
    return set(0, ElemType::float32, map1(in_lazy(0).t, [&](const Form& f) { return chain(f, l); }));
  }
  if (op == "Quant") {
    const NdArray<Rational> s = constant(1), z = constant(2), bw = constant(3);
    const NdArray<Form>& x = in_lazy(0).t;
    if (bw.size() != 1 || bw.data[0].get_den() != 1 || bw.data[0] < 1 || bw.data[0] > 64) fail("bitwidth must be one integer in 1..64");
    const unsigned long bits = bw.data[0].get_num().get_ui();
    const bool sig = iattr("signed", 1) != 0, narrow = iattr("narrow", 0) != 0;
    const std::string mode = sattr("rounding_mode", "ROUND");
    if (mode != "ROUND" && mode != "FLOOR" && mode != "CEIL" && mode != "ROUND_TO_ZERO") fail("rounding_mode '" + mode + "' is not supported");
    mpz_class lo = sig ? mpz_class(-(mpz_class(1) << (bits - 1))) : mpz_class(0);
    mpz_class hi = sig ? mpz_class((mpz_class(1) << (bits - 1)) - 1) : mpz_class((mpz_class(1) << bits) - 1);
    if (narrow) (sig ? lo : hi) += sig ? 1 : -1;
    const auto ms = broadcast_map(s.shape, x.shape), mz = broadcast_map(z.shape, x.shape);
    NdArray<Form> r;
    r.shape = x.shape;
    for (std::size_t f = 0; f < x.size(); ++f) {
      const Rational &sv = s.data[ms[f]], &zv = z.data[mz[f]];
      if (sgn(sv) <= 0) fail("scale must be positive");
      const int md = mode == "ROUND" ? 0 : mode == "FLOOR" ? 1 : mode == "CEIL" ? 2 : 3;
      const mpz_class span = hi - lo + 1;
      r.data.push_back(chain(x.data[f], fn_link([sv, zv, md, lo, hi](const Rational& v) -> Rational {
        const Rational t = v / sv + zv;
        mpz_class q;
        if (md == 0) q = round_half_even(t);
        else if (md == 1) q = floor_q(t);
        else if (md == 2) q = ceil_q(t);
        else mpz_tdiv_q(q.get_mpz_t(), t.get_num_mpz_t(), t.get_den_mpz_t());
        if (q < lo) q = lo;
        if (q > hi) q = hi;
        return (Rational(q) - zv) * sv;
      }, "Quant", span <= mpz_class(static_cast<unsigned long>(max_steps) + 1) ? span.get_ui() : 0)));
    }
    return set(0, ElemType::float32, std::move(r));
  }
  fail("operator " + n.domain + ":" + op + " is not supported");
}

}  // namespace

onnx_layout compile_onnx(const OnnxModel& m, Builder& b, const onnx_compile_params& params) {
  return Compiler(m, b, params).run();
}

onnx_compiled compile_onnx(const OnnxModel& m, const onnx_compile_params& params) {
  Builder b;
  onnx_layout layout = compile_onnx(m, b, params);
  return onnx_compiled{std::move(b).build(), std::move(layout)};
}

onnx_counted count_onnx(const OnnxModel& m, const onnx_compile_params& params) {
  Builder b(CountingStore{});
  onnx_compile_params q = params;
  q.names = false;
  onnx_counted r;
  r.layout = compile_onnx(m, b, q);
  r.stats = b.count_stats();
  return r;
}

}  // namespace tcx
