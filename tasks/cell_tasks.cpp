// Parallel (TC^0) families whose natural circuit is one cell of compilers/arith: parity,
// majority, counting, addition, multiplication, sorting.
#include <algorithm>
#include <functional>
#include <type_traits>

#include "circuits/builder.hpp"
#include "compilers/arith/sort.hpp"
#include "compilers/arith/sum.hpp"
#include "compilers/arith/symmetric.hpp"
#include "tasks/family.hpp"

namespace tcx::tasks {

namespace {

// The natural circuit of a function of one n-bit word: the cell applied to input word x.
template <class Cell>
Circuit over_one_word(std::uint32_t n, const char* output, Cell cell) {
  Builder b;
  Word x = add_input_word(b, n, "x");
  const auto y = cell(b, x);
  if constexpr (std::is_same_v<std::remove_cvref_t<decltype(y)>, Lit>) b.add_output(y, output);
  else add_output_word(b, y, output);
  return std::move(b).build();
}

// The natural circuit of a function of two k-bit words: the cell applied to words a and b.
template <class Cell>
Circuit over_two_words(std::uint32_t k, const char* output, Cell cell) {
  Builder b;
  Word x = add_input_word(b, k, "a"), y = add_input_word(b, k, "b");
  add_output_word(b, cell(b, x, y), output);
  return std::move(b).build();
}

// n bits in, one symmetric function out.
struct Parity {
  std::uint32_t n;
  std::uint32_t input_bits() const { return n; }
  std::uint32_t output_bits() const { return 1; }
  Bits solve(const Bits& x) const {
    std::uint8_t v = 0;
    for (auto bit : x) v ^= bit;
    return Bits{v};
  }
  Circuit natural_circuit() const {
    return over_one_word(n, "parity", [](Builder& b, const Word& x) { return parity(b, x); });
  }
};

struct Majority {
  std::uint32_t n;
  std::uint32_t input_bits() const { return n; }
  std::uint32_t output_bits() const { return 1; }
  Bits solve(const Bits& x) const {
    std::size_t ones = 0;
    for (auto bit : x) ones += bit;
    return Bits{2 * ones >= x.size()};
  }
  Circuit natural_circuit() const {
    return over_one_word(n, "majority", [](Builder& b, const Word& x) { return majority(b, x); });
  }
};

struct Counting {
  std::uint32_t n;
  std::uint32_t input_bits() const { return n; }
  std::uint32_t output_bits() const { return ceil_log2(n + 1ull); }
  Bits solve(const Bits& x) const {
    std::uint64_t c = 0;
    for (auto b : x) c += b;
    Bits out;
    write_uint(out, c, output_bits());
    return out;
  }
  Circuit natural_circuit() const {
    return over_one_word(n, "count", [](Builder& b, const Word& x) { return popcount(b, x); });
  }
};

// Two k-bit operands: a then b.
struct Addition {
  std::uint32_t k;
  std::uint32_t input_bits() const { return 2 * k; }
  std::uint32_t output_bits() const { return k + 1; }
  Bits solve(const Bits& x) const {
    Bits s(k + 1);
    unsigned carry = 0;
    for (std::uint32_t i = 0; i < k; ++i) {  // schoolbook ripple addition
      unsigned v = x[i] + x[k + i] + carry;
      s[i] = v & 1u;
      carry = v >> 1;
    }
    s[k] = static_cast<std::uint8_t>(carry);
    return s;
  }
  Circuit natural_circuit() const {
    return over_two_words(k, "s", [](Builder& b, const Word& x, const Word& y) { return add(b, x, y); });
  }
};

struct Multiplication {
  std::uint32_t k;
  std::uint32_t input_bits() const { return 2 * k; }
  std::uint32_t output_bits() const { return 2 * k; }
  Bits solve(const Bits& x) const {
    // schoolbook: add a shifted by i for every set bit i of b, in a bit array
    Bits acc(2 * k, 0);
    for (std::uint32_t i = 0; i < k; ++i) {
      if (!x[k + i]) continue;
      unsigned carry = 0;
      for (std::uint32_t j = 0; j < 2 * k - i; ++j) {
        unsigned v = acc[i + j] + (j < k ? x[j] : 0) + carry;
        acc[i + j] = v & 1u;
        carry = v >> 1;
      }
    }
    return acc;
  }
  Circuit natural_circuit() const {
    return over_two_words(k, "p", [](Builder& b, const Word& x, const Word& y) { return multiply(b, x, y); });
  }
};

struct Sorting {
  std::uint32_t m, k;
  std::uint32_t input_bits() const { return m * k; }
  std::uint32_t output_bits() const { return m * k; }
  Bits solve(const Bits& x) const {
    std::vector<std::uint64_t> v;
    for (std::uint32_t j = 0; j < m; ++j) v.push_back(read_uint(x, std::size_t(j) * k, k));
    std::sort(v.begin(), v.end(), std::greater<>());
    Bits out;
    for (auto e : v) write_uint(out, e, k);
    return out;
  }
  Circuit natural_circuit() const {
    Builder b;
    std::vector<Word> xs;
    for (std::uint32_t j = 0; j < m; ++j) xs.push_back(add_input_word(b, k, "x" + std::to_string(j)));
    for (const Word& w : sort_words(b, xs)) add_output_word(b, w);
    return std::move(b).build();
  }
};

}  // namespace

Task parity_task() {
  return make_task({"parity", "XOR of n bits", "TC^0: depth 2, n+1 gates (symmetric-function construction); not in AC^0",
                    false, {{"n", 8, 1, 4096, "number of bits"}}, "input i = bit x_i; output 0 = x_0 XOR ... XOR x_(n-1)"},
                   [](const TaskParams& p) { return Parity{u32(p, "n")}; });
}

Task majority_task() {
  return make_task({"majority", "are at least half of n bits 1", "TC^0: one threshold gate", false,
                    {{"n", 9, 1, 4096, "number of bits"}}, "input i = bit x_i; output 0 = [2 * (x_0 + ... + x_(n-1)) >= n]"},
                   [](const TaskParams& p) { return Majority{u32(p, "n")}; });
}

Task counting_task() {
  return make_task({"counting", "number of 1s among n bits, in binary", "TC^0: depth 2", false,
                    {{"n", 8, 1, 4096, "number of bits"}},
                    "input i = x_i; outputs = x_0 + ... + x_(n-1) in binary, LSB first, floor(log2 n) + 1 bits"},
                   [](const TaskParams& p) { return Counting{u32(p, "n")}; });
}

Task addition_task() {
  return make_task({"addition", "sum of two k-bit unsigned numbers", "TC^0: depth 2 (Alon and Bruck 1994)", false,
                    {{"k", 8, 1, 1024, "bits per operand"}},
                    "inputs 0..k-1 = a (LSB first), k..2k-1 = b; outputs 0..k = a + b (LSB first)"},
                   [](const TaskParams& p) { return Addition{u32(p, "k")}; });
}

Task multiplication_task() {
  return make_task({"multiplication", "product of two k-bit unsigned numbers", "TC^0: depth 3 (Siu and Roychowdhury 1994)",
                    false, {{"k", 6, 1, 256, "bits per operand"}},
                    "inputs 0..k-1 = a, k..2k-1 = b (LSB first); outputs 0..2k-1 = a*b"},
                   [](const TaskParams& p) { return Multiplication{u32(p, "k")}; });
}

Task sorting_task() {
  return make_task({"sorting", "m unsigned k-bit numbers in descending order",
                    "TC^0: depth 3 (Siu, Bruck, Kailath, Hofmeister 1993)", false,
                    {{"m", 3, 1, 64, "how many numbers"}, {"k", 3, 1, 64, "bits per number"}},
                    "number j is inputs jk..jk+k-1 (LSB first); output r*k..r*k+k-1 is the r-th largest"},
                   [](const TaskParams& p) { return Sorting{u32(p, "m"), u32(p, "k")}; });
}

}  // namespace tcx::tasks
