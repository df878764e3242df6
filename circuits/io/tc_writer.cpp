#include <fmt/format.h>

#include "circuits/interrupt.hpp"
#include "circuits/io/tc_format.hpp"

namespace tcx {

namespace {

std::string quote_if_needed(std::string_view name) {
  if (is_plain_name(name)) return std::string(name);
  std::string q = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string ref(const Circuit& c, node_id n) {
  if (n == 0) return "false";
  std::string_view name = c.name(n);
  return name.empty() ? "@" + std::to_string(n) : quote_if_needed(name);
}

std::string lit_text(const Circuit& c, Lit l) {
  if (l.is_constant()) return l.negated() ? "true" : "false";
  return (l.negated() ? "!" : "") + ref(c, l.node());
}

template <class W>
void append_term(std::string& out, bool first, const W& w, const std::string& r) {
  bool neg = w < 0;
  if (first) out += neg ? "-" : "";
  else out += neg ? " - " : " + ";
  if (neg) {
    W a = -w;
    if (a != 1) out += fmt::format("{} ", a);
  } else if (w != 1) {
    out += fmt::format("{} ", w);
  }
  out += r;
}

}  // namespace

std::string write_tc(const Circuit& c, const tc_writer_params& params) {
  std::string out = fmt::format("tcx-circuit {}\n", tc_format_version);
  // Inputs in order: runs of named inputs on `input` lines, anonymous runs as `inputs K`.
  std::uint32_t i = 0;
  while (i < c.num_inputs()) {
    std::uint32_t j = i;
    if (c.name(c.input_node(i)).empty()) {
      while (j < c.num_inputs() && c.name(c.input_node(j)).empty()) ++j;
      out += fmt::format("inputs {}\n", j - i);
    } else {
      out += "input";
      while (j < c.num_inputs() && !c.name(c.input_node(j)).empty() && j - i < 16)
        out += " " + quote_if_needed(c.name(c.input_node(j++)));
      out += "\n";
    }
    i = j;
  }
  // Hundreds of MB for a large circuit (ge_residues at 64 bits: 466 MB, most of its 12 s): when
  // asked, an interrupt stops it, polled at the first gate and every 2^16 terms (gates may be wide).
  std::uint64_t terms = 0, next_poll = 0;
  for (gate_id g : c.gates()) {
    auto f = c.fanins(g);
    if (params.stop_on_interrupt && terms >= next_poll) {
      poll_interrupt(0, "writing the circuit", 1);
      next_poll = terms + 65536;
    }
    terms += f.size() + 1;
    out += "gate " + ref(c, c.gate_node(g)) + " = ";
    if (!c.is_big(g)) {
      auto w = c.small_weights(g);
      for (std::size_t k = 0; k < f.size(); ++k) append_term(out, k == 0, std::int64_t(w[k]), ref(c, f[k]));
      out += fmt::format(" >= {}\n", c.small_threshold(g));
    } else {
      const BigGate& b = c.big(g);
      for (std::size_t k = 0; k < f.size(); ++k) {
        // mpz_class has no fmt formatter: print through strings.
        bool neg = sgn(b.weights[k]) < 0;
        mpz_class a = abs(b.weights[k]);
        out += k == 0 ? (neg ? "-" : "") : (neg ? " - " : " + ");
        if (a != 1) out += a.get_str() + " ";
        out += ref(c, f[k]);
      }
      out += " >= " + b.threshold.get_str() + "\n";
    }
  }
  for (const Output& o : c.outputs()) {
    out += "output ";
    if (!o.name.empty()) out += quote_if_needed(o.name) + " = ";
    out += lit_text(c, o.lit) + "\n";
  }
  return out + "end\n";
}

}  // namespace tcx
