#include "tasks/word_problem.hpp"

#include <algorithm>
#include <array>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>

#include "circuits/bits.hpp"
#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/word.hpp"
#include "tasks/family.hpp"

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

// The S_3 word problem in depth 4, whatever n: S_3 acts on Z_3 as the affine maps x -> a x + c
// (a = +-1), so a word's product, element 0 applied first, is x -> A x + C with A the product of
// the a_j and C = sum_j c_j (product of a_i over i > j). With s_j = [a_j = -1] (the element is
// odd) and Q_j the parity of the s_i after j, (-1)^Q = 1 + Q (mod 3) gives
//     identity  <=>  sum_j s_j even  and  sum_j c_j + sum_j Q_j c_j = 0 (mod 3).
// Layers: (1) per element, two gates whose sum is s_j and the indicators [c_j = 1], [c_j = 2];
// (2) G_m = [c_j = v] AND [S_j >= m] for S_j = sum_{i>j} s_i, whose alternating sum over m is
// Q_j AND [c_j = v], and [sum_j s_j >= 2k], whose alternating sum is the word's parity; (3) the
// ladder [C' >= t] over the integer C' = sum_j (c_j + Q_j c_j) in 0..4n; (4) "C' = 0 mod 3 and
// the parity is even" as one gate over the ladder and the parity's linear form. About n^2 gates:
// the depth of the solvable group's word problem stays constant (it is in TC^0), where A_5's and
// S_5's natural circuits grow with n.
Circuit s3_word_circuit(const std::vector<std::vector<std::uint8_t>>& elements, std::uint32_t n) {
  // Layer 1 reads an element's code bits x0 x1 x2, each gate [w . x >= 1]: s_j is odd_a + odd_b
  // (codes 1, 5 and code 2), then [c_j = 1] (codes 2, 3) and [c_j = 2] (codes 4, 5). Codes 6 and
  // 7 fire none: the identity, as the task's encoding says.
  using Weights = std::array<std::int64_t, 3>;
  const Weights odd_a{1, -1, 0}, odd_b{-1, 1, -1}, c_one{0, 1, -1}, c_two{0, -1, 1};
  auto fires = [](const Weights& w, unsigned v) { return w[0] * (v & 1u) + w[1] * ((v >> 1) & 1u) + w[2] * ((v >> 2) & 1u) >= 1; };
  for (unsigned v = 0; v < 8; ++v) {  // the gates agree with the group's numbering
    const bool in_group = v < elements.size();
    const unsigned c = in_group ? elements[v][0] : 0, a = in_group ? (elements[v][1] + 3 - elements[v][0]) % 3 : 1;
    if (fires(odd_a, v) + fires(odd_b, v) != (a == 2 ? 1 : 0) || fires(c_one, v) != (c == 1) || fires(c_two, v) != (c == 2))
      throw std::logic_error("word_s3: the element numbering is not the one the depth-4 circuit assumes");
  }
  Builder bd;
  std::vector<Lit> s_parts, c1, c2;  // s_parts[2j], s_parts[2j + 1]: element j's two odd gates (sum s_j)
  std::vector<Word> codes;
  for (std::uint32_t j = 0; j < n; ++j) codes.push_back(add_input_word(bd, 3, "g" + std::to_string(j)));
  for (const Word& x : codes) {
    const std::array<Lit, 3> f{x[0], x[1], x[2]};
    s_parts.push_back(bd.add_gate(f, odd_a, 1));
    s_parts.push_back(bd.add_gate(f, odd_b, 1));
    c1.push_back(bd.add_gate(f, c_one, 1));
    c2.push_back(bd.add_gate(f, c_two, 1));
  }
  // C' = sum_j (c_j + Q_j c_j) with c_j = [c_j = 1] + 2 [c_j = 2] and Q_j c_j = sum_v v (Q_j AND
  // [c_j = v]) = sum_v v sum_m (-1)^(m+1) G_m: a linear form over layers 1 and 2.
  std::vector<Lit> terms;
  std::vector<std::int64_t> term_weights;
  for (std::uint32_t j = 0; j < n; ++j) {
    terms.insert(terms.end(), {c1[j], c2[j]});
    term_weights.insert(term_weights.end(), {1, 2});
    const std::int64_t after = n - 1 - j;  // S_j is in 0..after; weight `after` on [c_j = v] makes G_m an AND
    if (after == 0) continue;
    for (const auto& [cv, weight] : {std::pair{c1[j], std::int64_t(1)}, std::pair{c2[j], std::int64_t(2)}}) {
      std::vector<Lit> f(s_parts.begin() + 2 * (j + 1), s_parts.end());
      std::vector<std::int64_t> w(f.size(), 1), thresholds;
      f.push_back(cv);
      w.push_back(after);
      for (std::int64_t m = 1; m <= after; ++m) thresholds.push_back(m + after);
      std::vector<Lit> g(thresholds.size());
      bd.add_gates(f, w, thresholds, g);
      for (std::int64_t m = 1; m <= after; ++m) {
        terms.push_back(g[m - 1]);
        term_weights.push_back(m % 2 ? weight : -weight);
      }
    }
  }
  const std::int64_t top = 4 * static_cast<std::int64_t>(n) - 2;  // c_j <= 2 and Q_j c_j <= 2, none after the last
  std::vector<std::int64_t> thresholds;
  for (std::int64_t t = 1; t <= top; ++t) thresholds.push_back(t);
  std::vector<Lit> ladder(thresholds.size());  // [C' >= t]
  bd.add_gates(terms, term_weights, thresholds, ladder);
  // [C' = 0 mod 3] = 1 + sum_t (I(t) - I(t - 1)) [C' >= t]; the output is [that - parity >= 1].
  std::vector<Lit> out = ladder;
  std::vector<std::int64_t> out_w;
  for (std::int64_t t = 1; t <= top; ++t) out_w.push_back(t % 3 == 0 ? 1 : (t % 3 == 1 ? -1 : 0));
  // minus the parity of sum_j s_j: sum_j s_j - 2 sum_k [sum_j s_j >= 2k]
  std::vector<std::int64_t> ones(s_parts.size(), 1), evens;
  for (std::int64_t k = 2; k <= static_cast<std::int64_t>(n); k += 2) evens.push_back(k);
  std::vector<Lit> even_ladder(evens.size());
  bd.add_gates(s_parts, ones, evens, even_ladder);
  out.insert(out.end(), s_parts.begin(), s_parts.end());
  out_w.insert(out_w.end(), s_parts.size(), -1);
  out.insert(out.end(), even_ladder.begin(), even_ladder.end());
  out_w.insert(out_w.end(), even_ladder.size(), 2);
  bd.add_output(bd.add_gate(out, out_w, 0), "identity");
  return std::move(bd).build();
}

// n group elements, each an index of b bits.
struct WordProblem {
  std::shared_ptr<const std::vector<std::vector<std::uint8_t>>> elements;
  unsigned k;
  std::uint32_t b, n;
  std::uint32_t input_bits() const { return b * n; }
  std::uint32_t output_bits() const { return 1; }
  // Every element's code is below the group's order (the other codes read as the identity).
  bool valid(const Bits& x) const {
    for (std::uint32_t j = 0; j < n; ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * b + i]) << i;
      if (idx >= elements->size()) return false;
    }
    return true;
  }
  // The reference: decode each index to its permutation, compose, compare with the identity.
  Bits solve(const Bits& x) const {
    std::vector<unsigned> cur(k);
    std::iota(cur.begin(), cur.end(), 0u);
    for (std::uint32_t j = 0; j < n; ++j) {
      std::size_t idx = 0;
      for (std::uint32_t i = 0; i < b; ++i) idx |= std::size_t(x[static_cast<std::size_t>(j) * b + i]) << i;
      if (idx >= elements->size()) continue;  // the identity
      for (unsigned e = 0; e < k; ++e) cur[e] = (*elements)[idx][cur[e]];
    }
    bool identity = true;
    for (unsigned e = 0; e < k; ++e) identity = identity && cur[e] == e;
    return Bits{static_cast<std::uint8_t>(identity)};
  }
  // The natural circuit: for S_3, s3_word_circuit (depth 4 at every n). Otherwise each index
  // decoded to its k images (lookup tables over the b bits), the elements composed by selection in
  // a balanced tree (depth 2 per level: 2 ceil(log2 n) in all, Barrington's NC^1 shape), then every
  // image compared with its element.
  Circuit natural_circuit() const {
    if (k == 3) return s3_word_circuit(*elements, n);  // solvable: constant depth
    const std::uint32_t ib = ceil_log2(k);  // bits of an image
    Builder bd;
    std::vector<Word> idx;
    for (std::uint32_t j = 0; j < n; ++j) idx.push_back(add_input_word(bd, b, "g" + std::to_string(j)));
    using Perm = std::vector<Word>;  // Perm[e]: the image of e, ib bits
    auto leaf = [&](std::uint32_t j) {
      Perm images;
      for (unsigned e = 0; e < k; ++e) {
        Word w;
        for (std::uint32_t bit = 0; bit < ib; ++bit) {
          const truth_table table = make_truth_table(b, [&](std::uint64_t v) {
            const unsigned image = v < elements->size() ? (*elements)[v][e] : e;
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
      for (unsigned e = 0; e < k; ++e) out.push_back(select(bd, second, first[e]));
      return out;
    };
    const Perm cur = compose(compose, 0, n);
    std::vector<Lit> same;
    for (unsigned e = 0; e < k; ++e)
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

}  // namespace

Task word_problem_task(unsigned k, bool alternating) {
  const std::string group_tex = std::string(alternating ? "A_" : "S_") + std::to_string(k);
  auto elements = std::make_shared<const std::vector<std::vector<std::uint8_t>>>(group_elements(k, alternating));
  const std::size_t order = elements->size();
  const std::uint32_t b = ceil_log2(order);
  const bool solvable = k <= 4;
  return tasks::make_task(
      {"word_" + std::string(alternating ? "a" : "s") + std::to_string(k),
       "word problem over " + group_tex + " (" + std::to_string(order) + " elements): is a product of n elements the identity?",
       solvable ? group_tex + " is solvable: its word problem is in ACC^0 (Barrington and Therien 1988); in TC^0 here: the "
                           "natural circuit has depth 4 at every n from 2 on"
                : group_tex + " is non-solvable: its word problem is NC^1-complete (Barrington 1989), outside TC^0 "
                              "unless TC^0 = NC^1; serial",
       true,
       {{"n", 3, 1, 256, "number of group elements"}},
       "element j uses inputs " + std::to_string(b) + "j.." + std::to_string(b) + "j+" + std::to_string(b - 1) +
           ": its index (LSB first) among the " + std::to_string(order) + " elements of " + group_tex +
           " listed in lexicographic order of their image lists (index 0 = the identity); codes " + std::to_string(order) +
           ".." + std::to_string((1u << b) - 1) + " stand for the identity; output 0 = [the product is the identity], the product applying element 0 first "
           "(x -> g_(n-1)(...g_0(x)); the order matters from n = 3 on)"},
      [elements, k, b](const TaskParams& p) { return WordProblem{elements, k, b, tasks::u32(p, "n")}; });
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
