#include "circuits/io/th_format.hpp"

#include "circuits/io/file.hpp"
#include "circuits/io/netlist.hpp"

namespace tcx {

std::string write_th(const Circuit& c, const std::string& model) {
  // Signals are numbered as in threABC's files: node ids, outputs after them.
  std::string out = "Threshold logic gate list written by tcx.\n.model " + model + "\n.input";
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) out += " " + std::to_string(c.input_node(i));
  out += "\n.output";
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) out += " " + std::to_string(c.num_nodes() + o);
  out += "\n";
  for (gate_id g : c.gates()) {
    out += ".threshold";
    for (node_id f : c.fanins(g)) out += " " + std::to_string(f);
    out += " " + std::to_string(c.gate_node(g)) + "\n";
    for (std::uint32_t k = 0; k < c.fanin_count(g); ++k) out += c.weight(g, k).get_str() + " ";
    out += c.threshold(g).get_str() + "\n";
  }
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) {
    Lit l = c.outputs()[o].lit;
    std::string name = std::to_string(c.num_nodes() + o);
    if (l.is_constant()) out += ".threshold " + name + "\n" + (l.negated() ? "0\n" : "1\n");
    else out += ".threshold " + std::to_string(l.node()) + " " + name + "\n" + (l.negated() ? "-1 0\n" : "1 1\n");
  }
  return out + ".end\n";
}

namespace {
bool parse_integer(std::string_view s, mpz_class& out) {
  std::size_t i = (s.size() > 1 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  if (i == s.size() || s.size() > 100000) return false;
  for (std::size_t k = i; k < s.size(); ++k)
    if (s[k] < '0' || s[k] > '9') return false;
  out.set_str(std::string(s[0] == '+' ? s.substr(1) : s), 10);
  return true;
}
}  // namespace

Circuit read_th(std::string_view text, const std::string& filename) {
  NamedNetlist net(filename);
  // The first line is free text unless it already starts a directive.
  std::size_t skip = 0;
  if (!text.empty() && text[0] != '.') {
    skip = text.find('\n');
    skip = skip == std::string_view::npos ? text.size() : skip + 1;
  }
  std::string_view body = text.substr(skip);
  auto lines = tokenize_lines(body, 0, false);
  if (lines.empty()) throw ParseError(filename, 1, 1, "empty .th file (no .input, .output or .threshold)");
  const std::uint32_t line_offset = skip ? 1 : 0;
  for (auto& l : lines)
    for (auto& t : l) t.line += line_offset;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::vector<Token>& l = lines[i];
    std::string_view kw = l[0].text;
    if (kw == ".model") continue;
    if (kw == ".end") break;
    if (kw == ".input" || kw == ".output") {
      for (std::size_t k = 1; k < l.size(); ++k) kw == ".input" ? net.add_input(l[k]) : net.add_output(l[k]);
    } else if (kw == ".threshold") {
      if (l.size() < 2) net.fail(l[0], ".threshold needs at least the gate's name");
      std::vector<Token> fanins(l.begin() + 1, l.end() - 1);
      if (i + 1 >= lines.size()) net.fail(l.back(), "missing the weight line after .threshold");
      const std::vector<Token>& w = lines[++i];
      if (w.size() != fanins.size() + 1)
        net.fail(w[0], "expected " + std::to_string(fanins.size()) + " weights and a threshold, found " +
                           std::to_string(w.size()) + " numbers");
      std::vector<mpz_class> weights(fanins.size());
      mpz_class t;
      for (std::size_t k = 0; k < fanins.size(); ++k)
        if (!parse_integer(w[k].text, weights[k])) net.fail(w[k], "expected an integer weight");
      if (!parse_integer(w.back().text, t)) net.fail(w.back(), "expected an integer threshold");
      net.add_threshold(l.back(), std::move(fanins), std::move(weights), std::move(t));
    } else {
      net.fail(l[0], "unexpected '" + std::string(kw) + "' (expected .model, .input, .output, .threshold or .end)");
    }
  }
  return net.build();
}

}  // namespace tcx
