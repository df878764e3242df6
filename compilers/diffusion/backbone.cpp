// Backbones: the prefix-reading part of an exact-score network (an answer bit).
#include <bit>
#include <filesystem>
#include <stdexcept>

#include "circuits/passes.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/symmetric.hpp"
#include "compilers/diffusion/diffusion.hpp"
#include "compilers/models/compile.hpp"

namespace tcx {

namespace {

class BuiltinReference final : public Backbone::Reference {
public:
  explicit BuiltinReference(Backbone::Kind k) : kind_(k) {}
  std::uint8_t answer(const Bits& x) const override {
    std::size_t ones = 0;
    for (auto v : x) ones += v;
    switch (kind_) {
      case Backbone::Kind::majority: return 2 * ones >= x.size();
      case Backbone::Kind::parity: return ones & 1;
      default: {  // compare: the low half against the high half, most significant bit first
        const std::size_t h = x.size() / 2;
        for (std::size_t i = h; i-- > 0;)
          if (x[i] != x[h + i]) return x[i] > x[h + i];
        return 1;
      }
    }
  }

private:
  Backbone::Kind kind_;
};

class ModelReference final : public Backbone::Reference {
public:
  ModelReference(const Model& m, std::int64_t n) : interp_(m, shape_at(m, n)) {}
  std::uint8_t answer(const Bits& x) const override { return interp_.run(x).at(0); }

private:
  ModelInterpreter interp_;
};

}  // namespace

Backbone parse_backbone(const std::string& spec) {
  Backbone bb;
  bb.name = spec;
  if (spec == "majority") bb.kind = Backbone::Kind::majority;
  else if (spec == "parity") bb.kind = Backbone::Kind::parity;
  else if (spec == "compare") bb.kind = Backbone::Kind::compare;
  else if (spec.ends_with(".onnx"))  // read as a model .json it would fail on its first binary byte
    throw std::invalid_argument(spec + ": an ONNX backbone is not supported (majority, parity, compare, or a model .json file)");
  else if (spec.ends_with(".json") || std::filesystem::exists(spec)) {
    bb.kind = Backbone::Kind::model;
    try {
      bb.model = std::make_shared<const Model>(load_model(spec));
    } catch (const ModelError& e) {
      throw std::invalid_argument(spec + ": " + e.what());
    }
    bb.name = bb.model->name.empty() ? spec : bb.model->name;
  } else {
    throw std::invalid_argument("unknown backbone '" + spec + "' (majority, parity, compare, or a model .json file)");
  }
  return bb;
}

std::uint32_t Backbone::prefix_bits(std::int64_t n) const {
  if (n < 1 || n > 4096) throw std::invalid_argument("backbone size n must be in 1..4096");
  if (kind == Kind::compare && n % 2) throw std::invalid_argument("the compare backbone needs an even n (two n/2-bit numbers)");
  if (kind != Kind::model) return static_cast<std::uint32_t>(n);
  const ModelShape s = shape_at(*model, n);
  if (s.output_bits != 1)
    throw std::invalid_argument("backbone model '" + name + "' must have exactly one output bit (the answer); it has " +
                                std::to_string(s.output_bits));
  return static_cast<std::uint32_t>(s.input_bits);
}

std::unique_ptr<Backbone::Reference> Backbone::reference(std::int64_t n) const {
  prefix_bits(n);
  if (kind == Kind::model) return std::make_unique<ModelReference>(*model, n);
  return std::make_unique<BuiltinReference>(kind);
}

Lit Backbone::add_answer(Builder& b, std::int64_t n, std::span<const Lit> prefix) const {
  if (prefix.size() != prefix_bits(n)) throw std::invalid_argument("backbone: wrong number of prefix literals");
  switch (kind) {
    case Kind::majority: return majority(b, prefix);
    case Kind::parity: return parity(b, prefix);
    case Kind::compare: {
      const std::size_t h = prefix.size() / 2;
      return greater_equal(b, Word(prefix.begin(), prefix.begin() + h), Word(prefix.begin() + h, prefix.end()));
    }
    case Kind::model: {
      // Compiled on its own (its inputs come first there), then instantiated over the prefix.
      compile_params cp;
      cp.names = false;
      Builder inner;
      compile_model(*model, shape_at(*model, n), inner, cp);
      return append_circuit(b, std::move(inner).build(), prefix).at(0);
    }
  }
  throw std::logic_error("backbone kind");
}

}  // namespace tcx
