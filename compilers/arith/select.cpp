#include "compilers/arith/select.hpp"

#include <algorithm>
#include <stdexcept>

#include "circuits/derived_gates.hpp"
#include "circuits/interrupt.hpp"

namespace tcx {

Word select(Builder& b, std::span<const Word> xs, const Word& index) {
  std::size_t width = 0;
  for (const Word& x : xs) width = std::max(width, x.size());
  Word out;
  std::vector<Lit> terms, f;
  for (std::size_t bit = 0; bit < width; ++bit) {
    terms.clear();
    GateLayer layer(b, terms);  // the terms [index = i and x_i[bit]] do not read one another
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (index.size() < 64 && (i >> index.size()) != 0) break;  // index cannot reach i
      if (bit >= xs[i].size()) continue;
      f.clear();
      for (std::size_t j = 0; j < index.size(); ++j) f.push_back(index[j] ^ !((i >> j) & 1u));
      f.push_back(xs[i][bit]);
      layer.add(f, unit_weights(f.size()), static_cast<std::int64_t>(f.size()));  // AND
    }
    layer.finish();
    out.push_back(or_all(b, terms));
  }
  return out;
}

Lit lookup(Builder& b, const Word& x, const truth_table& table) {
  if (x.size() >= 32 || table.num_vars() != x.size())
    throw std::invalid_argument("lookup: the table needs 2^k entries for k < 32 inputs");
  const std::uint64_t rows = table.num_bits();
  const bool use_zeros = count_ones(table) * 2 > rows;  // cover the smaller set of minterms
  std::vector<Lit> minterms, f;
  const std::vector<std::int64_t> w(std::max<std::size_t>(rows, x.size()), 1);
  GateLayer layer(b, minterms);
  for (std::uint64_t p = 0; p < rows; ++p) {
    // The layer's gates reach the Builder (which polls) only at finish(): poll while normalizing.
    poll_interrupt(p, "building a lookup table");
    if (get_bit(table, p) == use_zeros) continue;
    f.clear();
    for (std::size_t i = 0; i < x.size(); ++i) f.push_back(x[i] ^ !((p >> i) & 1u));
    layer.add(f, std::span(w).first(f.size()), static_cast<std::int64_t>(f.size()));
  }
  layer.finish();
  return b.add_gate(minterms, std::span(w).first(minterms.size()), 1) ^ use_zeros;
}

Word shift_left(const Word& x, std::uint32_t s) {
  Word out(x.size(), lit_false);
  for (std::size_t i = s; i < x.size(); ++i) out[i] = x[i - s];
  return out;
}

Word shift_right(const Word& x, std::uint32_t s, bool arithmetic) {
  const Lit fill = arithmetic && !x.empty() ? x.back() : lit_false;
  Word out(x.size(), fill);
  for (std::size_t i = 0; i + s < x.size(); ++i) out[i] = x[i + s];
  return out;
}

}  // namespace tcx
