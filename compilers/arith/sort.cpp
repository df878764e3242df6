#include "compilers/arith/sort.hpp"

#include "circuits/bits.hpp"
#include "circuits/derived_gates.hpp"
#include "compilers/arith/compare.hpp"

namespace tcx {

namespace {

// beats[j][i]: word j comes before word i in the requested order.
std::vector<std::vector<Lit>> beats_matrix(Builder& b, std::span<const Word> xs, const sort_params& p) {
  const std::size_t m = xs.size();
  auto ge = [&](const Word& x, const Word& y) {
    return p.small_weights ? greater_equal_small(b, x, y) : greater_equal(b, x, y);
  };
  std::vector<std::vector<Lit>> beats(m, std::vector<Lit>(m, lit_false));
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t i = j + 1; i < m; ++i) {
      // j < i: j comes first when it is "at least as good" (ties go left).
      Lit j_first = p.descending ? ge(xs[j], xs[i]) : ge(xs[i], xs[j]);
      beats[j][i] = j_first;
      beats[i][j] = !j_first;
    }
  return beats;
}

// Bit b of the word at sorted position r, for every bit of the widest word.
Word position(Builder& b, std::span<const Word> xs, const std::vector<std::vector<Lit>>& beats, std::size_t r) {
  const std::size_t m = xs.size();
  std::size_t width = 0;
  for (const Word& x : xs) width = std::max(width, x.size());
  auto at_least = [&](std::size_t i, std::size_t bit, std::size_t rank) {  // x_i[bit] AND rank_i >= rank
    if (bit >= xs[i].size()) return lit_false;
    std::vector<Lit> f;
    std::vector<std::int64_t> w;
    for (std::size_t j = 0; j < m; ++j)
      if (j != i) { f.push_back(beats[j][i]); w.push_back(1); }
    f.push_back(xs[i][bit]);
    w.push_back(static_cast<std::int64_t>(m));
    return b.add_gate(f, w, static_cast<std::int64_t>(rank + m));
  };
  Word out;
  for (std::size_t bit = 0; bit < width; ++bit) {
    std::vector<Lit> f;
    std::vector<std::int64_t> w;
    for (std::size_t i = 0; i < m; ++i) {
      f.push_back(at_least(i, bit, r));
      w.push_back(1);
      f.push_back(at_least(i, bit, r + 1));
      w.push_back(-1);
    }
    out.push_back(b.add_gate(f, w, 1));
  }
  return out;
}

}  // namespace

std::vector<Word> sort_words(Builder& b, std::span<const Word> xs, const sort_params& p) {
  auto beats = beats_matrix(b, xs, p);
  std::vector<Word> out;
  for (std::size_t r = 0; r < xs.size(); ++r) out.push_back(position(b, xs, beats, r));
  return out;
}

Word max_word(Builder& b, std::span<const Word> xs, bool small_weights) {
  return position(b, xs, beats_matrix(b, xs, sort_params{true, small_weights}), 0);
}

Word min_word(Builder& b, std::span<const Word> xs, bool small_weights) {
  return position(b, xs, beats_matrix(b, xs, sort_params{false, small_weights}), 0);
}

std::vector<Lit> argmax_onehot(Builder& b, std::span<const Word> xs, bool small_weights) {
  auto beats = beats_matrix(b, xs, sort_params{true, small_weights});
  std::vector<Lit> first;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    std::vector<Lit> f;
    for (std::size_t j = 0; j < xs.size(); ++j)
      if (j != i) f.push_back(beats[j][i]);
    first.push_back(nor_all(b, f));  // nobody beats i
  }
  return first;
}

Word argmax_index(Builder& b, std::span<const Word> xs, bool small_weights) {
  std::vector<Lit> first = argmax_onehot(b, xs, small_weights);
  const std::uint32_t bits = ceil_log2(xs.size());
  Word out;
  for (std::uint32_t t = 0; t < bits; ++t) {
    std::vector<Lit> f;
    for (std::size_t i = 0; i < xs.size(); ++i)
      if ((i >> t) & 1u) f.push_back(first[i]);
    out.push_back(or_all(b, f));
  }
  return out;
}

}  // namespace tcx
