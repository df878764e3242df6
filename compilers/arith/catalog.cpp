#include "compilers/arith/catalog.hpp"

#include <bit>
#include <stdexcept>

#include "circuits/bits.hpp"
#include "circuits/progress.hpp"
#include "circuits/interrupt.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/fixed.hpp"
#include "compilers/arith/mean.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/residue_threshold.hpp"
#include "compilers/arith/small_weights.hpp"
#include "compilers/arith/sort.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"

namespace tcx {

namespace {

std::vector<Word> operands(Builder& b, std::uint32_t count, std::uint32_t bits) {
  std::vector<Word> xs;
  for (std::uint32_t i = 0; i < count; ++i) {
    b.check_deadline();  // up to 2^20 named inputs (max of 4096 words: about a second), and no gate request polls
    xs.push_back(add_input_word(b, bits, "x" + std::to_string(i)));
  }
  return xs;
}

// A cell over `count` operands producing one word.
CellInfo word_cell(std::string name, std::string desc, std::string depth, std::string gates, bool uses_count,
                   std::uint32_t default_count, std::function<Word(Builder&, std::vector<Word>&, std::uint32_t)> f,
                   std::function<std::uint32_t(std::uint32_t, std::uint32_t)> d) {
  CellInfo c{std::move(name), std::move(desc), std::move(depth), std::move(gates), uses_count, default_count, {}, std::move(d)};
  // count is the number of operands for max/min/argmax/iadd, a parameter for exactly/mod/mulc.
  const bool count_is_operands = uses_count && c.name != "exactly" && c.name != "mod" && c.name != "mulc";
  c.build = [f, count_is_operands](std::uint32_t bits, std::uint32_t count) {
    Builder b;
    std::vector<Word> xs = operands(b, count_is_operands ? count : 1, bits);
    Word out = f(b, xs, count);
    add_output_word(b, out, "y");
    return std::move(b).build();
  };
  return c;
}

// Two-operand cells use count = 2 fixed.
CellInfo binary_cell(std::string name, std::string desc, std::string depth, std::string gates,
                     std::function<Word(Builder&, const Word&, const Word&)> f,
                     std::function<std::uint32_t(std::uint32_t)> d) {
  CellInfo c{std::move(name), std::move(desc), std::move(depth), std::move(gates), false, 2, {},
             [d](std::uint32_t bits, std::uint32_t) { return d(bits); }};
  c.build = [f](std::uint32_t bits, std::uint32_t) {
    Builder b;
    std::vector<Word> xs = operands(b, 2, bits);
    add_output_word(b, f(b, xs[0], xs[1]), "y");
    return std::move(b).build();
  };
  return c;
}

// Depth of the symmetric construction: 0 for a constant, 1 when the value vector changes
// once (a threshold function), else 2.
std::uint32_t symmetric_depth(const std::vector<bool>& v) {
  std::uint32_t changes = 0;
  for (std::size_t i = 1; i < v.size(); ++i) changes += v[i] != v[i - 1];
  return changes == 0 ? 0 : changes == 1 ? 1 : 2;
}
std::vector<bool> exactly_values(std::uint32_t n, std::uint32_t k) {
  std::vector<bool> v(n + 1);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = i == k;
  return v;
}
std::vector<bool> mod_values(std::uint32_t n, std::uint32_t m) {
  std::vector<bool> v(n + 1);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = m && i % m == 0;
  return v;
}

bool is_prime(std::uint64_t p) {
  if (p < 2) return false;
  for (std::uint64_t d = 2; d * d <= p; ++d)
    if (p % d == 0) return false;
  return true;
}

std::vector<CellInfo> make_catalog() {
  auto one = [](Lit l) { return Word{l}; };
  auto constant = [](std::uint32_t v) { return [v](std::uint32_t, std::uint32_t) { return v; }; };
  std::vector<CellInfo> cells;
  cells.push_back(word_cell("majority", "[x_1 + ... + x_n >= n/2] over the bits of x", "1", "1", false, 1,
                            [=](Builder& b, std::vector<Word>& xs, std::uint32_t) { return one(majority(b, xs[0])); },
                            constant(1)));
  cells.push_back(word_cell("parity", "XOR of the bits of x (symmetric-function construction)", "2", "n+1", false, 1,
                            [=](Builder& b, std::vector<Word>& xs, std::uint32_t) { return one(parity(b, xs[0])); },
                            constant(2)));
  cells.push_back(word_cell("parity_skip", "XOR of the bits, with input-to-output wires", "2", "floor(n/2)+1", false, 1,
                            [=](Builder& b, std::vector<Word>& xs, std::uint32_t) { return one(parity_skip(b, xs[0])); },
                            constant(2)));
  cells.push_back(word_cell("popcount", "number of 1 bits of x, in binary", "2", "<= n+ceil(log2(n+1))", false, 1,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return popcount(b, xs[0]); },
                            constant(2)));
  cells.push_back(word_cell("exactly", "[popcount(x) == count] (count is the parameter k)",
                            "2 (1 when k = 0 or k = n)", "<= 3", true, 1,
                            [=](Builder& b, std::vector<Word>& xs, std::uint32_t k) {
                              return one(symmetric(b, xs[0], exactly_values(static_cast<std::uint32_t>(xs[0].size()), k)));
                            },
                            [](std::uint32_t n, std::uint32_t k) { return symmetric_depth(exactly_values(n, k)); }));
  cells.push_back(word_cell("mod", "[popcount(x) mod count == 0] (count is the modulus m)",
                            "2 (1 when the value changes once)", "<= n+1", true, 3,
                            [=](Builder& b, std::vector<Word>& xs, std::uint32_t m) {
                              return one(symmetric(b, xs[0], mod_values(static_cast<std::uint32_t>(xs[0].size()), m)));
                            },
                            [](std::uint32_t n, std::uint32_t m) { return symmetric_depth(mod_values(n, m)); }));
  cells.push_back(binary_cell("ge", "[x0 >= x1], one gate with weights 2^i", "1", "1",
                              [=](Builder& b, const Word& x, const Word& y) { return one(greater_equal(b, x, y)); },
                              [](std::uint32_t) { return 1u; }));
  cells.push_back(binary_cell("ge_small", "[x0 >= x1] with unit weights", "3", "<= 3k+1",
                              [=](Builder& b, const Word& x, const Word& y) { return one(greater_equal_small(b, x, y)); },
                              [](std::uint32_t k) { return k == 1 ? 2u : 3u; }));
  cells.push_back(binary_cell("ge_residues", "[x0 >= x1], the 'ge' gate by residues: small weights, one more level",
                              "2", "O(k^5 / log k)",
                              [=](Builder& b, const Word& x, const Word& y) {
                                std::vector<Lit> lits;
                                std::vector<mpz_class> w;
                                for (std::size_t i = 0; i < x.size(); ++i) {
                                  lits.push_back(x[i]);
                                  w.push_back(mpz_class(1) << static_cast<mp_bitcnt_t>(i));
                                  lits.push_back(y[i]);
                                  w.push_back(-w.back());
                                }
                                // Thousands of votes from about 64 bits: counted on stderr when progress is on
                                // (--progress, or a terminal).
                                Progress progress("tcx cell ge_residues", 0, "votes");
                                residue_params p;
                                p.progress = &progress;
                                return one(threshold_by_residues(b, lits, w, 0, p));
                              },
                              [](std::uint32_t) { return 2u; }));
  cells.push_back(binary_cell("eq", "[x0 == x1]", "2", "3",
                              [=](Builder& b, const Word& x, const Word& y) { return one(equal(b, x, y)); },
                              [](std::uint32_t) { return 2u; }));
  cells.push_back(binary_cell("eq_small", "[x0 == x1] with unit weights", "2", "2k+1",
                              [=](Builder& b, const Word& x, const Word& y) { return one(equal_small(b, x, y)); },
                              [](std::uint32_t) { return 2u; }));
  cells.push_back(binary_cell("add", "x0 + x1 (k+1 bits)", "2", "<= 4k+2",
                              [](Builder& b, const Word& x, const Word& y) { return add(b, x, y); },
                              [](std::uint32_t) { return 2u; }));
  cells.push_back(binary_cell("sub", "x0 - x1 mod 2^k", "2", "<= 4k",
                              [](Builder& b, const Word& x, const Word& y) { return subtract(b, x, y); },
                              [](std::uint32_t) { return 2u; }));
  cells.push_back(binary_cell("add_small", "x0 + x1 (k+1 bits), weights at most 2", "3", "O(k^2)",
                              [](Builder& b, const Word& x, const Word& y) { return add_small(b, x, y, false, true); },
                              [](std::uint32_t) { return 3u; }));
  cells.push_back(binary_cell("sub_small", "x0 - x1 mod 2^k, weights at most 2", "3", "O(k^2)",
                              [](Builder& b, const Word& x, const Word& y) { return subtract_small(b, x, y); },
                              [](std::uint32_t) { return 3u; }));
  cells.push_back(word_cell("iadd_small", "x0 + ... + x(m-1), exact, weights O(m^2)",
                            "5 (2 when k <= max(1, ceil(log2 m)): one block)", "O(m k^2 / log m)", true, 4,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return iterated_add_small(b, xs); },
                            [](std::uint32_t k, std::uint32_t m) { return k <= std::max(1u, ceil_log2(m)) ? 2u : 5u; }));
  cells.push_back(word_cell("iadd", "x0 + ... + x(m-1), exact (m = count)", "2", "<= (2m+1)(k+ceil(log2 m))", true, 4,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return iterated_add(b, xs); },
                            constant(2)));
  cells.push_back(binary_cell("mul", "x0 * x1 (2k bits)", "3", "O(k^2)",
                              [](Builder& b, const Word& x, const Word& y) { return multiply(b, x, y); },
                              [](std::uint32_t k) { return k == 1 ? 1u : 3u; }));
  cells.push_back(word_cell("mulc", "x0 * count for the constant count", "2 (0 when the shifted copies of x do not overlap: wiring)",
                            "O(k)", true, 5,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t c) {
                              return multiply_constant(b, xs[0], mpz_class(c));
                            },
                            [](std::uint32_t k, std::uint32_t c) {
                              // Wiring only when the shifted copies of x do not overlap.
                              std::uint32_t prev = 64, min_gap = 64;
                              for (std::uint32_t i = 0; i < 32; ++i)
                                if ((c >> i) & 1u) { if (prev != 64) min_gap = std::min(min_gap, i - prev); prev = i; }
                              return min_gap >= k ? 0u : 2u;
                            }));
  cells.push_back(word_cell("max", "largest of m = count words", "3", "O(m^2 k)", true, 4,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return max_word(b, xs); }, constant(3)));
  cells.push_back(word_cell("min", "smallest of m = count words", "3", "O(m^2 k)", true, 4,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return min_word(b, xs); }, constant(3)));
  cells.push_back(word_cell("argmax", "index of the first largest of m = count words (binary)",
                            "3 (1 for m = 2, 2 for m = 3: an index bit is then a single one-hot entry)", "O(m^2)",
                            true, 4, [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return argmax_index(b, xs); },
                            [](std::uint32_t, std::uint32_t m) { return m == 2 ? 1u : m == 3 ? 2u : 3u; }));
  {
    CellInfo c{"sort", "the m = count words in descending order (outputs y0.., y1.., ...)", "3", "O(m^2 k)", true, 4,
               {}, constant(3)};
    c.build = [](std::uint32_t bits, std::uint32_t count) {
      Builder b;
      std::vector<Word> xs = operands(b, count, bits);
      std::vector<Word> sorted = sort_words(b, xs);
      for (std::size_t r = 0; r < sorted.size(); ++r) add_output_word(b, sorted[r], "y" + std::to_string(r));
      return std::move(b).build();
    };
    cells.push_back(std::move(c));
  }
  {
    CellInfo c{"mux", "x_index: count words then an index of ceil(log2 count) bits", "2", "(count+1) k", true, 4,
               {}, constant(2)};
    c.build = [](std::uint32_t bits, std::uint32_t count) {
      Builder b;
      std::vector<Word> xs = operands(b, count, bits);
      Word index = add_input_word(b, ceil_log2(count), "index");
      add_output_word(b, select(b, xs, index), "y");
      return std::move(b).build();
    };
    cells.push_back(std::move(c));
  }
  for (const bool nearest : {false, true}) {  // averaging attention's mean
    CellInfo c{nearest ? "mean_round" : "mean",
               std::string("mean of the selected signed words, ") + (nearest ? "rounded to nearest (ties up)" : "rounded down") +
                   ": count words, then count select bits s (nothing selected: 2^(k-1)-1; k <= 16)",
               "3 (2 for k = 1)", "<= count k + 2^k - 1 + k", true, 3, {},
               [](std::uint32_t bits, std::uint32_t) { return bits == 1 ? 2u : 3u; }};
    c.build = [nearest](std::uint32_t bits, std::uint32_t count) {
      Builder b;
      std::vector<Word> xs = operands(b, count, bits);
      Word sel = add_input_word(b, count, "s");
      add_output_word(b, masked_mean(b, sel, xs, nearest), "y");
      return std::move(b).build();
    };
    cells.push_back(std::move(c));
  }
  cells.push_back(word_cell("lut", "any function of k bits as a table; here: [x is prime]",
                            "2 (0 for k = 1: no prime below 2)", "<= 2^(k-1)+1", false, 1,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) {
                              // 2^k primality tests by trial division, seconds at k = 24 with no gate added: poll meanwhile.
                              const truth_table t = make_truth_table(static_cast<std::uint32_t>(xs[0].size()), [](std::uint64_t p) {
                                poll_interrupt(p, "tabulating the lut cell's function");
                                return is_prime(p);
                              });
                              return Word{lookup(b, xs[0], t)};
                            },
                            [](std::uint32_t k, std::uint32_t) { return k == 1 ? 0u : 2u; }));
  cells.push_back(word_cell("relu", "max(x, 0) for signed x", "1", "k-1", false, 1,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) { return relu(b, xs[0]); }, constant(1)));
  cells.push_back(word_cell("hardtanh", "clip(x, -1, 1) for signed x with floor(k/2) fractional bits", "2", "k+2", false, 1,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) {
                              std::uint32_t k = static_cast<std::uint32_t>(xs[0].size());
                              return hard_tanh(b, xs[0], FixedFormat{k, k / 2, true});
                            },
                            constant(2)));
  cells.push_back(word_cell("affine", "0.75*x + 0.5, signed, floor(k/2) fractional bits, round half up, saturate",
                            "4", "O(k)", false, 1,
                            [](Builder& b, std::vector<Word>& xs, std::uint32_t) {
                              std::uint32_t k = static_cast<std::uint32_t>(xs[0].size());
                              FixedFormat f{k, k / 2, true};
                              return affine(b, xs[0], f, 3, 2, 1, 1, f, Rounding::nearest_half_up, Overflow::saturate);
                            },
                            constant(4)));
  return cells;
}

}  // namespace

const std::vector<CellInfo>& cell_catalog() {
  static const std::vector<CellInfo> cells = make_catalog();
  return cells;
}

const CellInfo* find_cell(std::string_view name) {
  for (const CellInfo& c : cell_catalog())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace tcx
