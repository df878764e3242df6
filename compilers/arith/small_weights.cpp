#include "compilers/arith/small_weights.hpp"

#include "circuits/analysis.hpp"
#include "circuits/bits.hpp"
#include "circuits/derived_gates.hpp"
#include "circuits/passes.hpp"
#include "circuits/weighted_sum.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/sum.hpp"

namespace tcx {

namespace {
Lit bit(const Word& x, std::size_t i) { return i < x.size() ? x[i] : lit_false; }

// Accumulates one layer-2 gate as literal/weight pairs plus a threshold.
struct GateTerms {
  std::vector<Lit> lits;
  std::vector<std::int64_t> w;
  std::int64_t t = 0;
  void add(Lit l, std::int64_t weight) { lits.push_back(l); w.push_back(weight); }
  // - sum over l in [from, to) of (f_l + 1 - e_l): the count of non-propagate positions
  void minus_non_propagate(const std::vector<Lit>& e, const std::vector<Lit>& f, std::size_t from, std::size_t to) {
    for (std::size_t l = from; l < to; ++l) {
      add(f[l], -1);
      add(e[l], 1);
      t += 1;  // the constant -1 per position moves to the threshold
    }
  }
  Lit build(Builder& b) const { return b.add_gate(lits, w, t); }
};
}  // namespace

Word add_small(Builder& b, const Word& x, const Word& y, bool carry_in, bool carry_out) {
  const std::size_t k = std::max(x.size(), y.size());
  std::vector<Lit> e(k + 1, lit_false), f(k + 1, lit_false);
  for (std::size_t l = 0; l < k; ++l) {
    Lit xy[2] = {bit(x, l), bit(y, l)};
    e[l] = or_all(b, xy);
    f[l] = and_all(b, xy);
  }
  Word out;
  for (std::size_t j = 0; j < k + (carry_out ? 1 : 0); ++j) {
    std::vector<Lit> cases;
    for (std::size_t i = 0; i < j; ++i) {
      GateTerms g;  // generate at i, all of (i, j) propagate, j does not propagate
      g.add(f[i], 1);
      g.minus_non_propagate(e, f, i + 1, j);
      g.add(e[j], -2);
      g.add(f[j], 2);
      g.t += 1;
      cases.push_back(g.build(b));
      GateTerms kill;  // kill at i, all of (i, j) propagate, j propagates
      kill.add(e[i], -1);
      kill.minus_non_propagate(e, f, i + 1, j);
      kill.add(e[j], 1);
      kill.add(f[j], -1);
      kill.t += 1;  // (1 - e_i) + ... >= 2
      cases.push_back(kill.build(b));
    }
    GateTerms none;  // all of [0, j) propagate: the carry is carry_in
    none.minus_non_propagate(e, f, 0, j);
    if (!carry_in) {  // and j propagates
      none.add(e[j], 1);
      none.add(f[j], -1);
      none.t += 1;
    } else {  // and j does not propagate
      none.add(e[j], -1);
      none.add(f[j], 1);
    }
    cases.push_back(none.build(b));
    out.push_back(or_all(b, cases));
  }
  return out;
}

Word subtract_small(Builder& b, const Word& x, const Word& y) {
  const std::size_t k = std::max(x.size(), y.size());
  Word ny;
  for (std::size_t i = 0; i < k; ++i) ny.push_back(!bit(y, i));
  Word xs(x);
  xs.resize(k, lit_false);
  return add_small(b, xs, ny, true, false);
}

Word iterated_add_small(Builder& b, std::span<const Word> xs) {
  std::size_t k = 0, m = xs.size();
  for (const Word& x : xs) k = std::max(k, x.size());
  if (m == 0 || k == 0) return {};
  const std::uint32_t bsz = std::max<std::uint32_t>(1, ceil_log2(m));
  const std::size_t blocks = (k + bsz - 1) / bsz;
  if (blocks == 1) return iterated_add(b, xs);  // one block: its sum is the answer, weights < m 2^b
  const std::size_t width = blocks * bsz + 2 * bsz + 1;
  Word halves[2] = {Word(width, lit_false), Word(width, lit_false)};
  for (std::size_t q = 0; q < blocks; ++q) {
    std::vector<Term> terms;
    for (const Word& x : xs)
      for (std::size_t l = 0; l < bsz; ++l)
        if (q * bsz + l < x.size()) terms.push_back(Term{x[q * bsz + l], mpz_class(1) << static_cast<mp_bitcnt_t>(l)});
    Word t = sum_bits(b, terms, 0, 0, 2 * bsz);  // < m 2^b <= 2^(2b)
    for (std::size_t l = 0; l < t.size(); ++l) halves[q % 2][q * bsz + l] = t[l];
  }
  Word s = add_small(b, halves[0], halves[1], false, false);
  mpz_class max = 0;
  for (const Word& x : xs) max += (mpz_class(1) << static_cast<mp_bitcnt_t>(x.size())) - 1;
  s.resize(mpz_sizeinbase(max.get_mpz_t(), 2), lit_false);
  return s;
}

Circuit to_small_weights(const Circuit& c, const small_weights_params& params, small_weights_stats* stats) {
  const std::uint32_t max_bits = params.max_bits;
  small_weights_stats st;
  circuit_stats before = analyze(c);
  st.depth_before = before.depth;
  st.gates_before = before.gates;
  st.wires_before = before.wires;
  st.max_weight_bits_before = std::max(before.max_weight_bits, before.max_threshold_bits);
  Builder b;
  std::vector<Lit> map = copy_inputs(b, c);
  auto fits = [&](const mpz_class& v) { return sgn(v) == 0 || mpz_sizeinbase(v.get_mpz_t(), 2) <= max_bits; };
  for (gate_id g : c.gates()) {
    bool small = fits(c.threshold(g));
    for (std::uint32_t i = 0; small && i < c.fanin_count(g); ++i) small = fits(c.weight(g, i));
    auto f = c.fanins(g);
    std::vector<Lit> lits;
    std::vector<mpz_class> w;
    for (std::uint32_t i = 0; i < f.size(); ++i) {
      lits.push_back(map[f[i]]);
      w.push_back(c.weight(g, i));
    }
    if (small) {
      map[c.gate_node(g)] = b.add_gate(lits, w, c.threshold(g));
      continue;
    }
    ++st.gates_replaced;
    if (params.method == reweight_method::residues) {
      map[c.gate_node(g)] = threshold_by_residues(b, lits, w, c.threshold(g), params.residues);
      continue;
    }
    // Positive form: sum |w_i| l_i >= t'; each term is the number |w_i| with its 1 bits = l_i.
    std::vector<Word> numbers;
    mpz_class t = positive_form(c, g, [&](node_id n, bool neg, const mpz_class& weight) {
      Word num;
      for (std::size_t bitpos = 0; bitpos < mpz_sizeinbase(weight.get_mpz_t(), 2); ++bitpos)
        num.push_back(mpz_tstbit(weight.get_mpz_t(), bitpos) ? (map[n] ^ neg) : lit_false);
      numbers.push_back(std::move(num));
    });
    Word sum = iterated_add_small(b, numbers);
    if (sgn(t) <= 0) { map[c.gate_node(g)] = lit_true; continue; }
    if (mpz_sizeinbase(t.get_mpz_t(), 2) > sum.size()) { map[c.gate_node(g)] = lit_false; continue; }
    Word tw;
    for (std::size_t bitpos = 0; bitpos < sum.size(); ++bitpos) tw.push_back(Lit::constant(mpz_tstbit(t.get_mpz_t(), bitpos)));
    map[c.gate_node(g)] = greater_equal_small(b, sum, tw);
  }
  for (const Output& o : c.outputs()) b.add_output(map[o.lit.node()] ^ o.lit.negated(), o.name);
  Circuit out = std::move(b).build();
  circuit_stats after = analyze(out);
  st.depth_after = after.depth;
  st.gates_after = after.gates;
  st.wires_after = after.wires;
  st.max_weight_bits_after = std::max(after.max_weight_bits, after.max_threshold_bits);
  if (stats) *stats = st;
  return out;
}

}  // namespace tcx
