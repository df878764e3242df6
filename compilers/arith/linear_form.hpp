#pragma once
// A linear form over literals, sum_i weights[i] lits[i] + constant: the value a gate compares
// with its threshold, kept open so that constructions can add forms up before one gate reads
// them (the terms of a sum, the alternating sums of ladders).
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "circuits/lit.hpp"

namespace tcx {

struct linear_form {
  std::vector<Lit> lits;
  std::vector<std::int64_t> weights;
  std::int64_t constant = 0;

  void add(Lit l, std::int64_t w) {
    if (w != 0) lits.push_back(l), weights.push_back(w);
  }
  void add(const linear_form& f, std::int64_t scale) {
    for (std::size_t i = 0; i < f.lits.size(); ++i) add(f.lits[i], times(scale, f.weights[i]));
    if (__builtin_add_overflow(constant, times(scale, f.constant), &constant)) overflow();
  }

private:
  static std::int64_t times(std::int64_t a, std::int64_t b) {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) overflow();
    return r;
  }
  [[noreturn]] static void overflow() { throw std::overflow_error("linear_form: a weight past 64 bits"); }
};

}  // namespace tcx
