#include "compilers/arith/compare.hpp"

#include <gmpxx.h>

namespace tcx {

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

}  // namespace tcx
