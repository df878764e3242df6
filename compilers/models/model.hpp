#pragma once
// The model spec: a family of models, one for every input size n, read from versioned JSON
// (docs/models.md; schema in compilers/models/model.schema.json). Everything that depends on n
// (sizes, precision, weights) comes from a formula or a seeded generator, so one file defines
// the whole family.
//
// Values flowing between layers are of three kinds: a bit (0/1), a sign (one bit standing for
// +1 or -1: bit 1 is +1) or a number (a two's-complement word in the model's fixed-point format).
#include <gmpxx.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "circuits/bits.hpp"
#include "compilers/arith/fixed.hpp"
#include "compilers/models/expr.hpp"

namespace tcx {

// An invalid model: what() is "path: message", path a JSON pointer such as /layers/0/weights.
class ModelError : public std::runtime_error {
public:
  ModelError(const std::string& path, const std::string& message)
      : std::runtime_error((path.empty() ? std::string("/") : path) + ": " + message), path(path), message(message) {}
  std::string path, message;
};

enum class ValueKind { bit, sign, number };

// The fixed-point format of a family: bits and frac may depend on n.
struct NumberSpec {
  Expr bits{8}, frac{0};  // variables: n
  std::string path;       // where it was given, for errors found at a given n
  Rounding rounding = Rounding::nearest_half_up;
  Overflow overflow = Overflow::saturate;
  FixedFormat at(std::int64_t n) const;  // checked: 2 <= bits <= 4096, 0 <= frac < bits
};

// Integers indexed by (j, i) at size n (a weight matrix: j the neuron, i its input), or by j
// (biases), from a formula, a seeded hash, or a literal list for sizes that do not depend on n.
struct Generator {
  enum class Kind { formula, random, values } kind = Kind::formula;
  Expr formula;                          // variables: n, j, i
  std::uint64_t seed = 0;                // random: entry (j, i) is a hash of (seed, j, i)
  std::int64_t min = 0, max = 0;         // random: uniform in [min, max] ...
  std::vector<std::int64_t> choices;     // ... or uniform among these
  double density = 1.0;                  // random: probability that an entry is nonzero
  std::vector<std::vector<std::int64_t>> values;  // values[j][i] (a bias list is one row per j)
  std::string path;
  std::int64_t at(std::int64_t n, std::int64_t j, std::int64_t i) const;  // ModelError when out of range
  // Many entries at once, out[k] = at(n, j[k], i[k]) (a column of one entry stands for every k).
  // False when some entry would fail: those go through at() for the exact error.
  bool at_many(std::int64_t n, std::span<const std::int64_t> j, std::span<const std::int64_t> i,
               std::span<std::int64_t> out) const;

private:
  std::int64_t random_entry(std::int64_t j, std::int64_t i) const;
  bool has_value(std::int64_t j, std::int64_t i) const;
};

// Batch normalization before a sign or step: gamma * (z - mean) / sqrt(var + epsilon) + beta >= 0,
// every parameter a dyadic rational (integer / 2^frac), exact.
struct BatchNorm {
  Generator gamma, beta, mean, var;  // indexed by j
  std::int64_t epsilon = 0;
  std::uint32_t frac = 0;
};

enum class Activation { none, step, sign, relu, hard_tanh };

// z_j = sum_i w_ji / 2^weight_frac * v_i + b_j / 2^bias_frac, then the activation:
// none / relu / hard_tanh round z to the number format (its rounding and overflow) and give a
// number; step gives the bit [z >= 0] and sign the sign of z (zero counts as +1), with an
// optional batch normalization folded into that one threshold.
struct Layer {
  std::string path;
  Expr out{1};  // width; variables: n
  // Connections: dense, or neuron j reads inputs [j*stride, j*stride + window) only.
  std::optional<Expr> window, stride;
  Generator weights, bias;
  std::uint32_t weight_frac = 0, bias_frac = 0;
  Activation activation = Activation::none;
  bool binarized = false;  // weights must be +-1 and inputs signs (checked per n)
  std::optional<BatchNorm> batchnorm;
};

struct InputSpec {
  Expr length;  // MLP: number of inputs; RNN, Transformer, SSM: number of steps. Variables: n
  Expr width{1};  // RNN only: values per step
  ValueKind kind = ValueKind::bit;
  std::uint32_t token_bits = 1;  // Transformer and SSM: bits per token (unsigned)
};

// h_t = act(W h_{t-1} + U x_t + b) for t = 1..length, then the readout layers on h_length.
struct RecurrentSpec {
  std::uint32_t hidden = 1;
  Layer cell;      // out = hidden; its weights are unused: W and U below
  Generator W, U;  // W[j][i]: h_{t-1} -> h_t (hidden x hidden); U[j][i]: x_t -> h_t (hidden x width)
  Generator h0;    // initial state h0[j], raw values of the cell's output kind (bits 0/1, signs +-1)
};

// One attention head. Queries and keys are rounded to the head's own small format; the score of
// position i for position j is the exact dot product q_i . k_j. Unique hard attention takes the
// value at the leftmost maximizing position; averaging hard attention the mean of the values at
// all maximizing positions, rounded to the number format. Causal heads see positions j <= i.
struct HeadSpec {
  std::string path;
  enum class Kind { unique, average } kind = Kind::unique;
  bool causal = true;
  std::uint32_t width = 1;     // coordinates of q and k
  std::uint32_t bits = 2, frac = 0;  // the head format (two's complement)
  Layer query, key, value;     // value: into the model width, in the number format
};

// A Transformer block: x += sum of the heads; then, with a feed-forward part,
// x = round(x + down(up(x))) with one rounding of the exact sum.
struct BlockSpec {
  std::string path;
  std::vector<HeadSpec> heads;
  std::optional<Layer> up, down;
};

struct TransformerSpec {
  std::uint32_t width = 1;        // d_model
  Generator embedding;            // [token][coordinate], raw values of the number format
  std::optional<Generator> position;  // [position][coordinate], added to the embedding
  Expr repeat{1};                 // the blocks applied repeat(n) times (a looped model)
  std::vector<BlockSpec> blocks;
  bool readout_all = false;       // the readout layers at every position, or at the last only
  // Chain of thought: when set, the model runs cot(n) times; each run's readout at the last
  // position (token_bits bits) is appended as the next token. Outputs: the generated tokens.
  std::optional<Expr> cot;
};

// State-space models over integers (the number format, frac 0), h_0 = 0:
//  lti:       h_t[c] = a[c] h_{t-1}[c] + b[c] x_t             (x_t the token as an unsigned integer)
//  selective: h_t[c] = a[x_t][c] h_{t-1}[c] + b[x_t][c]       (tables indexed by the token)
//  monoid:    h_t = h_{t-1} then map_t, maps of {0..points-1}; map_t from a table indexed by the
//             token, or given in the input as `points` images (values read mod points).
// Arithmetic wraps modulo 2^bits; with "saturate" the model must never overflow (checked).
struct SsmSpec {
  enum class Kind { lti, selective, monoid } kind = Kind::lti;
  std::uint32_t state = 1;        // lti/selective: coordinates of h
  Generator a, b;                 // lti: [c]; selective: [token][c]
  std::uint32_t points = 2;       // monoid
  std::optional<Generator> maps;  // monoid: [token][point] -> image; none: maps come in the input
};

struct Model {
  enum class Kind { mlp, rnn, transformer, ssm } kind = Kind::mlp;
  std::string name, description, file;
  InputSpec input;
  NumberSpec number;
  std::vector<Layer> layers;  // MLP: the layers; RNN: the readout after the last step
  std::optional<RecurrentSpec> rnn;
  std::optional<TransformerSpec> transformer;
  std::optional<SsmSpec> ssm;
};

// Parses and validates; ModelError (with a JSON path) for anything wrong. The size checks that
// depend on n happen when the model is compiled or interpreted at a given n.
Model parse_model(const std::string& json_text, const std::string& file = "model");
Model load_model(const std::string& path);  // IoError, ParseError (bad JSON: file:line:col), ModelError

ValueKind output_kind(const Layer& layer);

}  // namespace tcx

namespace tcx {

// A model at one size n: every size resolved and checked (ModelError with the path).
struct LayerShape {
  std::uint32_t in = 0, out = 0;
  ValueKind in_kind = ValueKind::bit, out_kind = ValueKind::bit;
  std::uint32_t window = 0, stride = 0;  // window 0: dense
  // The inputs neuron j reads: [first, last).
  std::uint32_t first(std::uint32_t j) const { return window ? std::min<std::uint64_t>(std::uint64_t(j) * stride, in) : 0; }
  std::uint32_t last(std::uint32_t j) const {
    return window ? static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t(j) * stride + window, in)) : in;
  }
};

struct ModelShape {
  std::int64_t n = 0;
  FixedFormat format;
  std::uint32_t steps = 0;        // RNN, Transformer, SSM: time steps or positions (MLP: 0)
  std::uint32_t input_values = 0; // MLP: inputs; RNN: values per step
  ValueKind input_kind = ValueKind::bit;
  std::optional<LayerShape> cell; // RNN: the recurrent cell (inputs: hidden, then the step's values)
  std::vector<LayerShape> layers;
  // Transformer: the shapes of each block's heads (query, key, value) and feed-forward maps.
  struct HeadShape { LayerShape query, key, value; FixedFormat format; };
  struct BlockShape { std::vector<HeadShape> heads; std::optional<LayerShape> up, down; };
  std::vector<BlockShape> blocks;
  std::uint32_t repeat = 0;
  std::uint32_t cot_steps = 0;    // Transformer with chain of thought: tokens generated
  std::uint64_t input_bits = 0, output_bits = 0;
  std::uint32_t bits_of(ValueKind k) const { return k == ValueKind::number ? format.bits : 1; }
};

ModelShape shape_at(const Model& m, std::int64_t n);

// Bits of a point of a monoid state-space model: ceil(log2 points), at least 1.
inline std::uint32_t point_bits(std::uint32_t points) {
  return std::max<std::uint32_t>(1, ceil_log2(points));
}

// Batch normalization followed by a sign, exactly: gamma (z - mean) / sqrt(var + eps) + beta >= 0
// for a rational z, parameters of neuron j at size n.
bool batchnorm_holds(const BatchNorm& bn, std::int64_t n, std::int64_t j, const mpq_class& z);

// The reference interpreter: the model at one size evaluated directly on exact integers, value
// by value, with no circuit anywhere (compilers/models/interpret.cpp). Weights are generated
// once at construction; run() is thread-safe. Input and output bits as laid out by compile_model.
class ModelInterpreter {
public:
  ModelInterpreter(const Model& m, const ModelShape& shape);
  ~ModelInterpreter();
  Bits run(const Bits& input) const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tcx
