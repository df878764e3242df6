#pragma once
// The pieces the model compilers share (compile.cpp for MLPs and RNNs, sequence.cpp for
// Transformers and state-space models): values between layers and one layer of neurons.
#include <functional>
#include <span>
#include <vector>

#include "circuits/builder.hpp"
#include "compilers/arith/word.hpp"
#include "compilers/models/compile.hpp"
#include "compilers/models/model.hpp"

namespace tcx {

// Values between two layers, flat: value i is lits[i*width, (i+1)*width), one literal for bits
// and signs, a word (LSB first, two's complement, `frac` fractional bits) for numbers.
struct Values {
  ValueKind kind = ValueKind::bit;
  std::uint32_t width = 1, frac = 0;
  std::vector<Lit> lits;
  std::size_t size() const { return lits.size() / width; }
  std::span<const Lit> operator[](std::size_t i) const { return {lits.data() + i * width, width}; }
  void push(std::span<const Lit> value) { lits.insert(lits.end(), value.begin(), value.end()); }
};

// A layer's weights w(j, i), one at a time (a ModelError when an entry fails) or many at once
// (as Generator::at_many: false when some entry fails, to be evaluated one at a time for the
// exact error). Many at once is how formulas are fast; one at a time is the reference.
struct WeightFn {
  using Many = std::function<bool(std::span<const std::int64_t> j, std::span<const std::int64_t> i, std::span<std::int64_t> out)>;
  std::function<std::int64_t(std::int64_t j, std::int64_t i)> one;
  Many many;
};
// The generator's entries at size n.
WeightFn weights_of(const Generator& g, std::int64_t n);
// A C++ function that cannot fail.
WeightFn plain_weights(std::function<std::int64_t(std::int64_t j, std::int64_t i)> f);
// Inputs [0, split) weighted by `left`, inputs i >= split by right(j, i - split).
WeightFn side_by_side(WeightFn left, std::int64_t split, WeightFn right);

// One layer of neurons on `in` (docs/models.md): number outputs rounded into `fmt` with the
// rounding and overflow of `num`. The outputs go to `out`, its storage reused.
void apply_layer(Builder& b, const Layer& l, const LayerShape& sh, const Values& in, const NumberSpec& num,
                 const FixedFormat& fmt, std::int64_t n, const WeightFn& weight, Values& out);

Values add_inputs(Builder& b, std::uint64_t count, ValueKind kind, const FixedFormat& fmt, bool names);

// A constant value of the given kind from its raw integer (bit 0/1, sign +-1, number X).
Word constant_value(std::int64_t raw, ValueKind kind, const FixedFormat& fmt, const std::string& path);

// The readout layers on v.
Values readout(Builder& b, const Model& m, const ModelShape& s, Values v);
// The readout layers on v, then its values as outputs y<first>, y<first + 1>, ...; returns how
// many values were output.
std::size_t add_readout(Builder& b, const Model& m, const ModelShape& s, Values v, bool names, std::size_t first);

void compile_transformer(const Model& m, const ModelShape& s, Builder& b, const compile_params& params);
void compile_ssm(const Model& m, const ModelShape& s, Builder& b, const compile_params& params);

}  // namespace tcx
