#include "tasks/word_problem.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/linear_form.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/symmetric.hpp"
#include "compilers/arith/word.hpp"
#include "tasks/family.hpp"
#include "tasks/group.hpp"

namespace tcx {

std::vector<std::vector<std::uint8_t>> group_elements(unsigned k, bool alternating) {
  std::vector<std::uint8_t> perm(k);
  std::iota(perm.begin(), perm.end(), std::uint8_t(0));
  std::vector<std::vector<std::uint8_t>> out;
  do {
    unsigned inversions = 0;
    for (unsigned i = 0; i < k; ++i)
      for (unsigned j = i + 1; j < k; ++j) inversions += perm[i] > perm[j];
    if (!alternating || inversions % 2 == 0) out.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return out;
}

namespace {

// F_q for q = p^d (d <= 3): an element's base-p digits are its coordinates over F_p, and the
// product is taken modulo a monic polynomial of degree d with no root in F_p (irreducible, for
// d <= 3). Tables, since q is small.
class small_field {
 public:
  static std::optional<small_field> of_order(unsigned q) {
    unsigned p = 2;
    while (p <= q && q % p) ++p;
    if (q < 2) return std::nullopt;
    unsigned d = 0, rest = q;
    while (rest % p == 0) rest /= p, ++d;
    if (rest != 1 || d > 3) return std::nullopt;
    small_field f;
    f.p_ = p, f.d_ = d, f.q_ = q;
    std::vector<unsigned> modulus(d, 0);  // t^d + sum_i modulus[i] t^i
    for (unsigned c = 0; d > 1 && c < q; ++c) {
      for (unsigned i = 0; i < d; ++i) modulus[i] = f.digit(c, i);
      bool root = false;
      for (unsigned r = 0; r < p && !root; ++r) {
        unsigned v = 1;  // t^d + ... at r, mod p
        for (unsigned i = 0; i < d; ++i) v = v * r % p;
        for (unsigned i = 0, power = 1; i < d; ++i, power = power * r % p) v = (v + modulus[i] * power) % p;
        root = v == 0;
      }
      if (!root) break;
    }
    f.mul_.resize(static_cast<std::size_t>(q) * q);
    for (unsigned x = 0; x < q; ++x)
      for (unsigned y = 0; y < q; ++y) {
        std::vector<unsigned> prod(2 * d, 0);
        for (unsigned i = 0; i < d; ++i)
          for (unsigned j = 0; j < d; ++j) prod[i + j] = (prod[i + j] + f.digit(x, i) * f.digit(y, j)) % p;
        for (unsigned top = 2 * d - 1; top >= d; --top)  // t^top = -t^(top-d) sum_i modulus[i] t^i
          for (unsigned i = 0; i < d; ++i) prod[top - d + i] = (prod[top - d + i] + (p - modulus[i]) * prod[top]) % p;
        unsigned v = 0;
        for (unsigned i = d; i-- > 0;) v = v * p + prod[i];
        f.mul_[static_cast<std::size_t>(x) * q + y] = v;
      }
    return f;
  }
  unsigned order() const { return q_; }
  unsigned prime() const { return p_; }
  unsigned degree() const { return d_; }
  unsigned digit(unsigned x, unsigned i) const {
    for (unsigned k = 0; k < i; ++k) x /= p_;
    return x % p_;
  }
  unsigned add(unsigned x, unsigned y, bool subtract = false) const {
    unsigned v = 0;
    for (unsigned i = d_; i-- > 0;) v = v * p_ + (digit(x, i) + (subtract ? p_ - digit(y, i) : digit(y, i))) % p_;
    return v;
  }
  unsigned mul(unsigned x, unsigned y) const { return mul_[static_cast<std::size_t>(x) * q_ + y]; }

 private:
  small_field() = default;
  unsigned p_ = 0, d_ = 0, q_ = 0;
  std::vector<unsigned> mul_;
};

// A group of affine maps x -> w^e x + b of F_q (w a generator of the multiplicative group), one
// per group element, found from the permutations on q points (point i = field element i); empty
// when some permutation is not such a map. S_3 is all of AGL(1, 3) and A_4 is AGL(1, 4).
struct affine_group {
  small_field field;
  unsigned generator;
  std::vector<unsigned> exponent, shift;  // element v: x -> generator^exponent[v] x + shift[v]
};

std::optional<affine_group> as_affine(const std::vector<std::vector<std::uint8_t>>& elements, unsigned points) {
  const std::optional<small_field> f = small_field::of_order(points);
  if (!f || elements.empty()) return std::nullopt;
  const unsigned q = f->order();
  std::vector<unsigned> powers;  // of a generator of F_q^*
  for (unsigned g = 1; g < q && powers.size() != q - 1; ++g) {
    powers.assign(1, 1);
    while (powers.size() < q && f->mul(powers.back(), g) != 1) powers.push_back(f->mul(powers.back(), g));
  }
  affine_group out{*f, powers.size() > 1 ? powers[1] : 1, {}, {}};
  for (const auto& perm : elements) {
    const unsigned b = perm[0], a = f->add(perm[1], b, true);
    const auto at = std::find(powers.begin(), powers.end(), a);
    if (at == powers.end()) return std::nullopt;  // a = 0: not a bijection
    for (unsigned x = 0; x < q; ++x)
      if (perm[x] != f->add(f->mul(a, x), b)) return std::nullopt;
    out.exponent.push_back(static_cast<unsigned>(at - powers.begin()));
    out.shift.push_back(b);
  }
  return out;
}

// [f = 0 mod m] as a linear form of value 0 or 1, for f's value in 0..top: one layer of counting
// gates [f >= t] above f's literals. For m = 2 the form reads f too, for half the gates; for
// m >= 3 the steps +1, -1 and 0 are about equally common, and reading f would save none.
linear_form zero_mod(Builder& bd, const linear_form& f, std::int64_t top, std::int64_t m) {
  return function_of_sum(bd, f, 0, top, [m](std::int64_t t) { return std::int64_t(t % m == 0); }, m == 2);
}

// G_m = [s = 1 and f >= m] for m = 1..top, one gate each, [f + top s >= m + top], for a 0/1
// form s and f in 0..top: an alternating sum of them is [s = 1 and f = r mod c] (G_0 = s).
std::vector<Lit> and_at_least(Builder& bd, const linear_form& s, const linear_form& f, std::int64_t top) {
  std::vector<Lit> out(static_cast<std::size_t>(std::max<std::int64_t>(top, 0)));
  if (top <= 0) return out;
  linear_form gate = f;
  gate.add(s, top);
  std::vector<std::int64_t> thresholds;
  for (std::int64_t m = 1; m <= top; ++m) thresholds.push_back(m + top - gate.constant);
  bd.add_gates(gate.lits, gate.weights, thresholds, out);
  return out;
}

// [code = v] for v = 0..order-1, one gate each; codes past the order fire none (the identity).
std::vector<Lit> code_indicators(Builder& bd, const Word& code, std::size_t order) {
  std::vector<Lit> out;
  for (std::size_t v = 0; v < order; ++v) {
    std::vector<std::int64_t> w(code.size());
    std::int64_t ones = 0;
    for (std::size_t i = 0; i < code.size(); ++i) w[i] = (v >> i) & 1u ? 1 : -1, ones += (v >> i) & 1u;
    out.push_back(bd.add_gate(code, w, ones));
  }
  return out;
}

// What the affine construction reads of element j, as linear forms: its exponent e_j
// (0..q-2) and the indicators [b_j = beta].
struct affine_terms {
  std::vector<linear_form> exponent;
  std::vector<std::vector<linear_form>> shift_is;
};

// The word problem of an affine group over terms at depth d, in d + 3 layers. Element j is
// x -> a_j x + b_j with a_j = w^(e_j); the product, element 0 applied first, is x -> A x + C with
// A = w^(sum_j e_j) and C = sum_j w^(E_j) b_j, E_j = sum_{i>j} e_i, so the word is the identity
// exactly when sum_j e_j = 0 mod q - 1 and every coordinate of C over F_p is 0 mod p, where
// coordinate k of C is P_k = sum_j digit_k(w^(E_j) b_j) added up as integers, mod p.
// Layers above the terms: (1) G_m = [b_j = beta] AND [E_j >= m], m = 1..max E_j, and the
// counting gates over sum_j e_j; (2) counting gates over each P_k, a linear form of the terms and
// layer 1 (the term [b_j = beta] and [E_j = r mod q-1] is an alternating sum of G's). Returns the
// sum of the conditions' 0/1 indicators (the word is the identity when all hold) and their count.
// About (q-1)(q-2) n^2 / 2 gates (n^2 for S_3, 3 n^2 for A_4), O(n^3) wires.
std::pair<linear_form, std::int64_t> affine_identity(Builder& bd, const affine_group& g, const affine_terms& t) {
  const small_field& f = g.field;
  const std::int64_t q = f.order(), p = f.prime(), cycle = q - 1;  // cycle: the order of w
  const auto n = static_cast<std::int64_t>(t.exponent.size());
  std::vector<unsigned> power(static_cast<std::size_t>(cycle));  // power[r] = w^r
  for (std::int64_t r = 0, v = 1; r < cycle; ++r, v = f.mul(static_cast<unsigned>(v), g.generator)) power[r] = static_cast<unsigned>(v);
  linear_form total;  // sum_j e_j
  for (const linear_form& ej : t.exponent) total.add(ej, 1);
  std::vector<linear_form> coordinate(f.degree());  // P_k
  linear_form after;  // E_j, built from the last element down
  for (std::int64_t j = n; j-- > 0;) {
    const std::int64_t top = (cycle - 1) * (n - 1 - j);  // E_j is in 0..top
    for (unsigned beta = 1; beta < q; ++beta) {
      // [b_j = beta and E_j = r mod cycle] = sum_m ([m = r] - [m - 1 = r]) (mod cycle) G_m, G_0 = [b_j = beta]
      const std::vector<Lit> gm = and_at_least(bd, t.shift_is[j][beta], after, top);
      for (unsigned k = 0; k < f.degree(); ++k) {
        auto digit_at = [&](std::int64_t m) { return static_cast<std::int64_t>(f.digit(f.mul(power[m % cycle], beta), k)); };
        coordinate[k].add(t.shift_is[j][beta], digit_at(0));
        for (std::int64_t m = 1; m <= top; ++m) coordinate[k].add(gm[m - 1], digit_at(m) - digit_at(m - 1));
      }
    }
    after.add(t.exponent[j], 1);
  }
  linear_form all;
  all.add(zero_mod(bd, total, (cycle - 1) * n, cycle), 1);
  for (const linear_form& c : coordinate) all.add(zero_mod(bd, c, (p - 1) * n, p), 1);
  return {all, 1 + static_cast<std::int64_t>(f.degree())};
}

// The output gate: every condition holds.
Circuit identity_circuit(Builder&& bd, const std::pair<linear_form, std::int64_t>& conditions) {
  const auto& [all, count] = conditions;
  bd.add_output(bd.add_gate(all.lits, all.weights, count - all.constant), "identity");
  return std::move(bd).build();
}

// The word problem of an affine group (S_3, A_4) in depth 4, whatever n: the terms are linear
// forms of the code indicators. The depth of a solvable group's word problem stays constant (it
// is in TC^0), where A_5's and S_5's natural circuits grow with n.
Circuit affine_word_circuit(const affine_group& g, std::uint32_t code_bits, std::uint32_t n) {
  Builder bd;
  affine_terms t{std::vector<linear_form>(n), std::vector<std::vector<linear_form>>(n, std::vector<linear_form>(g.field.order()))};
  std::vector<Word> codes;
  for (std::uint32_t j = 0; j < n; ++j) codes.push_back(add_input_word(bd, code_bits, "g" + std::to_string(j)));
  for (std::uint32_t j = 0; j < n; ++j) {
    const std::vector<Lit> is = code_indicators(bd, codes[j], g.exponent.size());
    for (std::size_t v = 0; v < is.size(); ++v) {
      t.exponent[j].add(is[v], g.exponent[v]);
      t.shift_is[j][g.shift[v]].add(is[v], 1);
    }
  }
  const auto conditions = affine_identity(bd, g, t);
  return identity_circuit(std::move(bd), conditions);
}

// A group G with a normal subgroup N of index 2 whose maps are affine (S_4 over A_4 = AGL(1, 4)):
// with t_0 the identity and t_1 = tau an odd involution, and c_j the parity of the odd elements
// among the first j, the word's product is t_(c_n) h_(n-1) ... h_0 with
// h_j = t_(c_(j+1)) g_j t_(c_j) in N. So the word is the identity exactly when c_n = 0 and the
// word h_0 .. h_(n-1) of N is; h_j depends on g_j and c_j only (one step of Barrington and
// Therien's descent along a composition series).
struct index2_affine {
  affine_group normal;                                   // N's maps, indexed as N's elements
  std::vector<bool> odd;                                 // per element of G
  std::vector<std::array<unsigned, 2>> reduced;          // per element v of G: h for c = 0 and c = 1, as N's index
};

std::optional<index2_affine> as_index2_affine(const std::vector<std::vector<std::uint8_t>>& elements, unsigned k) {
  std::uint64_t symmetric = 1;  // k!: only S_k is tried (its even part listed below)
  for (unsigned i = 2; i <= k && symmetric <= elements.size(); ++i) symmetric *= i;
  if (symmetric != elements.size()) return std::nullopt;
  const auto normal_elements = group_elements(k, true);
  if (normal_elements.size() * 2 != elements.size()) return std::nullopt;
  std::optional<affine_group> normal = as_affine(normal_elements, k);
  if (!normal) return std::nullopt;
  index2_affine out{*normal, {}, {}};
  auto index_in_normal = [&](const std::vector<std::uint8_t>& perm) {
    return static_cast<unsigned>(std::find(normal_elements.begin(), normal_elements.end(), perm) - normal_elements.begin());
  };
  auto after = [](const std::vector<std::uint8_t>& second, const std::vector<std::uint8_t>& first) {  // second o first
    std::vector<std::uint8_t> r(first.size());
    for (std::size_t e = 0; e < r.size(); ++e) r[e] = second[first[e]];
    return r;
  };
  std::vector<std::uint8_t> tau(k);
  std::iota(tau.begin(), tau.end(), std::uint8_t(0));
  std::swap(tau[0], tau[1]);
  const std::vector<std::uint8_t> id = elements[0];
  for (const auto& v : elements) {
    const bool odd = index_in_normal(v) == normal_elements.size();
    out.odd.push_back(odd);
    std::array<unsigned, 2> h{};
    for (unsigned c = 0; c < 2; ++c) {
      const auto& before = c ? tau : id;
      const auto& undo = (c != unsigned(odd)) ? tau : id;  // t_(c_(j+1)), its own inverse
      h[c] = index_in_normal(after(undo, after(v, before)));
      if (h[c] == normal_elements.size()) throw std::logic_error("index2_affine: h is not in N");
    }
    out.reduced.push_back(h);
  }
  return out;
}

// The word problem of such a group in depth 5, whatever n. Layer 1: the code indicators.
// Layer 2: with O_j the number of odd elements before j (a linear form of layer 1),
// [g_j in S and O_j >= m] for m = 1..j (and_at_least), whose alternating sum is [g_j in S and c_j = 1]
// for the few sets S of elements sharing a coefficient below; and the counting gates over O_n.
// Then h_j's exponent and [h_j's shift = beta] are linear forms of layers 1 and 2, and the affine
// construction adds its three layers, with c_n = 0 as one more condition.
Circuit index2_word_circuit(const index2_affine& g, std::uint32_t code_bits, std::uint32_t n) {
  const affine_group& normal = g.normal;
  const unsigned q = normal.field.order();
  const std::size_t order = g.odd.size();
  Builder bd;
  std::vector<Word> codes;
  for (std::uint32_t j = 0; j < n; ++j) codes.push_back(add_input_word(bd, code_bits, "g" + std::to_string(j)));
  affine_terms t{std::vector<linear_form>(n), std::vector<std::vector<linear_form>>(n, std::vector<linear_form>(q))};
  linear_form odd_before;  // O_j
  for (std::uint32_t j = 0; j < n; ++j) {
    const std::vector<Lit> is = code_indicators(bd, codes[j], order);
    // A term sum_v (x_v [c_j = 0] + y_v [c_j = 1]) [g_j = v] = sum_v x_v [g_j = v] + sum_d d [g_j in S_d and c_j = 1],
    // S_d = {v : y_v - x_v = d}.
    auto add_term = [&](linear_form& out, auto&& coefficient) {
      std::map<std::int64_t, linear_form> in_set;  // d -> [g_j in S_d]
      for (std::size_t v = 0; v < order; ++v) {
        const std::int64_t x = coefficient(g.reduced[v][0]), y = coefficient(g.reduced[v][1]);
        out.add(is[v], x);
        if (y != x) in_set[y - x].add(is[v], 1);
      }
      for (const auto& [d, set] : in_set) {
        const std::vector<Lit> gm = and_at_least(bd, set, odd_before, j);  // [g_j in S_d and O_j >= m]
        for (std::size_t m = 0; m < gm.size(); ++m) out.add(gm[m], m % 2 == 0 ? d : -d);
      }
    };
    add_term(t.exponent[j], [&](unsigned h) { return std::int64_t(normal.exponent[h]); });
    for (unsigned beta = 1; beta < q; ++beta)
      add_term(t.shift_is[j][beta], [&](unsigned h) { return std::int64_t(normal.shift[h] == beta); });
    for (std::size_t v = 0; v < order; ++v)
      if (g.odd[v]) odd_before.add(is[v], 1);
  }
  auto [all, count] = affine_identity(bd, normal, t);
  all.add(zero_mod(bd, odd_before, n, 2), 1);  // c_n = 0: the product is even
  return identity_circuit(std::move(bd), {all, count + 1});
}

// Any solvable group in constant depth, down its series (tasks/group.hpp). Each position j holds
// a distribution: 0/1 linear forms D_j[u] = [h_j = u] over the current subgroup H (the identity
// left out: it adds nothing to any sum below, so "none fires" reads as the identity, as unused
// codes do). A step onto Z_p (phi, a lift t with phi(t) = 1, kernel N) writes the product as
// t^(c_n) h'_(n-1) ... h'_0 with c_j = phi(h_0 ... h_(j-1)) mod p and
// h'_j = t^-(c_(j+1)) h_j t^(c_j) in N, which depends on h_j and c_j only. So the word is the
// identity exactly when c_n = 0 and the word of the h' is, and
// D'_j[w] = sum over (u, r) with h'(u, r) = w of [h_j = u and c_j = r], an alternating sum of
// and_at_least gates over O_j = sum_(i<j) phi(h_i) (one layer), made single gates (a second
// layer) when another step follows, which keeps wires at O(n^3). The abelian end is read by
// coordinates: every coordinate's sum is 0 mod its modulus. Depth 2s + 2 for s steps (S_3, A_4
// and every dihedral group: 4).
Circuit series_word_circuit(const perm_group& g, const solvable_series& series, std::uint32_t code_bits, std::uint32_t n) {
  Builder bd;
  std::vector<std::vector<linear_form>> dist(n, std::vector<linear_form>(g.order()));  // D_j[u], u != identity
  std::vector<Word> codes;
  for (std::uint32_t j = 0; j < n; ++j) codes.push_back(add_input_word(bd, code_bits, "g" + std::to_string(j)));
  for (std::uint32_t j = 0; j < n; ++j) {
    const std::vector<Lit> is = code_indicators(bd, codes[j], g.order());
    for (std::uint32_t u = 1; u < g.order(); ++u) dist[j][u].add(is[u], 1);
  }
  linear_form all;
  std::int64_t count = 0;
  auto condition = [&](const linear_form& sum, std::int64_t top, std::int64_t m) {
    all.add(zero_mod(bd, sum, top, m), 1);
    ++count;
  };
  for (std::size_t s = 0; s < series.steps.size(); ++s) {
    const cyclic_quotient& step = series.steps[s];
    const std::int64_t p = step.modulus;
    std::vector<std::uint32_t> lift_power(p), lift_inverse_power(p);  // t^r, t^-r
    for (std::int64_t r = 0; r < p; ++r)
      lift_power[r] = g.power(step.lift, static_cast<std::uint32_t>(r)), lift_inverse_power[r] = g.inverse(lift_power[r]);
    auto reduced = [&](std::uint32_t u, std::int64_t r) {  // h'(u, r)
      return g.after(g.after(lift_inverse_power[(r + step.value[u]) % p], u), lift_power[r]);
    };
    std::vector<std::vector<linear_form>> next(n, std::vector<linear_form>(g.order()));
    linear_form before;  // O_j
    for (std::uint32_t j = 0; j < n; ++j) {
      const std::int64_t top = (p - 1) * static_cast<std::int64_t>(j);
      for (const std::uint32_t u : step.members) {
        if (u == 0 || dist[j][u].lits.empty()) continue;
        // [h_j = u and O_j >= m], m = 1..top: [h_j = u and c_j = r] = sum over m = r mod p of G_m - G_(m+1), G_0 = D_j[u]
        const std::vector<Lit> gm = and_at_least(bd, dist[j][u], before, top);
        for (std::int64_t m = 0; m <= top; ++m) {
          const std::uint32_t w = reduced(u, m % p);
          if (w == 0) continue;  // the identity adds nothing anywhere
          if (m == 0) next[j][w].add(dist[j][u], 1);
          else next[j][w].add(gm[m - 1], 1);
          if (m < top) next[j][w].add(gm[m], -1);  // G_(m+1) leaves r = m mod p
        }
      }
      for (const std::uint32_t u : step.members)
        if (u != 0) before.add(dist[j][u], step.value[u]);
    }
    condition(before, (p - 1) * static_cast<std::int64_t>(n), p);  // c_n = 0
    if (s + 1 < series.steps.size())  // one gate per D'_j[w], read by the next step's ladders
      for (auto& row : next)
        for (linear_form& d : row)
          if (!d.lits.empty()) {
            const Lit gate = bd.add_gate(d.lits, d.weights, 1 - d.constant);
            d = linear_form{};
            d.add(gate, 1);
          }
    dist = std::move(next);
  }
  for (const cyclic_quotient& c : series.coordinates) {
    linear_form sum;
    for (std::uint32_t j = 0; j < n; ++j)
      for (const std::uint32_t u : c.members)
        if (u != 0) sum.add(dist[j][u], c.value[u]);
    condition(sum, (c.modulus - 1) * static_cast<std::int64_t>(n), c.modulus);
  }
  if (count == 0) {  // the trivial group: every word is the identity
    bd.add_output(lit_true, "identity");
    return std::move(bd).build();
  }
  return identity_circuit(std::move(bd), {all, count});
}

// A group as the word problems read it, with what its natural circuit needs (built once per group).
struct word_group {
  std::vector<std::vector<std::uint8_t>> elements;  // lexicographic, the identity first
  unsigned k;                                      // points moved
  std::uint32_t b;                                 // bits of an index
  std::optional<affine_group> affine;              // the group is one of affine maps
  std::optional<index2_affine> index2;             // its even part is (and affine is empty)
  std::optional<perm_group> group;                 // with series: solvable and neither above
  std::optional<solvable_series> series;           // empty: not solvable
};

std::shared_ptr<const word_group> make_word_group(std::vector<std::vector<std::uint8_t>> elements, unsigned k) {
  auto g = std::make_shared<word_group>();
  g->b = ceil_log2(elements.size());
  g->k = k;
  g->affine = as_affine(elements, k);
  if (!g->affine) g->index2 = as_index2_affine(elements, k);
  g->elements = std::move(elements);
  perm_group group(g->elements);
  g->series = solvable_series_of(group);
  if (g->series && !g->affine && !g->index2) g->group = std::move(group);
  return g;
}

// n group elements, each an index of b bits.
struct WordProblem {
  std::shared_ptr<const word_group> g;
  std::uint32_t n;
  std::uint32_t input_bits() const { return g->b * n; }
  std::uint32_t output_bits() const { return 1; }
  // Every element's code is below the group's order (the other codes read as the identity).
  bool valid(const Bits& x) const {
    for (std::uint32_t j = 0; j < n; ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < g->b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * g->b + i]) << i;
      if (idx >= g->elements.size()) return false;
    }
    return true;
  }
  // The reference: decode each index to its permutation, compose, compare with the identity.
  Bits solve(const Bits& x) const {
    std::vector<unsigned> cur(g->k);
    std::iota(cur.begin(), cur.end(), 0u);
    for (std::uint32_t j = 0; j < n; ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < g->b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * g->b + i]) << i;
      if (idx >= g->elements.size()) continue;  // the identity
      for (unsigned e = 0; e < g->k; ++e) cur[e] = g->elements[idx][cur[e]];
    }
    bool identity = true;
    for (unsigned e = 0; e < g->k; ++e) identity = identity && cur[e] == e;
    return Bits{static_cast<std::uint8_t>(identity)};
  }
  // The natural circuit: for a group of affine maps (S_3, A_4), affine_word_circuit (depth 4 at
  // every n); for S_4, whose even part is A_4, index2_word_circuit (depth 5); for another
  // solvable group, series_word_circuit (depth 2s + 2, s the steps of its series). Otherwise each index
  // decoded to its k images (lookup tables over the b bits), the elements composed by selection in
  // a balanced tree (depth 2 per level: 2 ceil(log2 n) in all, Barrington's NC^1 shape), then every
  // image compared with its element.
  Circuit natural_circuit() const {
    if (g->affine) return affine_word_circuit(*g->affine, g->b, n);  // solvable: constant depth
    if (g->index2) return index2_word_circuit(*g->index2, g->b, n);
    if (g->group) return series_word_circuit(*g->group, *g->series, g->b, n);
    const std::uint32_t ib = ceil_log2(g->k);  // bits of an image
    Builder bd;
    std::vector<Word> idx;
    for (std::uint32_t j = 0; j < n; ++j) idx.push_back(add_input_word(bd, g->b, "g" + std::to_string(j)));
    using Perm = std::vector<Word>;  // Perm[e]: the image of e, ib bits
    auto leaf = [&](std::uint32_t j) {
      Perm images;
      for (unsigned e = 0; e < g->k; ++e) {
        Word w;
        for (std::uint32_t bit = 0; bit < ib; ++bit) {
          const truth_table table = make_truth_table(g->b, [&](std::uint64_t v) {
            const unsigned image = v < g->elements.size() ? g->elements[v][e] : e;
            return (image >> bit) & 1u;
          });
          w.push_back(lookup(bd, idx[j], table));
        }
        images.push_back(std::move(w));
      }
      return images;
    };
    // Elements lo..hi-1 composed, lo applied first: the two halves, then (second after first)[e]
    // = second[first[e]], two layers of selection per level of the tree.
    auto compose = [&](auto& self, std::uint32_t lo, std::uint32_t hi) -> Perm {
      if (hi - lo == 1) return leaf(lo);
      const std::uint32_t mid = lo + (hi - lo) / 2;
      const Perm first = self(self, lo, mid), second = self(self, mid, hi);
      Perm out;
      for (unsigned e = 0; e < g->k; ++e) out.push_back(select(bd, second, first[e]));
      return out;
    };
    const Perm cur = compose(compose, 0, n);
    std::vector<Lit> same;
    for (unsigned e = 0; e < g->k; ++e)
      for (std::uint32_t bit = 0; bit < ib; ++bit) same.push_back((e >> bit) & 1u ? cur[e][bit] : !cur[e][bit]);
    bd.add_output(and_all(bd, same), "identity");
    return std::move(bd).build();
  }
};

// Word problem over maps of {0..4}: compose n of them. A permutation is stored as its five
// images of 3 bits; images 5, 6, 7 read as 0, 1, 2 (value mod 5), so every input is a map and
// on permutations this is the S_5 word problem.
struct S5 {
  std::uint32_t n;
  std::uint32_t input_bits() const { return 15 * n; }
  std::uint32_t output_bits() const { return 15; }
  Bits solve(const Bits& x) const {
    unsigned cur[5] = {0, 1, 2, 3, 4};
    for (std::uint32_t j = 0; j < n; ++j) {
      unsigned img[5];
      for (unsigned e = 0; e < 5; ++e) {
        std::size_t base = 15 * j + 3 * e;
        img[e] = (x[base] + 2u * x[base + 1] + 4u * x[base + 2]) % 5;
      }
      for (unsigned e = 0; e < 5; ++e) cur[e] = img[cur[e]];  // apply permutation j after the previous ones
    }
    Bits out(15);
    for (unsigned e = 0; e < 5; ++e)
      for (unsigned bit = 0; bit < 3; ++bit) out[3 * e + bit] = (cur[e] >> bit) & 1u;
    return out;
  }
  Circuit natural_circuit() const {
    Builder b;
    std::vector<std::vector<Word>> raws(n), perms(n);  // perms[j][e] = image of e, 3 bits, reduced mod 5
    for (std::uint32_t j = 0; j < n; ++j)
      for (unsigned e = 0; e < 5; ++e) raws[j].push_back(add_input_word(b, 3, "p" + std::to_string(j) + "_" + std::to_string(e)));
    for (std::uint32_t j = 0; j < n; ++j)
      for (unsigned e = 0; e < 5; ++e) {
        const Word& raw = raws[j][e];
        // v mod 5 for v in 0..7, bit by bit, as lookup tables over the 3 bits
        Word red;
        for (unsigned bit = 0; bit < 3; ++bit) {
          const truth_table table = make_truth_table(3, [&](std::uint64_t v) { return ((v % 5) >> bit) & 1u; });
          red.push_back(lookup(b, raw, table));
        }
        perms[j].push_back(red);
      }
    // The straightforward circuit: compose left to right, one selection layer per permutation.
    std::vector<Word> cur;
    for (unsigned e = 0; e < 5; ++e) cur.push_back(constant_word(e, 3));
    for (std::uint32_t j = 0; j < n; ++j) {
      std::vector<Word> next;
      for (unsigned e = 0; e < 5; ++e) next.push_back(select(b, perms[j], cur[e]));  // perms[j][cur[e]]
      cur = next;
    }
    for (unsigned e = 0; e < 5; ++e) add_output_word(b, cur[e], "y" + std::to_string(e));
    return std::move(b).build();
  }
};

// How a word problem's natural circuit stands, for the task's complexity line.
std::string word_complexity(const word_group& g, const std::string& group_tex) {
  const std::string solvable = group_tex + " is solvable: its word problem is in ACC^0 (Barrington and Therien 1988); in TC^0 here: ";
  const std::string k = std::to_string(g.k);
  if (g.affine) return solvable + "as affine maps of F_" + k + ", the natural circuit has depth 4 at every n from 2 on";
  if (g.index2)
    return solvable + "its even part A_" + k + " as affine maps of F_" + k +
           " and the parity of the odd elements before each, the natural circuit has depth 5 at every n from 2 on";
  if (g.series)
    return solvable + "down a series of " + std::to_string(g.series->steps.size()) +
           " cyclic quotients of prime order to an abelian subgroup, the natural circuit has depth " +
           std::to_string(2 * g.series->steps.size() + 2) + " at every n from 2 on";
  return group_tex + " is non-solvable: its word problem is NC^1-complete (Barrington 1989), outside TC^0 unless TC^0 = NC^1; serial";
}

std::string word_encoding(const std::string& order, const std::string& b, const std::string& b_less_1, const std::string& group_tex) {
  return "element j uses inputs " + b + "j.." + b + "j+" + b_less_1 + ": its index (LSB first) among the " + order + " elements of " + group_tex +
         " listed in lexicographic order of their image lists (index 0 = the identity); codes from " + order +
         " on stand for the identity; output 0 = [the product is the identity], the product applying element 0 first "
         "(x -> g_(n-1)(...g_0(x)); the order matters from n = 3 on)";
}

}  // namespace

Task word_problem_task(unsigned k, bool alternating) {
  const std::string group_tex = std::string(alternating ? "A_" : "S_") + std::to_string(k);
  auto g = make_word_group(group_elements(k, alternating), k);
  const std::string order = std::to_string(g->elements.size());
  return tasks::make_task({"word_" + std::string(alternating ? "a" : "s") + std::to_string(k),
                           "word problem over " + group_tex + " (" + order + " elements): is a product of n elements the identity?",
                           word_complexity(*g, group_tex), !g->series, {{"n", 3, 1, 256, "number of group elements"}},
                           word_encoding(order, std::to_string(g->b), std::to_string(g->b - 1), group_tex)},
                          [g](const TaskParams& p) { return WordProblem{g, tasks::u32(p, "n")}; });
}

Task word_dihedral_task() {
  // The group depends on m: built on first use and kept (frontier portfolios ask from threads).
  auto cache = std::make_shared<std::pair<std::mutex, std::map<std::uint32_t, std::shared_ptr<const word_group>>>>();
  auto group_of = [cache](std::uint32_t m) {
    std::lock_guard lock(cache->first);
    auto& g = cache->second[m];
    if (!g) g = make_word_group(dihedral_elements(m), m);
    return g;
  };
  return tasks::make_task({"word_dihedral",
                           "word problem over the dihedral group D_m (2m elements, the symmetries of an m-gon): is a product of n elements the identity?",
                           "D_m is solvable: its word problem is in ACC^0 (Barrington and Therien 1988); in TC^0 here: over its rotations, "
                           "an abelian subgroup of index 2, the natural circuit has depth 4 at every n from 2 on, for every m",
                           false,
                           {{"m", 5, 3, 128, "corners of the polygon (the group has 2m elements)"}, {"n", 3, 1, 256, "number of group elements"}},
                           word_encoding("2m", "b", "b-1", "D_m (b = ceil(log2 2m) bits; D_m acts on the corners 0..m-1: rotations i -> i + s, reflections i -> s - i, mod m)")},
                          [group_of](const TaskParams& p) { return WordProblem{group_of(tasks::u32(p, "m")), tasks::u32(p, "n")}; });
}

Circuit solvable_word_circuit(const std::vector<Perm>& elements, std::uint32_t n) {
  const perm_group g(elements);
  const std::optional<solvable_series> series = solvable_series_of(g);
  if (!series) throw std::invalid_argument("solvable_word_circuit: the group is not solvable");
  return series_word_circuit(g, *series, ceil_log2(g.order()), n);
}

namespace tasks {

Task s5_task() {
  return make_task({"s5", "compose n permutations of 5 elements (S_5 word problem)",
                    "NC^1-complete (Barrington 1989): outside TC^0 unless TC^0 = NC^1; serial", true,
                    {{"n", 4, 1, 1024, "number of permutations"}},
                    "permutation j uses inputs 15j..15j+14: image of element e in bits 15j+3e .. 15j+3e+2 (LSB first), "
                    "values 5..7 read mod 5; the product applies permutation 0 first; outputs = the five images of the "
                    "product, 3 bits each (output 3e+b = bit b of the image of e)"},
                   [](const TaskParams& p) { return S5{u32(p, "n")}; });
}

}  // namespace tasks

}  // namespace tcx
