#pragma once
// The terms of a weighted sum, sum_k w_k x_k over literals, as the model compilers gather them
// before a gate or ladder is built: in 64-bit weights while every weight fits (the common case:
// small weights, bit or sign inputs), in GMP integers from the first one that does not (then all
// are). One type for the JSON models' neurons (compilers/models) and the ONNX compiler's affine
// forms (compilers/onnx); each keeps its own constant term and scale around it.
#include <gmpxx.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "circuits/huge_pages.hpp"
#include "circuits/lit.hpp"

namespace tcx {

struct WeightList {
  huge_vector<Lit> lits;       // a wide neuron's on 2 MiB pages
  huge_vector<std::int64_t> w;  // when !big
  std::vector<mpz_class> wb;    // when big
  bool big = false;

  std::size_t size() const { return lits.size(); }
  bool empty() const { return lits.empty(); }
  mpz_class weight(std::size_t k) const { return big ? wb[k] : mpz_class(static_cast<long>(w[k])); }
  void clear() {
    lits.clear();
    w.clear();
    wb.clear();
    big = false;
  }
  // Room for this many terms: one allocation instead of doubling (each doubling copies, and a
  // fresh block costs page faults on first touch).
  void reserve(std::size_t n) {
    lits.reserve(n);
    w.reserve(n);
  }
  void to_big() {
    if (big) return;
    big = true;
    wb.clear();
    wb.reserve(w.size());
    for (std::int64_t v : w) wb.emplace_back(static_cast<long>(v));
    w.clear();
  }
  void push(Lit l, std::int64_t v) {
    lits.push_back(l);
    if (big) wb.emplace_back(static_cast<long>(v));
    else w.push_back(v);
  }
  void push(Lit l, const mpz_class& v) {
    if (!big && mpz_fits_slong_p(v.get_mpz_t())) {
      push(l, static_cast<std::int64_t>(v.get_si()));
      return;
    }
    to_big();
    lits.push_back(l);
    wb.push_back(v);
  }
  __extension__ void push(Lit l, __int128 v) {
    if (v >= INT64_MIN && v <= INT64_MAX) {
      push(l, static_cast<std::int64_t>(v));
      return;
    }
    __extension__ typedef unsigned __int128 u128;
    const bool neg = v < 0;
    const u128 u = neg ? -static_cast<u128>(v) : static_cast<u128>(v);
    const mpz_class m = (mpz_class(static_cast<unsigned long>(u >> 64)) << 64) + mpz_class(static_cast<unsigned long>(u));
    push(l, neg ? mpz_class(-m) : m);
  }
};

}  // namespace tcx
