// Families that evaluate a program given in the input: a balanced AND/OR formula, a Boolean
// straight-line program (circuit value) and an arithmetic one. Their natural circuits run the
// program step by step, so their depth grows with its length.
#include <algorithm>

#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/sum.hpp"
#include "tasks/family.hpp"

namespace tcx::tasks {

namespace {

Word slice(const Word& w, std::size_t at, std::size_t bits) { return Word(w.begin() + at, w.begin() + at + bits); }

// Balanced AND/OR formula of depth d: 2^d leaf values, then one type bit per internal node.
struct Formula {
  std::uint32_t depth;
  std::uint32_t input_bits() const { return (2u << depth) - 1; }
  std::uint32_t output_bits() const { return 1; }
  Bits solve(const Bits& x) const {
    std::vector<std::uint8_t> level(x.begin(), x.begin() + (1u << depth));
    std::size_t type = 1u << depth;
    while (level.size() > 1) {
      std::vector<std::uint8_t> up;
      for (std::size_t i = 0; i < level.size(); i += 2, ++type)
        up.push_back(x[type] ? (level[i] && level[i + 1]) : (level[i] || level[i + 1]));
      level = up;
    }
    return Bits{level[0]};
  }
  Circuit natural_circuit() const {
    Builder b;
    Word x = add_input_word(b, input_bits(), "x");
    std::vector<Lit> level(x.begin(), x.begin() + (1u << depth));
    std::size_t type = 1u << depth;
    while (level.size() > 1) {
      std::vector<Lit> up;
      for (std::size_t i = 0; i < level.size(); i += 2, ++type) {
        // AND when the type bit is 1, OR when 0: [a + b - type >= 1]
        Lit f[3] = {level[i], level[i + 1], x[type]};
        std::int64_t w[3] = {1, 1, -1};
        up.push_back(b.add_gate(f, w, 1));
      }
      level = up;
    }
    b.add_output(level[0], "value");
    return std::move(b).build();
  }
};

// Circuit value problem: a straight-line program of g gates over m input values.
struct Cvp {
  std::uint32_t m, g;
  std::uint32_t operand_bits() const { return std::max(1u, ceil_log2(m + g)); }
  std::uint32_t input_bits() const { return m + g * (2 + 2 * operand_bits()); }
  std::uint32_t output_bits() const { return 1; }
  static bool apply(unsigned type, bool a, bool b) {
    return type == 0 ? (a && b) : type == 1 ? (a || b) : type == 2 ? !(a && b) : !(a || b);
  }
  Bits solve(const Bits& x) const {
    const std::uint32_t ob = operand_bits();
    std::vector<std::uint8_t> wire(x.begin(), x.begin() + m);
    std::size_t at = m;
    for (std::uint32_t k = 0; k < g; ++k) {
      unsigned type = static_cast<unsigned>(read_uint(x, at, 2));
      std::uint64_t ia = read_uint(x, at + 2, ob), ib = read_uint(x, at + 2 + ob, ob);
      at += 2 + 2 * ob;
      bool a = ia < wire.size() && wire[ia], bv = ib < wire.size() && wire[ib];
      wire.push_back(apply(type, a, bv));
    }
    return Bits{wire.back()};
  }
  Circuit natural_circuit() const {
    const std::uint32_t ob = operand_bits();
    Builder b;
    Word x = add_input_word(b, input_bits(), "x");
    std::vector<Word> wires;
    for (std::uint32_t i = 0; i < m; ++i) wires.push_back(Word{x[i]});
    // the gate: a function of (a, b, type0, type1), a 16-entry table
    const truth_table table = make_truth_table(4, [&](std::uint64_t q) { return apply(static_cast<unsigned>(q >> 2), q & 1, q & 2); });
    std::size_t at = m;
    for (std::uint32_t k = 0; k < g; ++k) {
      Word type = slice(x, at, 2), ia = slice(x, at + 2, ob), ib = slice(x, at + 2 + ob, ob);
      at += 2 + 2 * ob;
      Lit a = select(b, wires, ia)[0], bv = select(b, wires, ib)[0];  // depth 2: the operands
      wires.push_back(Word{lookup(b, Word{a, bv, type[0], type[1]}, table)});
    }
    b.add_output(wires.back()[0], "value");
    return std::move(b).build();
  }
};

// A straight-line program of L arithmetic steps on k-bit values, mod 2^k.
struct Arithmetic {
  std::uint32_t k, length;
  std::uint32_t input_bits() const { return k + length * (2 + k); }
  std::uint32_t output_bits() const { return k; }
  Bits solve(const Bits& x) const {
    const std::uint64_t mask = k == 64 ? ~0ull : (1ull << k) - 1;
    std::uint64_t v = read_uint(x, 0, k);
    std::size_t at = k;
    for (std::uint32_t i = 0; i < length; ++i, at += 2 + k) {
      unsigned op = static_cast<unsigned>(read_uint(x, at, 2));
      std::uint64_t c = read_uint(x, at + 2, k);
      v = op == 0 ? v + c : op == 1 ? v - c : op == 2 ? v * c : v;
      v &= mask;
    }
    Bits out;
    write_uint(out, v, k);
    return out;
  }
  Circuit natural_circuit() const {
    Builder b;
    Word x = add_input_word(b, input_bits(), "x");
    Word v = slice(x, 0, k);
    std::size_t at = k;
    for (std::uint32_t i = 0; i < length; ++i, at += 2 + k) {
      Word op = slice(x, at, 2), c = slice(x, at + 2, k);
      Word sum = add(b, v, c), diff = subtract(b, v, c), prod;
      sum.resize(k);
      std::vector<Term> terms;  // the low k bits of v * c
      for (std::uint32_t a = 0; a < k; ++a)
        for (std::uint32_t l = 0; a + l < k; ++l) terms.push_back(Term{and2(b, v[a], c[l]), mpz_class(1) << (a + l)});
      prod = sum_bits(b, terms, 0, 0, k);
      std::vector<Word> results{sum, diff, prod, v};
      v = select(b, results, op);
    }
    add_output_word(b, v, "v");
    return std::move(b).build();
  }
};

}  // namespace

Task formula_task() {
  return make_task({"formula", "evaluate a balanced AND/OR formula of depth d",
                    "in NC^1; evaluating formulas given as strings is NC^1-complete (Buss 1987); serial in d", true,
                    {{"depth", 3, 0, 12, "formula depth d (2^d leaves)"}},
                    "inputs 0..2^d-1 = leaf values, left to right; then one bit per internal node, level by level from the "
                    "leaves up (left to right), 1 = AND, 0 = OR; output = the root's value"},
                   [](const TaskParams& p) { return Formula{u32(p, "depth")}; });
}

Task cvp_task() {
  return make_task({"cvp", "circuit value: evaluate a straight-line Boolean program of g gates", "P-complete (Ladner 1975); serial",
                    true, {{"inputs", 2, 1, 64, "input values m"}, {"gates", 3, 1, 64, "gates g"}},
                    "inputs 0..m-1 = the values w_0..w_(m-1); then per gate k (wire m+k), in order: 2 type bits "
                    "(0 AND, 1 OR, 2 NAND, 3 NOR, LSB first) and two operand indices of b = ceil(log2(m+g)) bits each "
                    "(LSB first); an operand index that is not an earlier wire reads 0; output = the last gate's value"},
                   [](const TaskParams& p) { return Cvp{u32(p, "inputs"), u32(p, "gates")}; });
}

Task arithmetic_task() {
  return make_task({"arithmetic", "math word problem as a straight-line program: v <- v op c, L times, mod 2^k",
                    "evaluating arithmetic straight-line programs is P-hard in general (arithmetic circuit "
                    "evaluation); the natural circuit is serial in L",
                    true, {{"k", 4, 1, 32, "bits per value"}, {"length", 3, 0, 64, "steps L"}},
                    "inputs 0..k-1 = the start value v; then per step: 2 op bits (0 add, 1 subtract, 2 multiply, 3 keep; "
                    "LSB first) and the operand c (k bits); v <- v op c mod 2^k; outputs = v after L steps (LSB first)"},
                   [](const TaskParams& p) { return Arithmetic{u32(p, "k"), u32(p, "length")}; });
}

}  // namespace tcx::tasks
