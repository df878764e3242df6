#include "circuits/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "circuits/graph.hpp"

namespace tcx {

std::uint64_t magnitude_bits(const mpz_class& x) { return sgn(x) == 0 ? 0 : mpz_sizeinbase(x.get_mpz_t(), 2); }
std::uint64_t magnitude_bits(std::int64_t x) {
  std::uint64_t u = x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
  return u == 0 ? 0 : 64 - __builtin_clzll(u);
}

namespace {
std::uint64_t bits_of(const mpz_class& x) { return magnitude_bits(x); }
std::uint64_t bits_of(std::int64_t x) { return magnitude_bits(x); }
}  // namespace

void GateTally::count(std::uint32_t level, std::size_t fanin) {
  ++gates_;
  wires_ += fanin;
  max_fanin_ = std::max(max_fanin_, static_cast<std::uint32_t>(fanin));
  if (gates_per_level_.size() < level) gates_per_level_.resize(level, 0);
  ++gates_per_level_[level - 1];
}

void GateTally::add(std::uint32_t level, std::span<const std::int32_t> weights, std::int64_t threshold) {
  count(level, weights.size());
  for (std::int32_t w : weights) {
    const std::uint32_t a = static_cast<std::uint32_t>(std::abs(w));
    max_weight_bits_ = std::max(max_weight_bits_, bits_of(std::int64_t(a)));
    small_abs_sum_ += a;
    if (small_abs_sum_ >> 62) { abs_sum_ += mpz_class(static_cast<unsigned long>(small_abs_sum_)); small_abs_sum_ = 0; }
  }
  max_threshold_bits_ = std::max(max_threshold_bits_, bits_of(threshold));
}

void GateTally::add(std::uint32_t level, std::span<const mpz_class> weights, const mpz_class& threshold) {
  count(level, weights.size());
  ++big_gates_;
  for (const mpz_class& w : weights) {
    max_weight_bits_ = std::max(max_weight_bits_, bits_of(w));
    abs_sum_ += abs(w);
  }
  max_threshold_bits_ = std::max(max_threshold_bits_, bits_of(threshold));
}

void GateTally::add(std::uint32_t level, std::uint64_t fanin, std::uint64_t weight_bits, std::uint64_t threshold_bits,
                    std::uint64_t abs_sum) {
  count(level, fanin);
  max_weight_bits_ = std::max(max_weight_bits_, weight_bits);
  max_threshold_bits_ = std::max(max_threshold_bits_, threshold_bits);
  if ((small_abs_sum_ + abs_sum) >> 62 || abs_sum >> 62) {
    abs_sum_ += mpz_class(static_cast<unsigned long>(small_abs_sum_));
    small_abs_sum_ = 0;
    abs_sum_ += mpz_class(static_cast<unsigned long>(abs_sum));
  } else {
    small_abs_sum_ += abs_sum;
  }
}

void GateTally::add(std::uint32_t level, std::uint64_t fanin, std::uint64_t weight_bits, std::uint64_t threshold_bits,
                    const mpz_class& abs_sum) {
  count(level, fanin);
  ++big_gates_;
  max_weight_bits_ = std::max(max_weight_bits_, weight_bits);
  max_threshold_bits_ = std::max(max_threshold_bits_, threshold_bits);
  abs_sum_ += abs_sum;
}

void GateTally::fill(circuit_stats& s) const {
  s.gates = gates_;
  s.wires = wires_;
  s.max_fanin = max_fanin_;
  s.mean_fanin = gates_ ? double(wires_) / gates_ : 0.0;
  s.max_weight_bits = max_weight_bits_;
  s.max_threshold_bits = max_threshold_bits_;
  s.sum_abs_weights = abs_sum_ + mpz_class(static_cast<unsigned long>(small_abs_sum_));
  s.big_gates = big_gates_;
  s.gates_per_level = gates_per_level_;
}

circuit_stats analyze(const Circuit& c, const analyze_params& params) {
  circuit_stats s;
  s.inputs = c.num_inputs();
  s.outputs = c.num_outputs();
  s.depth = c.depth();
  for (const Output& o : c.outputs()) s.output_depth.push_back(c.level(o.lit.node()));
  GateTally tally;
  for (gate_id g : c.gates()) {
    const std::uint32_t lvl = c.level(c.gate_node(g));
    if (c.is_big(g)) tally.add(lvl, c.big(g).weights, c.big(g).threshold);
    else tally.add(lvl, c.small_weights(g), c.small_threshold(g));
  }
  tally.fill(s);
  if (params.critical_path)
    for (node_id n : critical_path(c)) s.critical_path.push_back(c.label(n));
  return s;
}

nlohmann::json json_integer(const mpz_class& x) {
  static const mpz_class limit = mpz_class(1) << 53;
  if (abs(x) <= limit) return x.get_si();
  return x.get_str();
}

nlohmann::json to_json(const circuit_stats& s) {
  return nlohmann::json{{"inputs", s.inputs},
                        {"outputs", s.outputs},
                        {"gates", s.gates},
                        {"wires", s.wires},
                        {"depth", s.depth},
                        {"output_depth", s.output_depth},
                        {"max_fanin", s.max_fanin},
                        {"mean_fanin", s.mean_fanin},
                        {"max_weight_bits", s.max_weight_bits},
                        {"max_threshold_bits", s.max_threshold_bits},
                        {"sum_abs_weights", json_integer(s.sum_abs_weights)},
                        {"big_gates", s.big_gates},
                        {"gates_per_level", s.gates_per_level},
                        {"critical_path", s.critical_path}};
}

std::string to_table(const circuit_stats& s) {
  // Long lists (a 10^6-deep chain has 10^6 levels) are abbreviated in the table: the first 20
  // and last 10 entries; the JSON keeps them all.
  auto join = [](const auto& v, const char* sep) {
    constexpr std::size_t head = 20, tail = 10;
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v.size() > head + tail + 1 && i == head) {
        out += fmt::format("{}... {} more (--json lists all) ...", sep, v.size() - head - tail);
        i = v.size() - tail - 1;
        continue;
      }
      out += (i ? sep : "") + fmt::format("{}", v[i]);
    }
    return out;
  };
  std::string t;
  auto row = [&t](const char* k, const std::string& v) { t += fmt::format("{:<20} {}\n", k, v); };
  row("inputs", std::to_string(s.inputs));
  row("outputs", std::to_string(s.outputs));
  row("gates", std::to_string(s.gates));
  row("wires", std::to_string(s.wires));
  row("depth", std::to_string(s.depth));
  row("output depths", join(s.output_depth, " "));
  row("max fan-in", std::to_string(s.max_fanin));
  row("mean fan-in", fmt::format("{:.2f}", s.mean_fanin));
  row("max weight bits", std::to_string(s.max_weight_bits));
  row("max threshold bits", std::to_string(s.max_threshold_bits));
  row("sum |weights|", s.sum_abs_weights.get_str());
  row("GMP gates", std::to_string(s.big_gates));
  row("gates per level", join(s.gates_per_level, " "));
  row("critical path", join(s.critical_path, " -> "));
  return t;
}

}  // namespace tcx
