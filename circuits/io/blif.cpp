#include "circuits/io/blif.hpp"

#include <stdexcept>
#include <unordered_set>

#include "circuits/io/file.hpp"
#include "circuits/io/netlist.hpp"
#include "circuits/lower.hpp"

namespace tcx {

namespace {

void require_and_network(const Circuit& c, const char* format) {
  if (!is_and_network(c))
    throw std::invalid_argument(std::string(format) + " needs an AND/NOT network: lower the circuit first (tcx lower)");
}

bool blif_usable(const std::string& s) {
  for (char ch : s)
    if (ch == ' ' || ch == '\t' || ch == '#' || ch == '\\' || ch == '=' || static_cast<unsigned char>(ch) < 33)
      return false;
  return !s.empty() && s[0] != '.';
}

// Reserved words of Verilog-2005 and SystemVerilog: a name spelled like one must be escaped.
bool verilog_keyword(const std::string& s) {
  static const std::unordered_set<std::string> words = {
      "always", "and", "assign", "automatic", "begin", "buf", "bufif0", "bufif1", "case", "casex", "casez", "cell",
      "cmos", "config", "deassign", "default", "defparam", "design", "disable", "edge", "else", "end", "endcase",
      "endconfig", "endfunction", "endgenerate", "endmodule", "endprimitive", "endspecify", "endtable", "endtask",
      "event", "for", "force", "forever", "fork", "function", "generate", "genvar", "highz0", "highz1", "if",
      "ifnone", "incdir", "include", "initial", "inout", "input", "instance", "integer", "join", "large", "liblist",
      "library", "localparam", "macromodule", "medium", "module", "nand", "negedge", "nmos", "nor",
      "noshowcancelled", "not", "notif0", "notif1", "or", "output", "parameter", "pmos", "posedge", "primitive",
      "pull0", "pull1", "pulldown", "pullup", "pulsestyle_onevent", "pulsestyle_ondetect", "rcmos", "real",
      "realtime", "reg", "release", "repeat", "rnmos", "rpmos", "rtran", "rtranif0", "rtranif1", "scalared",
      "showcancelled", "signed", "small", "specify", "specparam", "strong0", "strong1", "supply0", "supply1",
      "table", "task", "time", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1", "triand", "trior", "trireg",
      "unsigned", "use", "uwire", "vectored", "wait", "wand", "weak0", "weak1", "while", "wire", "wor", "xnor", "xor",
      // SystemVerilog (yosys -sv and most tools reserve them)
      "alias", "always_comb", "always_ff", "always_latch", "assert", "assume", "bit", "break", "byte", "chandle",
      "class", "const", "constraint", "context", "continue", "cover", "do", "endclass", "endinterface",
      "endpackage", "endprogram", "endproperty", "endsequence", "enum", "export", "extends", "extern", "final",
      "import", "int", "interface", "logic", "longint", "modport", "new", "null", "package", "packed", "priority",
      "program", "property", "protected", "pure", "rand", "randc", "ref", "restrict", "return", "sequence",
      "shortint", "shortreal", "static", "string", "struct", "super", "this", "type", "typedef", "union", "unique",
      "var", "virtual", "void"};
  return words.count(s) > 0;
}

bool verilog_plain(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  if (verilog_keyword(s)) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '$')) return false;
  return true;
}
// Verilog escaped identifier for anything else: backslash, the name, a space.
std::string verilog_id(const std::string& s) { return verilog_plain(s) ? s : "\\" + s + " "; }
bool verilog_usable(const std::string& s) {
  for (char ch : s)
    if (static_cast<unsigned char>(ch) <= 32 || static_cast<unsigned char>(ch) > 126) return false;
  return !s.empty();
}

}  // namespace

std::string write_blif(const Circuit& c, const std::string& model) {
  require_and_network(c, "BLIF");
  SignalNames s = signal_names(c, blif_usable);
  std::string out = "# written by tcx\n.model " + model + "\n.inputs";
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) out += " " + s.names[c.input_node(i)];
  out += "\n.outputs";
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) out += " " + s.names[c.num_nodes() + o];
  out += "\n";
  for (gate_id g : c.gates()) {
    AndNode a = and_node(c, g);
    out += ".names " + s.names[a.a.node()] + " " + s.names[a.b.node()] + " " + s.names[c.gate_node(g)] + "\n";
    std::string cube = {a.a.negated() ? '0' : '1', a.b.negated() ? '0' : '1'};
    out += cube + (a.complemented ? " 0\n" : " 1\n");
  }
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) {
    if (s.output_is_node[o]) continue;
    Lit l = c.outputs()[o].lit;
    const std::string& name = s.names[c.num_nodes() + o];
    if (l.is_constant()) out += ".names " + name + "\n" + (l.negated() ? "1\n" : "");
    else out += ".names " + s.names[l.node()] + " " + name + "\n" + (l.negated() ? "0 1\n" : "1 1\n");
  }
  return out + ".end\n";
}

Circuit read_blif(std::string_view text, const std::string& filename) {
  NamedNetlist net(filename);
  auto lines = tokenize_lines(text, '#', true);
  if (lines.empty()) throw ParseError(filename, 1, 1, "empty BLIF file (no .model, .inputs, .outputs or .names)");
  std::size_t i = 0;
  bool ended = false;
  while (i < lines.size() && !ended) {
    const std::vector<Token>& l = lines[i];
    std::string_view kw = l[0].text;
    if (kw == ".model") {
      ++i;
    } else if (kw == ".inputs" || kw == ".outputs") {
      for (std::size_t k = 1; k < l.size(); ++k) kw == ".inputs" ? net.add_input(l[k]) : net.add_output(l[k]);
      ++i;
    } else if (kw == ".names") {
      if (l.size() < 2) net.fail(l[0], ".names needs at least an output signal");
      std::vector<Token> fanins(l.begin() + 1, l.end() - 1);
      const Token out = l.back();
      std::vector<std::string> cubes;
      int polarity = -1;
      ++i;
      while (i < lines.size() && lines[i][0].text[0] != '.') {
        const std::vector<Token>& row = lines[i];
        std::string_view cube = fanins.empty() ? std::string_view{} : row[0].text;
        std::size_t want = fanins.empty() ? 1 : 2;
        if (row.size() != want) net.fail(row[0], "a cover row needs " + std::string(fanins.empty() ? "one output value" : "an input cube and an output value"));
        if (cube.size() != fanins.size())
          net.fail(row[0], "cube has " + std::to_string(cube.size()) + " entries for " + std::to_string(fanins.size()) + " inputs");
        for (std::size_t k = 0; k < cube.size(); ++k)
          if (cube[k] != '0' && cube[k] != '1' && cube[k] != '-')
            net.fail(Token{cube, row[0].line, row[0].col + static_cast<std::uint32_t>(k)}, "cube entries are 0, 1 or -");
        const Token& v = row.back();
        if (v.text != "0" && v.text != "1") net.fail(v, "the output value must be 0 or 1");
        int p = v.text == "1";
        if (polarity >= 0 && p != polarity) net.fail(v, "a cover mixes on-set and off-set rows");
        polarity = p;
        cubes.emplace_back(cube);
        ++i;
      }
      // No rows: constant 0. Off-set rows: the cover is the complement.
      net.add_cover(out, std::move(fanins), std::move(cubes), polarity != 0);
    } else if (kw == ".end") {
      ended = true;
      if (i + 1 < lines.size())  // a second model (hierarchical BLIF) would be dropped unseen
        net.fail(lines[i + 1][0], "'" + std::string(lines[i + 1][0].text) + "' after .end: tcx reads one flat model per file");
    } else if (kw == ".conn") {
      // yosys `write_blif -conn`: `.conn A B` joins net B to its driver A, a buffer without a cover.
      if (l.size() != 3) net.fail(l[0], ".conn needs two signals: the driver and the net it drives");
      net.add_cover(l[2], {l[1]}, {"1"}, true);
      ++i;
    } else if (kw == ".cname" || kw == ".attr" || kw == ".param") {
      // yosys `write_blif -cname -attr -param` (-iname, -iattr): a cell's name, attributes and
      // parameters, which annotate the cell before them and carry no logic.
      ++i;
    } else if (kw == ".latch" || kw == ".subckt" || kw == ".gate" || kw == ".mlatch") {
      net.fail(l[0], "'" + std::string(kw) + "' is not supported (combinational, flat BLIF only)");
    } else {
      net.fail(l[0], "unexpected '" + std::string(kw) + "'");
    }
  }
  return net.build();
}

std::string write_verilog(const Circuit& c, const std::string& model) {
  require_and_network(c, "Verilog");
  SignalNames s = signal_names(c, verilog_usable);
  std::string ports, decl;
  for (std::uint32_t i = 0; i < c.num_inputs(); ++i) {
    const std::string id = verilog_id(s.names[c.input_node(i)]);
    ports += (ports.empty() ? "" : ", ") + id;
    decl += "  input " + id + ";\n";
  }
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) {
    const std::string id = verilog_id(s.names[c.num_nodes() + o]);
    ports += (ports.empty() ? "" : ", ") + id;
    decl += "  output " + id + ";\n";
  }
  std::string body;
  std::vector<bool> named_by_output(c.num_nodes(), false);
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o)
    if (s.output_is_node[o]) named_by_output[c.outputs()[o].lit.node()] = true;
  auto ref = [&](Lit l) { return (l.negated() ? "~" : "") + verilog_id(s.names[l.node()]); };
  for (gate_id g : c.gates()) {
    AndNode a = and_node(c, g);
    const std::string id = verilog_id(s.names[c.gate_node(g)]);
    if (!named_by_output[c.gate_node(g)]) decl += "  wire " + id + ";\n";
    body += "  assign " + id + " = " + (a.complemented ? "~(" : "") + ref(a.a) + " & " + ref(a.b) +
            (a.complemented ? ")" : "") + ";\n";
  }
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o) {
    if (s.output_is_node[o]) continue;
    Lit l = c.outputs()[o].lit;
    body += "  assign " + verilog_id(s.names[c.num_nodes() + o]) + " = " +
            (l.is_constant() ? std::string(l.negated() ? "1'b1" : "1'b0") : ref(l)) + ";\n";
  }
  return "// written by tcx\nmodule " + verilog_id(model) + "(" + ports + ");\n" + decl + body + "endmodule\n";
}

}  // namespace tcx
