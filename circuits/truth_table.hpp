#pragma once
// The truth table of a Boolean function of n inputs: 2^n bits, bit p the value on input pattern
// p (input i = bit i of p, as everywhere in tcx), packed 64 to a word, least significant first.
// The one representation of "a function's table" in tcx: simulation produces it, synthesis and
// the frontier take it, lookup cells build from it, the CLI prints and parses it in hex.
//
// A value type with free functions, after kitty's dynamic_truth_table: the class only owns the
// words and knows n; everything else (bits, counts, Boolean operations, cofactor questions, hex,
// hashing) is a function over it. Bits past 2^n in the last word (n < 6) are always zero, so
// equality and hashing compare words; a writer through words() calls mask_tail() afterwards.
//
// A function with several outputs is a multi_truth_table: one table per output, all over the
// same inputs.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tcx {

class truth_table {
public:
  // Up to 2^32 patterns (512 MiB of bits): more than any exhaustive use in tcx.
  static constexpr std::uint32_t max_vars = 32;

  truth_table() : words_(1, 0) {}  // the constant 0 of no inputs
  // The constant 0 of num_vars inputs (std::invalid_argument beyond max_vars).
  explicit truth_table(std::uint32_t num_vars) : num_vars_(num_vars) {
    if (num_vars > max_vars) throw std::invalid_argument("truth_table: at most 32 variables");
    words_.assign(num_vars <= 6 ? 1 : std::size_t(1) << (num_vars - 6), 0);
  }

  std::uint32_t num_vars() const { return num_vars_; }
  std::uint64_t num_bits() const { return std::uint64_t(1) << num_vars_; }
  std::size_t num_words() const { return words_.size(); }
  std::span<const std::uint64_t> words() const { return words_; }
  std::span<std::uint64_t> words() { return words_; }

  friend bool operator==(const truth_table&, const truth_table&) = default;

private:
  std::uint32_t num_vars_ = 0;
  std::vector<std::uint64_t> words_;
};

// One table per output, all over the same inputs: tables[o] is output o.
using multi_truth_table = std::vector<truth_table>;

// The bits of the last word that hold patterns: all of them from 6 variables on.
constexpr std::uint64_t tail_mask(std::uint32_t num_vars) {
  return num_vars >= 6 ? ~std::uint64_t(0) : (std::uint64_t(1) << (std::uint64_t(1) << num_vars)) - 1;
}
inline void mask_tail(truth_table& t) { t.words().back() &= tail_mask(t.num_vars()); }

// Bit p (p < num_bits(); not checked: the hot path of every caller).
inline bool get_bit(const truth_table& t, std::uint64_t p) { return (t.words()[p / 64] >> (p % 64)) & 1u; }
inline void set_bit(truth_table& t, std::uint64_t p, bool value = true) {
  std::uint64_t& w = t.words()[p / 64];
  const std::uint64_t m = std::uint64_t(1) << (p % 64);
  w = value ? w | m : w & ~m;
}
inline void clear_bit(truth_table& t, std::uint64_t p) { set_bit(t, p, false); }

inline std::uint64_t count_ones(const truth_table& t) {
  std::uint64_t n = 0;
  for (std::uint64_t w : t.words()) n += static_cast<std::uint64_t>(std::popcount(w));
  return n;
}
inline bool is_const0(const truth_table& t) {
  for (std::uint64_t w : t.words())
    if (w) return false;
  return true;
}

// f(p) for every pattern p of n inputs.
template <class F>
truth_table make_truth_table(std::uint32_t num_vars, F&& f) {
  truth_table t(num_vars);
  const std::uint64_t bits = t.num_bits();
  auto words = t.words();
  for (std::uint64_t p = 0; p < bits; ++p)
    if (f(p)) words[p / 64] |= std::uint64_t(1) << (p % 64);
  return t;
}

// The projection x_i as a function of n inputs (i < n).
truth_table nth_var(std::uint32_t num_vars, std::uint32_t i);

// Calls f(p) for every p with bit p set, in increasing order.
template <class F>
void for_each_one(const truth_table& t, F&& f) {
  const auto words = t.words();
  for (std::size_t k = 0; k < words.size(); ++k)
    for (std::uint64_t w = words[k]; w; w &= w - 1) f(std::uint64_t(k) * 64 + static_cast<std::uint64_t>(std::countr_zero(w)));
}

// Word by word Boolean operations; the operands must have the same number of variables
// (std::invalid_argument otherwise). op must map 0 bits to 0 bits or the result is masked.
template <class Op>
truth_table binary_operation(const truth_table& a, const truth_table& b, Op&& op) {
  if (a.num_vars() != b.num_vars()) throw std::invalid_argument("truth tables over different numbers of variables");
  truth_table r(a.num_vars());
  auto out = r.words();
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = op(a.words()[k], b.words()[k]);
  mask_tail(r);
  return r;
}
template <class Op>
truth_table ternary_operation(const truth_table& a, const truth_table& b, const truth_table& c, Op&& op) {
  if (a.num_vars() != b.num_vars() || a.num_vars() != c.num_vars())
    throw std::invalid_argument("truth tables over different numbers of variables");
  truth_table r(a.num_vars());
  auto out = r.words();
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = op(a.words()[k], b.words()[k], c.words()[k]);
  mask_tail(r);
  return r;
}
inline truth_table operator&(const truth_table& a, const truth_table& b) {
  return binary_operation(a, b, [](std::uint64_t x, std::uint64_t y) { return x & y; });
}
inline truth_table operator|(const truth_table& a, const truth_table& b) {
  return binary_operation(a, b, [](std::uint64_t x, std::uint64_t y) { return x | y; });
}
inline truth_table operator^(const truth_table& a, const truth_table& b) {
  return binary_operation(a, b, [](std::uint64_t x, std::uint64_t y) { return x ^ y; });
}
inline truth_table operator~(const truth_table& a) {
  return binary_operation(a, a, [](std::uint64_t x, std::uint64_t) { return ~x; });
}

// The table of f with input i complemented: g(p) = f(p ^ 2^i) (i < n).
truth_table flip(const truth_table& t, std::uint32_t i);
// Whether f depends on input i: some p with f(p) != f(p ^ 2^i).
bool has_var(const truth_table& t, std::uint32_t i);
// Whether f is unchanged when inputs i and j swap (i, j < n).
bool symmetric_in(const truth_table& t, std::uint32_t i, std::uint32_t j);

// Hexadecimal as a number whose bit p is row p: the most significant digit first, 2^n / 4
// digits (one for n < 2), e.g. "6" for the XOR of two inputs.
std::string to_hex(const truth_table& t);
// The inverse, for n inputs: at most that many digits (fewer are zero-extended), either case.
// std::invalid_argument ("needs at most D hex digits for n inputs", "is not hexadecimal",
// "has rows beyond 2^inputs") for the caller to prefix with what it was reading.
truth_table from_hex(std::uint32_t num_vars, std::string_view hex);

std::size_t hash_value(const truth_table& t);

}  // namespace tcx

template <>
struct std::hash<tcx::truth_table> {
  std::size_t operator()(const tcx::truth_table& t) const { return tcx::hash_value(t); }
};
