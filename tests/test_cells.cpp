// Every catalog cell against plain C++ integer arithmetic written here, independently of the
// cells: exhaustively for small widths, on random inputs up to 64 bits; and depth formulas.
#include <catch2/catch.hpp>

#include <bit>
#include <functional>
#include <map>

#include "circuits/analysis.hpp"
#include "circuits/bits.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/interrupt.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/lower.hpp"
#include "circuits/simulate.hpp"
#include "compilers/arith/catalog.hpp"
#include "circuits/passes.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/fixed.hpp"
#include "compilers/arith/select.hpp"
#include "compilers/arith/small_weights.hpp"
#include "reference.hpp"
#include "test_env.hpp"

using namespace tcx;
__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

namespace {

std::uint32_t bitlen(u128 v) {
  std::uint32_t n = 0;
  while (v) { ++n; v >>= 1; }
  return n;
}
void put(std::vector<std::uint8_t>& out, u128 v, std::uint32_t width) {
  for (std::uint32_t i = 0; i < width; ++i) out.push_back(static_cast<std::uint8_t>((v >> i) & 1));
}
std::int64_t as_signed(std::uint64_t v, std::uint32_t k) {
  if (k < 64 && ((v >> (k - 1)) & 1)) return static_cast<std::int64_t>(v) - (std::int64_t(1) << k);
  return static_cast<std::int64_t>(v);
}
i128 floor_div(i128 a, i128 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
i128 signed_min(std::uint32_t k) { return -(i128(1) << (k - 1)); }
i128 signed_max(std::uint32_t k) { return (i128(1) << (k - 1)) - 1; }
bool prime(std::uint64_t p) {
  if (p < 2) return false;
  for (std::uint64_t d = 2; d * d <= p; ++d)
    if (p % d == 0) return false;
  return true;
}

// The mean of the operands whose select bit is set, as signed k-bit numbers: floor(S/C) or
// floor(S/C + 1/2), computed in rationals' terms by integer division; nothing selected: the largest.
std::vector<std::uint8_t> mean_reference(const std::vector<std::uint64_t>& x, std::uint64_t sel, std::uint32_t k,
                                         std::uint32_t m, bool nearest) {
  i128 sum = 0, count = 0;
  for (std::uint32_t j = 0; j < m; ++j)
    if ((sel >> j) & 1u) {
      sum += as_signed(x[j], k);
      ++count;
    }
  const i128 mean = count == 0 ? signed_max(k) : nearest ? floor_div(2 * sum + count, 2 * count) : floor_div(sum, count);
  std::vector<std::uint8_t> o;
  put(o, static_cast<u128>(mean), k);
  return o;
}

// operands x[0..m-1] of k bits; extra = the mux index. Returns the expected output bits.
using Reference = std::function<std::vector<std::uint8_t>(const std::vector<std::uint64_t>& x, std::uint64_t extra,
                                                          std::uint32_t k, std::uint32_t m)>;

const std::map<std::string, Reference>& references() {
  static const std::map<std::string, Reference> r = {
      {"majority", [](auto& x, auto, auto k, auto) { return std::vector<std::uint8_t>{2u * std::popcount(x[0]) >= k}; }},
      {"parity", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{std::uint8_t(std::popcount(x[0]) & 1)}; }},
      {"parity_skip", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{std::uint8_t(std::popcount(x[0]) & 1)}; }},
      {"popcount", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, std::popcount(x[0]), bitlen(k)); return o; }},
      {"exactly", [](auto& x, auto, auto, auto m) { return std::vector<std::uint8_t>{std::uint64_t(std::popcount(x[0])) == m}; }},
      {"mod", [](auto& x, auto, auto, auto m) { return std::vector<std::uint8_t>{std::popcount(x[0]) % m == 0}; }},
      {"ge", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{x[0] >= x[1]}; }},
      {"ge_residues", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{x[0] >= x[1]}; }},
      {"ge_small", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{x[0] >= x[1]}; }},
      {"eq", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{x[0] == x[1]}; }},
      {"eq_small", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{x[0] == x[1]}; }},
      {"add", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, u128(x[0]) + x[1], k + 1); return o; }},
      {"sub", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, u128(x[0]) - x[1], k); return o; }},
      {"iadd", [](auto& x, auto, auto k, auto m) {
         u128 s = 0;
         for (auto v : x) s += v;
         std::vector<std::uint8_t> o;
         put(o, s, bitlen(u128(m) * ((u128(1) << k) - 1)));
         return o;
       }},
      {"add_small", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, u128(x[0]) + x[1], k + 1); return o; }},
      {"sub_small", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, u128(x[0]) - x[1], k); return o; }},
      {"iadd_small", [](auto& x, auto, auto k, auto m) {
         u128 s = 0;
         for (auto v : x) s += v;
         std::vector<std::uint8_t> o;
         put(o, s, bitlen(u128(m) * ((u128(1) << k) - 1)));
         return o;
       }},
      {"mul", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, u128(x[0]) * x[1], 2 * k); return o; }},
      {"mulc", [](auto& x, auto, auto k, auto c) {
         std::vector<std::uint8_t> o;
         put(o, u128(x[0]) * c, std::max<std::uint32_t>(1, bitlen(u128(c) * ((u128(1) << k) - 1))));
         return o;
       }},
      {"max", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, *std::max_element(x.begin(), x.end()), k); return o; }},
      {"min", [](auto& x, auto, auto k, auto) { std::vector<std::uint8_t> o; put(o, *std::min_element(x.begin(), x.end()), k); return o; }},
      {"argmax", [](auto& x, auto, auto, auto m) {
         std::vector<std::uint8_t> o;
         put(o, std::max_element(x.begin(), x.end()) - x.begin(), ceil_log2(m));  // first maximum
         return o;
       }},
      {"sort", [](auto& x, auto, auto k, auto) {
         std::vector<std::uint64_t> s(x.begin(), x.end());
         std::sort(s.rbegin(), s.rend());
         std::vector<std::uint8_t> o;
         for (auto v : s) put(o, v, k);
         return o;
       }},
      {"mux", [](auto& x, auto idx, auto k, auto m) { std::vector<std::uint8_t> o; put(o, idx < m ? x[idx] : 0, k); return o; }},
      {"mean", [](auto& x, auto sel, auto k, auto m) { return mean_reference(x, sel, k, m, false); }},
      {"mean_round", [](auto& x, auto sel, auto k, auto m) { return mean_reference(x, sel, k, m, true); }},
      {"lut", [](auto& x, auto, auto, auto) { return std::vector<std::uint8_t>{prime(x[0])}; }},
      {"relu", [](auto& x, auto, auto k, auto) {
         std::int64_t v = as_signed(x[0], k);
         std::vector<std::uint8_t> o;
         put(o, static_cast<std::uint64_t>(std::max<std::int64_t>(v, 0)), k);
         return o;
       }},
      {"hardtanh", [](auto& x, auto, auto k, auto) {
         const i128 one = i128(1) << (k / 2);
         i128 v = std::clamp<i128>(as_signed(x[0], k), std::max(-one, signed_min(k)), std::min(one, signed_max(k)));
         std::vector<std::uint8_t> o;
         put(o, static_cast<u128>(v), k);
         return o;
       }},
      {"affine", [](auto& x, auto, auto k, auto) {
         // y = 0.75 x + 0.5 with f = k/2 fractional bits, round half up: floor((3X + 2^(f+1) + 2) / 4)
         const std::uint32_t f = k / 2;
         i128 y = floor_div(3 * i128(as_signed(x[0], k)) + (i128(2) << f) + 2, 4);
         std::vector<std::uint8_t> o;
         put(o, static_cast<u128>(std::clamp(y, signed_min(k), signed_max(k))), k);
         return o;
       }},
  };
  return r;
}

std::uint32_t operand_count(const CellInfo& cell, std::uint32_t count) {
  if (cell.name == "sort" || cell.name == "mux" || cell.name == "iadd" || cell.name == "iadd_small" || cell.name == "max" || cell.name == "min" ||
      cell.name == "argmax" || cell.name == "mean" || cell.name == "mean_round")
    return count;
  if (cell.name == "ge" || cell.name == "ge_small" || cell.name == "ge_residues" || cell.name == "eq" || cell.name == "eq_small" || cell.name == "add" || cell.name == "sub" ||
      cell.name == "add_small" || cell.name == "sub_small" ||
      cell.name == "mul")
    return 2;
  return 1;
}

void check_cell(const CellInfo& cell, std::uint32_t k, std::uint32_t count, std::uint64_t random_patterns,
                std::mt19937_64& rng) {
  INFO(cell.name << " bits " << k << " count " << count);
  Circuit c = cell.build(k, count);
  const std::uint32_t m = operand_count(cell, count);
  const bool selects = cell.name == "mean" || cell.name == "mean_round";  // count select bits after the words
  const std::uint32_t idx_bits = cell.name == "mux" ? ceil_log2(count) : selects ? count : 0;
  REQUIRE(c.num_inputs() == m * k + idx_bits);
  const Reference& ref = references().at(cell.name);
  const std::uint32_t n = c.num_inputs();
  const bool exhaustive = n <= 14;
  const std::uint64_t total = exhaustive ? (1ull << n) : random_patterns;
  std::vector<std::vector<std::uint8_t>> pats;
  for (std::uint64_t p = 0; p < total; ++p) {
    std::vector<std::uint8_t> bits(n);
    for (std::uint32_t i = 0; i < n; ++i) bits[i] = exhaustive ? (p >> i) & 1u : rng() & 1u;
    pats.push_back(std::move(bits));
  }
  auto outs = simulate_patterns(c, pats);
  for (std::uint64_t p = 0; p < total; ++p) {
    std::vector<std::uint64_t> x(m, 0);
    for (std::uint32_t j = 0; j < m; ++j)
      for (std::uint32_t i = 0; i < k; ++i) x[j] |= std::uint64_t(pats[p][j * k + i]) << i;
    std::uint64_t idx = 0;
    for (std::uint32_t i = 0; i < idx_bits; ++i) idx |= std::uint64_t(pats[p][m * k + i]) << i;
    REQUIRE(outs[p] == ref(x, idx, k, count));
  }
}

}  // namespace

TEST_CASE("every catalog cell has a reference", "[cells]") {
  for (const CellInfo& cell : cell_catalog()) CHECK(references().count(cell.name) == 1);
}

TEST_CASE("cells equal integer arithmetic: exhaustive up to 6 bits, m up to 4", "[cells]") {
  std::mt19937_64 rng(1);
  for (const CellInfo& cell : cell_catalog())
    for (std::uint32_t k = 1; k <= 6; ++k) {
      if (!cell.uses_count) {
        check_cell(cell, k, cell.default_count, 2000, rng);
        continue;
      }
      for (std::uint32_t count = 2; count <= 4; ++count) check_cell(cell, k, count, 2000, rng);
    }
}

TEST_CASE("cells on random inputs up to 64 bits", "[cells][wide]") {
  std::mt19937_64 rng(2);
  for (const CellInfo& cell : cell_catalog()) {
    if (cell.name == "lut" || cell.name == "popcount" || cell.name == "exactly" || cell.name == "mod" ||
        cell.name == "majority" || cell.name == "parity" || cell.name == "parity_skip")
      continue;  // functions of one k-bit word checked exhaustively above, or tables of size 2^k
    for (std::uint32_t k : {8u, 16u, 32u, 64u}) {
      if (cell.name == "mul" && k > 32) continue;  // 64 bits: its own test below (17M wires)
      if (cell.name == "ge_residues" && k > 16) continue;  // 0.1 s and 190k wires at 24 bits, more beyond
      if ((cell.name == "mean" || cell.name == "mean_round") && k > 8) continue;  // a thermometer of 2^k gates
      check_cell(cell, k, cell.uses_count ? cell.default_count : 2, 300, rng);
    }
  }
  for (std::uint32_t k : {8u, 16u, 33u, 64u}) {  // symmetric cells on wide words, random inputs
    check_cell(*find_cell("parity"), k, 1, 300, rng);
    check_cell(*find_cell("popcount"), k, 1, 300, rng);
  }
}

TEST_CASE("measured depth equals the documented formula", "[cells][depth]") {
  for (const CellInfo& cell : cell_catalog())
    for (std::uint32_t k = 2; k <= 8; ++k)
      for (std::uint32_t count = 2; count <= (cell.uses_count ? 5u : 2u); ++count) {
        INFO(cell.name << " bits " << k << " count " << count);
        CHECK(cell.build(k, cell.uses_count ? count : cell.default_count).depth() ==
              cell.depth(k, cell.uses_count ? count : cell.default_count));
      }
}

TEST_CASE("TC^0: iterated addition, multiplication and sorting keep their depth as m and k grow", "[cells][depth]") {
  for (std::uint32_t k : {2u, 4u, 8u, 16u, 32u})
    for (std::uint32_t m : {2u, 4u, 8u, 16u, 32u}) {
      INFO("k " << k << " m " << m);
      if (k * m <= 256 || (k == 32 && m == 32)) CHECK(find_cell("iadd")->build(k, m).depth() == 2);
      if (m <= 8 && k <= 16) CHECK(find_cell("sort")->build(k, m).depth() == 3);
    }
  for (std::uint32_t k : {2u, 4u, 8u, 16u, 32u}) CHECK(find_cell("mul")->build(k, 2).depth() == 3);
  CHECK(find_cell("sort")->build(32, 32).depth() == 3);
}

TEST_CASE("small-weight iterated addition keeps depth 5 as m and k grow", "[cells][depth]") {
  for (std::uint32_t k : {4u, 8u, 16u, 32u})
    for (std::uint32_t m : {2u, 3u, 5u, 8u, 16u}) {
      INFO("k " << k << " m " << m);
      Circuit c = find_cell("iadd_small")->build(k, m);
      CHECK(c.depth() == (k <= std::max(1u, ceil_log2(m)) ? 2u : 5u));
      CHECK(analyze(c).max_weight_bits <= 2 * ceil_log2(m) + 2);  // polynomial in m, whatever k
    }
}

TEST_CASE("to_small_weights: equivalent, with weights bounded by the fan-in", "[cells][reweight]") {
  std::mt19937_64 rng(5);
  std::uint32_t replaced = 0;
  for (int rep = 0; rep < 6; ++rep) {
    tcx::test::RandomParams p;
    p.inputs = 8;
    p.gates = 12;
    p.max_fanin = 6;
    p.weight_bits = 20 + 10 * rep;
    Circuit c = tcx::test::random_netlist(rng, p).build();
    small_weights_stats st;
    Circuit s = to_small_weights(c, 4, &st);
    CHECK(equivalent_by_simulation(c, s).verdict == equiv_result::equal);
    CHECK(st.max_weight_bits_after <= 2 * ceil_log2(6) + 2 + 4);
    replaced += st.gates_replaced;
  }
  CHECK(replaced >= 10);  // the rest folded to constants or literals in the builder
  // A 32-bit comparator (weights 2^31) becomes a small-weight circuit of constant depth.
  Circuit ge = find_cell("ge")->build(32, 2);
  small_weights_stats st;
  Circuit s = to_small_weights(ge, 3, &st);
  CHECK(st.max_weight_bits_before == 32);
  CHECK(st.max_weight_bits_after <= 2 * ceil_log2(64) + 2);  // weights polynomial in the fan-in
  CHECK(st.depth_after <= 8);
  equiv_params ep;
  ep.random_patterns = 1 << 16;
  CHECK(equivalent_by_simulation(ge, s, ep).verdict == equiv_result::unknown);  // 64 inputs: random, no difference
}

TEST_CASE("64-bit multiplication on random inputs (17M wires: scalar evaluation)", "[cells][wide]") {
  // Under the sanitizers (tests/test_env.hpp) 48 bits (5.4M wires, weights of 95 bits: GMP still)
  // and 3 products: building the 64-bit circuit alone takes minutes there.
  const int k = tcx::testing::full_or_light(64, 48), reps = tcx::testing::full_or_light(6, 3);
  INFO(k << "-bit multiplier");
  Circuit c = find_cell("mul")->build(k, 2);
  CHECK(c.depth() == 3);
  const std::uint64_t mask = k == 64 ? ~0ull : (std::uint64_t(1) << k) - 1;
  std::mt19937_64 rng(64);
  for (int rep = 0; rep < reps; ++rep) {
    std::uint64_t x = rng() & mask, y = rng() & mask;
    if (rep == 0) x = y = mask;  // the largest product
    std::vector<std::uint8_t> in;
    for (int i = 0; i < k; ++i) in.push_back((x >> i) & 1);
    for (int i = 0; i < k; ++i) in.push_back((y >> i) & 1);
    std::vector<std::uint8_t> want;
    put(want, u128(x) * y, 2 * k);
    REQUIRE(evaluate(c, in) == want);
  }
}

TEST_CASE("library cells outside the catalog: constants, shifts, sign, composition", "[cells]") {
  const std::uint32_t k = 5;
  for (std::uint64_t c = 0; c < 40; ++c) {
    Builder b;
    Word x = add_input_word(b, k);
    b.add_output(greater_equal_constant(b, x, c));
    b.add_output(equal_constant(b, x, c));
    b.add_output(nonnegative(x));  // x read as signed
    add_output_word(b, shift_left(x, 2));
    add_output_word(b, shift_right(x, 1, false));
    add_output_word(b, shift_right(x, 1, true));
    Circuit circ = std::move(b).build();
    CHECK(circ.depth() <= 1);
    for (std::uint64_t v = 0; v < 32; ++v) {
      auto out = evaluate_pattern(circ, v);
      std::vector<std::uint8_t> want{v >= c, v == c, (v >> 4) == 0};
      put(want, (v << 2) & 31, k);
      put(want, v >> 1, k);
      put(want, (v >> 1) | (v & 16), k);  // arithmetic: the sign bit is copied
      REQUIRE(out == want);
    }
  }
}

TEST_CASE("append_circuit instantiates a circuit inside another", "[cells]") {
  Circuit adder = find_cell("add")->build(3, 2);
  Builder b;
  Word x = add_input_word(b, 3), y = add_input_word(b, 3), z = add_input_word(b, 3);
  std::vector<Lit> in(x);
  in.insert(in.end(), y.begin(), y.end());
  Word xy = append_circuit(b, adder, in);  // x + y, 4 bits
  std::vector<Lit> in2(xy.begin(), xy.begin() + 3);
  in2.insert(in2.end(), z.begin(), z.end());
  add_output_word(b, append_circuit(b, adder, in2));  // (x + y mod 8) + z
  Circuit c = std::move(b).build();
  CHECK(c.depth() == 4);
  for (std::uint64_t p = 0; p < 512; ++p) {
    std::uint64_t vx = p & 7, vy = (p >> 3) & 7, vz = p >> 6;
    std::vector<std::uint8_t> want;
    put(want, ((vx + vy) & 7) + vz, 4);
    REQUIRE(evaluate_pattern(c, p) == want);
  }
}

TEST_CASE("same_by_structure: a proof when joined outputs coincide, silent otherwise", "[cells][equiv]") {
  // The same function written two ways that normalize alike: fan-ins permuted, weights scaled.
  Circuit a = read_tc("tcx-circuit 2\ninput x y z\ngate g = 2 x + 2 y + 2 z >= 4\noutput g\nend\n", "a.tc");
  Circuit b = read_tc("tcx-circuit 2\ninput x y z\ngate h = z + y + x >= 2\noutput m = h\nend\n", "b.tc");
  CHECK(same_by_structure(a, b));
  // A different function, and an equal one built from other gates (parity, lowered to AND gates).
  Circuit c = read_tc("tcx-circuit 2\ninput x y z\ngate g = x + y + z >= 1\noutput g\nend\n", "c.tc");
  CHECK_FALSE(same_by_structure(a, c));
  Circuit parity = find_cell("parity")->build(4, 1);
  Circuit lowered = lower_to_and_network(parity);
  CHECK_FALSE(same_by_structure(parity, lowered));
  CHECK(equivalent_by_simulation(parity, lowered).verdict == equiv_result::equal);
  // Interfaces that differ are never "the same".
  CHECK_FALSE(same_by_structure(a, parity));
}

TEST_CASE("a time limit's interrupt stops writing a cell's circuit", "[cells]") {
  // tcx cell ge_residues --bits 64 --time-limit 1 had its votes in 0.7 s and then spent 11 s
  // unbounded, mostly writing its 466 MB of text: the writer polls the interrupt the limit raises
  // when asked to (by default not: work finishing after a Ctrl-C still writes its records).
  const Circuit c = find_cell("add")->build(16, 2);
  const std::string text = write_tc(c);
  request_interrupt();
  CHECK_THROWS_AS(write_tc(c, {.stop_on_interrupt = true}), BudgetExceeded);
  CHECK(write_tc(c) == text);
  clear_interrupt();
  CHECK(write_tc(c, {.stop_on_interrupt = true}) == text);
}
