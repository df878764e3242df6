#include "compilers/arith/compare.hpp"

#include "circuits/derived_gates.hpp"

namespace tcx {

namespace {
Lit bit(const Word& x, std::size_t i) { return i < x.size() ? x[i] : lit_false; }

// OR over i of "bit i is the highest difference between x and y, and y has the 1 there".
Lit y_wins_somewhere(Builder& b, const std::vector<Lit>& g, const std::vector<Lit>& l) {
  const std::size_t k = g.size();
  std::vector<Lit> wins;
  for (std::size_t i = 0; i < k; ++i) {
    std::vector<Lit> f{l[i]};
    std::vector<std::int64_t> w{1};
    for (std::size_t j = i + 1; j < k; ++j) {
      f.push_back(g[j]);
      w.push_back(-1);
      f.push_back(l[j]);
      w.push_back(-1);
    }
    // l_i = 1 and no higher difference: l_i - (differences above) >= 1
    wins.push_back(b.add_gate(f, w, 1));
  }
  return or_all(b, wins);
}
}  // namespace

Lit greater_equal(Builder& b, const Word& x, const Word& y) {
  std::vector<Lit> f;
  std::vector<mpz_class> w;
  for (std::size_t i = 0; i < x.size(); ++i) {
    f.push_back(x[i]);
    w.push_back(mpz_class(1) << static_cast<mp_bitcnt_t>(i));
  }
  for (std::size_t i = 0; i < y.size(); ++i) {
    f.push_back(y[i]);
    w.push_back(-(mpz_class(1) << static_cast<mp_bitcnt_t>(i)));
  }
  return b.add_gate(f, w, mpz_class(0));
}

Lit greater_equal_small(Builder& b, const Word& x, const Word& y) {
  const std::size_t k = std::max(x.size(), y.size());
  std::vector<Lit> g(k), l(k);
  for (std::size_t i = 0; i < k; ++i) {
    Lit gi[2] = {bit(x, i), !bit(y, i)}, li[2] = {!bit(x, i), bit(y, i)};
    g[i] = and_all(b, gi);
    l[i] = and_all(b, li);
  }
  return !y_wins_somewhere(b, g, l);
}

Lit equal(Builder& b, const Word& x, const Word& y) {
  Lit both[2] = {greater_equal(b, x, y), greater_equal(b, y, x)};
  return and_all(b, both);
}

Lit equal_small(Builder& b, const Word& x, const Word& y) {
  const std::size_t k = std::max(x.size(), y.size());
  std::vector<Lit> differ;
  for (std::size_t i = 0; i < k; ++i) {
    Lit gi[2] = {bit(x, i), !bit(y, i)}, li[2] = {!bit(x, i), bit(y, i)};
    differ.push_back(and_all(b, gi));
    differ.push_back(and_all(b, li));
  }
  return nor_all(b, differ);
}

Lit greater_equal_constant(Builder& b, const Word& x, const mpz_class& c) {
  std::vector<Lit> f(x.begin(), x.end());
  std::vector<mpz_class> w;
  for (std::size_t i = 0; i < x.size(); ++i) w.push_back(mpz_class(1) << static_cast<mp_bitcnt_t>(i));
  return b.add_gate(f, w, c);
}

Lit equal_constant(Builder& b, const Word& x, const mpz_class& c) {
  if (sgn(c) < 0 || c >= (mpz_class(1) << static_cast<mp_bitcnt_t>(x.size()))) return lit_false;
  std::vector<Lit> f;
  for (std::size_t i = 0; i < x.size(); ++i) f.push_back(x[i] ^ !mpz_tstbit(c.get_mpz_t(), i));
  return and_all(b, f);
}

}  // namespace tcx
