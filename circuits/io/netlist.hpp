#pragma once
// Shared machinery for netlist formats whose signals are names defined in any order
// (BLIF, the threABC .th format): a line tokenizer that keeps columns, and a named
// netlist that is ordered with Boost.Graph before it is built, so undefined names and
// cycles get a file:line:col error.
#include <gmpxx.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "circuits/circuit.hpp"

namespace tcx {

struct Token {
  std::string_view text;
  std::uint32_t line = 0, col = 0;
};

// Splits text into lines of whitespace-separated tokens. `comment` starts a comment to the
// end of the line (0 = none); with `continuation`, a line ending in '\' continues.
std::vector<std::vector<Token>> tokenize_lines(std::string_view text, char comment, bool continuation);

// Unique signal names for writing a circuit as a named netlist: names[node] for every
// node, then names[num_nodes + o] for output o. User names are kept where `usable` accepts
// them and they are free; others get n<id> / o<k> with '_' appended until unique.
// An output shares its gate's name (needs no buffer) when it has no name of its own or
// the same name, and is a plain (not negated) gate.
struct SignalNames {
  std::vector<std::string> names;
  std::vector<bool> output_is_node;  // per output: no buffer needed
};
template <class Usable>
SignalNames signal_names(const Circuit& c, Usable&& usable);

class NamedNetlist {
public:
  explicit NamedNetlist(std::string file) : file_(std::move(file)) {}

  void add_input(const Token& name);
  void add_output(const Token& name);
  // A cover (BLIF .names): cubes over the fan-ins ('0', '1', '-'), on-set or off-set.
  void add_cover(const Token& name, std::vector<Token> fanins, std::vector<std::string> cubes, bool onset);
  // A threshold gate [sum w_i x_i >= t].
  void add_threshold(const Token& name, std::vector<Token> fanins, std::vector<mpz_class> weights, mpz_class t);

  Circuit build() const;

  void check_name(const Token& name) const;
  [[noreturn]] void fail(const Token& at, const std::string& message) const;

private:
  struct Gate {
    Token name;
    std::vector<Token> fanins;
    bool is_cover = false;
    std::vector<std::string> cubes;
    bool onset = true;
    std::vector<mpz_class> weights;
    mpz_class threshold;
  };
  void define(const Token& name, bool is_gate, std::uint32_t index);

  std::string file_;
  std::vector<Token> inputs_, outputs_;
  std::vector<Gate> gates_;
  std::unordered_map<std::string_view, std::pair<bool, std::uint32_t>> defined_;  // name -> (is gate, index)
};

template <class Usable>
SignalNames signal_names(const Circuit& c, Usable&& usable) {
  SignalNames s;
  s.names.resize(c.num_nodes() + c.num_outputs());
  std::unordered_map<std::string, int> taken;
  auto claim = [&](std::string want, const std::string& fallback) {
    if (want.empty() || !usable(want) || taken.count(want)) want = fallback;
    while (taken.count(want)) want += "_";
    taken.emplace(want, 1);
    return want;
  };
  for (node_id n = 1; n < c.num_nodes(); ++n)
    if (!c.name(n).empty()) s.names[n] = claim(std::string(c.name(n)), "n" + std::to_string(n));
  for (node_id n = 1; n < c.num_nodes(); ++n)
    if (s.names[n].empty()) s.names[n] = claim("", (c.is_input(n) ? "i" : "n") + std::to_string(n));
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) {
    const Output& out = c.outputs()[o];
    bool plain = !out.lit.negated() && c.is_gate(out.lit.node());
    bool same = plain && (out.name.empty() || out.name == s.names[out.lit.node()]);
    // Two outputs on one node each need their own signal after the first.
    for (std::uint32_t p = 0; same && p < o; ++p)
      if (s.output_is_node[p] && c.outputs()[p].lit == out.lit) same = false;
    s.output_is_node.push_back(same);
    s.names[c.num_nodes() + o] = same ? s.names[out.lit.node()] : claim(out.name, "o" + std::to_string(o));
  }
  return s;
}

}  // namespace tcx
