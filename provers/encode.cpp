#include "provers/encode.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "circuits/interrupt.hpp"

namespace tcx {

GateEncoding parse_gate_encoding(const std::string& name) {
  if (name == "auto") return GateEncoding::automatic;
  if (name == "bdd") return GateEncoding::bdd;
  if (name == "adder") return GateEncoding::adder;
  throw std::invalid_argument("unknown encoding '" + name + "' (auto, bdd, adder)");
}

const char* encoding_name(GateEncoding e) {
  return e == GateEncoding::bdd ? "bdd" : e == GateEncoding::adder ? "adder" : "auto";
}

namespace {

struct Term {
  CnfLit x;
  mpz_class w;  // > 0
};

// sum w_i x_i >= t with every weight made positive (w x = w - w !x) and zero weights dropped.
std::vector<Term> positive_terms(std::span<const CnfLit> x, std::span<const mpz_class> w, mpz_class& t) {
  std::vector<Term> terms;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (sgn(w[i]) == 0) continue;
    if (sgn(w[i]) < 0) {
      terms.push_back({-x[i], -w[i]});
      t -= w[i];
    } else {
      terms.push_back({x[i], w[i]});
    }
  }
  std::stable_sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.w > b.w; });
  return terms;
}

// The interval-reduced BDD. node(i, r) = [sum_{j >= i} w_j x_j >= r]; each built node stands
// for every r in an interval [lo, hi] with the same function, so a second request inside the
// interval reuses it. Returns nullopt when the node limit is exceeded.
class BddEncoder {
public:
  BddEncoder(Cnf& cnf, const std::vector<Term>& terms, std::uint32_t limit) : cnf_(cnf), terms_(terms), limit_(limit) {
    suffix_.resize(terms.size() + 1);
    for (std::size_t i = terms.size(); i-- > 0;) suffix_[i] = suffix_[i + 1] + terms[i].w;
    memo_.resize(terms.size());
  }

  std::optional<CnfLit> build(const mpz_class& t) {
    try {
      return node(0, t).lit;
    } catch (const Overflow&) {
      return std::nullopt;
    }
  }

private:
  struct Overflow {};
  struct Node {
    mpz_class lo, hi;  // hi: use `unbounded_hi` for +infinity
    bool unbounded_lo = false, unbounded_hi = false;
    CnfLit lit;
  };

  Node node(std::size_t i, const mpz_class& r) {
    if (sgn(r) <= 0) return Node{0, 0, true, false, Cnf::true_lit()};                     // (-inf, 0]
    if (r > suffix_[i]) return Node{suffix_[i] + 1, 0, false, true, Cnf::false_lit()};    // [S_i + 1, inf)
    auto& m = memo_[i];
    auto it = m.upper_bound(r);  // first interval starting after r
    if (it != m.begin()) {
      --it;
      if (it->second.unbounded_hi || r <= it->second.hi) return it->second;
    }
    if (++nodes_ > limit_) throw Overflow{};
    const Node hi = node(i + 1, r - terms_[i].w), lo = node(i + 1, r);
    Node n;
    // r' gives the same node when r' - w is in hi's interval and r' in lo's.
    n.unbounded_lo = hi.unbounded_lo && lo.unbounded_lo;
    n.unbounded_hi = hi.unbounded_hi && lo.unbounded_hi;
    if (!n.unbounded_lo) n.lo = hi.unbounded_lo ? lo.lo : lo.unbounded_lo ? mpz_class(hi.lo + terms_[i].w) : std::max(mpz_class(hi.lo + terms_[i].w), lo.lo);
    if (!n.unbounded_hi) n.hi = hi.unbounded_hi ? lo.hi : lo.unbounded_hi ? mpz_class(hi.hi + terms_[i].w) : std::min(mpz_class(hi.hi + terms_[i].w), lo.hi);
    n.lit = cnf_.define_ite(terms_[i].x, hi.lit, lo.lit);
    // The interval always contains r and lies within (0, S_i]; key it by its low end.
    const mpz_class key = n.unbounded_lo ? mpz_class(1) : n.lo;
    m.emplace(key, n);
    return n;
  }

  Cnf& cnf_;
  const std::vector<Term>& terms_;
  std::uint32_t limit_, nodes_ = 0;
  std::vector<mpz_class> suffix_;
  std::vector<std::map<mpz_class, Node>> memo_;
};

// The adder encoding: columns of bits (bit b of w_i is x_i), reduced by full and half adders
// until one bit per column, then [S >= t] from the top bit down.
CnfLit adder_encoding(Cnf& cnf, const std::vector<Term>& terms, const mpz_class& t) {
  if (sgn(t) <= 0) return Cnf::true_lit();
  std::vector<std::vector<CnfLit>> cols;
  for (const Term& term : terms)
    for (std::size_t b = 0, n = mpz_sizeinbase(term.w.get_mpz_t(), 2); b < n; ++b)
      if (mpz_tstbit(term.w.get_mpz_t(), b)) {
        if (cols.size() <= b) cols.resize(b + 1);
        cols[b].push_back(term.x);
      }
  const std::vector<CnfLit> sum = sum_columns(cnf, std::move(cols));
  const std::size_t tbits = mpz_sizeinbase(t.get_mpz_t(), 2);
  if (tbits > sum.size()) return Cnf::false_lit();
  // ge = [S[b..0] >= t[b..0]], from bit 0 up: t_b = 1 needs S_b and ge_below; t_b = 0 takes S_b or ge_below.
  CnfLit ge = Cnf::true_lit();
  for (std::size_t b = 0; b < sum.size(); ++b)
    ge = mpz_tstbit(t.get_mpz_t(), b) ? cnf.define_and(sum[b], ge) : cnf.define_or(sum[b], ge);
  return ge;
}

}  // namespace

CnfLit encode_threshold(Cnf& cnf, std::span<const CnfLit> x, std::span<const mpz_class> w, const mpz_class& t_in,
                        const encode_params& p, encode_stats* stats) {
  if (x.size() != w.size()) throw std::invalid_argument("encode_threshold: input and weight counts differ");
  mpz_class t = t_in;
  const std::vector<Term> terms = positive_terms(x, w, t);
  if (p.encoding != GateEncoding::adder) {
    BddEncoder bdd(cnf, terms, p.encoding == GateEncoding::bdd ? UINT32_MAX : p.bdd_node_limit);
    // The automatic choice may abandon a half-built diagram: its definitions stay in the CNF,
    // unused and harmless (each defines a fresh variable).
    if (const auto y = bdd.build(t)) {
      if (stats) ++stats->bdd_gates;
      return *y;
    }
  }
  if (stats) ++stats->adder_gates;
  return adder_encoding(cnf, terms, t);
}

circuit_cnf encode_circuit(Cnf& cnf, const Circuit& c, std::span<const CnfLit> inputs, const encode_params& p,
                           encode_stats* stats) {
  if (!inputs.empty() && inputs.size() != c.num_inputs()) throw std::invalid_argument("encode_circuit: wrong number of inputs");
  circuit_cnf r;
  std::vector<CnfLit> lit(c.num_nodes());
  lit[0] = Cnf::false_lit();
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) {
    lit[c.input_node(i)] = inputs.empty() ? cnf.new_var() : inputs[i];
    r.inputs.push_back(lit[c.input_node(i)]);
  }
  std::vector<CnfLit> x;
  std::vector<mpz_class> w;
  const auto start = std::chrono::steady_clock::now();
  std::uint32_t since_check = 0;
  for (gate_id g : c.gates()) {
    if (++since_check == 256) {
      since_check = 0;
      if (interrupted()) throw BudgetExceeded("interrupted while encoding the circuit into CNF");
      if (p.time_limit_s > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > p.time_limit_s)
        throw BudgetExceeded("the time limit ran out while encoding the circuit into CNF");
    }
    x.clear();
    w.clear();
    for (node_id n : c.fanins(g)) x.push_back(lit[n]);
    mpz_class t;
    if (c.is_big(g)) {
      w = c.big(g).weights;
      t = c.big(g).threshold;
    } else {
      for (std::int32_t v : c.small_weights(g)) w.emplace_back(static_cast<long>(v));
      t = static_cast<long>(c.small_threshold(g));
    }
    lit[c.gate_node(g)] = encode_threshold(cnf, x, w, t, p, stats);
  }
  for (const auto& o : c.outputs()) r.outputs.push_back(o.lit.negated() ? -lit[o.lit.node()] : lit[o.lit.node()]);
  return r;
}

}  // namespace tcx
