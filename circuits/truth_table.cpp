#include "circuits/truth_table.hpp"

#include <algorithm>
#include <utility>

namespace tcx {

namespace {

// Within a word, the bits of the patterns where input i (< 6) is 0.
constexpr std::uint64_t var_zero[6] = {0x5555555555555555ull, 0x3333333333333333ull, 0x0F0F0F0F0F0F0F0Full,
                                       0x00FF00FF00FF00FFull, 0x0000FFFF0000FFFFull, 0x00000000FFFFFFFFull};

void check_var(const truth_table& t, std::uint32_t i) {
  if (i >= t.num_vars()) throw std::invalid_argument("truth_table: input " + std::to_string(i) + " of a function of " +
                                                     std::to_string(t.num_vars()) + " inputs");
}

}  // namespace

truth_table nth_var(std::uint32_t num_vars, std::uint32_t i) {
  truth_table t(num_vars);
  check_var(t, i);
  auto w = t.words();
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = i < 6 ? ~var_zero[i] : ((k >> (i - 6)) & 1u) ? ~std::uint64_t(0) : 0;
  mask_tail(t);
  return t;
}

truth_table flip(const truth_table& t, std::uint32_t i) {
  check_var(t, i);
  truth_table r = t;
  auto w = r.words();
  if (i < 6) {
    const unsigned s = 1u << i;
    for (std::uint64_t& x : w) x = ((x & var_zero[i]) << s) | ((x >> s) & var_zero[i]);
  } else {
    // Input i selects between blocks of 2^(i-6) words: swap each pair.
    const std::size_t step = std::size_t(1) << (i - 6);
    for (std::size_t k = 0; k < w.size(); k += 2 * step)
      for (std::size_t j = k; j < k + step; ++j) std::swap(w[j], w[j + step]);
  }
  return r;
}

bool has_var(const truth_table& t, std::uint32_t i) { return !is_const0(t ^ flip(t, i)); }

bool symmetric_in(const truth_table& t, std::uint32_t i, std::uint32_t j) {
  if (i == j) {
    check_var(t, i);
    return true;
  }
  // Swapping x_i and x_j changes only the patterns where they differ, and there it is the
  // same as complementing both.
  const truth_table both = flip(flip(t, i), j);
  const truth_table differ = nth_var(t.num_vars(), i) ^ nth_var(t.num_vars(), j);
  return is_const0((t ^ both) & differ);
}

std::string to_hex(const truth_table& t) {
  const std::uint64_t digits = t.num_bits() >= 4 ? t.num_bits() / 4 : 1;
  std::string s;
  s.reserve(digits);
  const auto w = t.words();
  for (std::uint64_t d = digits; d-- > 0;) s += "0123456789abcdef"[(w[(d * 4) / 64] >> ((d * 4) % 64)) & 0xF];
  return s;
}

truth_table from_hex(std::uint32_t num_vars, std::string_view hex) {
  truth_table t(num_vars);
  const std::uint64_t rows = t.num_bits(), digits = std::max<std::uint64_t>(1, rows / 4);
  // What is wrong with the text first (a "0x" prefix, a stray letter), then its length.
  if (hex.size() > 1 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
    throw std::invalid_argument("is not hexadecimal digits alone (leave out the 0x)");
  if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) throw std::invalid_argument("is not hexadecimal");
  if (hex.empty() || hex.size() > digits)
    throw std::invalid_argument("needs at most " + std::to_string(digits) + " hex digits for " + std::to_string(num_vars) + " inputs");
  auto w = t.words();
  for (std::size_t d = 0; d < hex.size(); ++d) {
    const char ch = hex[hex.size() - 1 - d];  // digit d from the right: rows 4d..4d+3
    std::uint64_t v;
    if (ch >= '0' && ch <= '9') v = static_cast<std::uint64_t>(ch - '0');
    else if (ch >= 'a' && ch <= 'f') v = static_cast<std::uint64_t>(ch - 'a' + 10);
    else if (ch >= 'A' && ch <= 'F') v = static_cast<std::uint64_t>(ch - 'A' + 10);
    else throw std::invalid_argument("is not hexadecimal");
    if (rows < 4 && (v >> rows)) throw std::invalid_argument("has rows beyond 2^inputs");
    w[(4 * d) / 64] |= v << ((4 * d) % 64);
  }
  return t;
}

std::size_t hash_value(const truth_table& t) {
  // splitmix64's finalizer over the words, seeded with n (tables of different n differ).
  auto mix = [](std::uint64_t x) {
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  };
  std::uint64_t h = mix(t.num_vars() + 0x9e3779b97f4a7c15ull);
  for (std::uint64_t w : t.words()) h = mix(h ^ w) + 0x9e3779b97f4a7c15ull;
  return static_cast<std::size_t>(h);
}

}  // namespace tcx
