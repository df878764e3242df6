#include "circuits/io/netlist.hpp"

#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
#include "circuits/graph.hpp"
#include "circuits/io/file.hpp"

namespace tcx {

std::vector<std::vector<Token>> tokenize_lines(std::string_view text, char comment, bool continuation) {
  std::vector<std::vector<Token>> lines;
  std::vector<Token> cur;
  std::uint32_t line = 1;
  std::size_t line_start = 0, i = 0;
  bool continued = false;
  while (i <= text.size()) {
    if (i == text.size() || text[i] == '\n') {
      if (!continued && !cur.empty()) lines.push_back(std::move(cur)), cur.clear();
      continued = false;
      if (i == text.size()) break;
      ++i;
      ++line;
      line_start = i;
      continue;
    }
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r') { ++i; continue; }
    if (comment && c == comment) {
      while (i < text.size() && text[i] != '\n') ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\n' &&
           !(comment && text[i] == comment))
      ++i;
    std::string_view tok = text.substr(start, i - start);
    if (continuation && tok == "\\") {
      // '\' at the end of a line: the logical line goes on.
      std::size_t j = i;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r')) ++j;
      if (j == text.size() || text[j] == '\n') { continued = true; continue; }
    }
    cur.push_back(Token{tok, line, static_cast<std::uint32_t>(start - line_start + 1)});
  }
  return lines;
}

void NamedNetlist::fail(const Token& at, const std::string& message) const {
  throw ParseError(file_, at.line, at.col, message);
}

// A name every text format can write back (no control characters).
void NamedNetlist::check_name(const Token& name) const {
  try {
    check_name_text(name.text);
  } catch (const std::invalid_argument& e) {
    fail(name, e.what());
  }
}

void NamedNetlist::define(const Token& name, bool is_gate, std::uint32_t index) {
  check_name(name);
  auto [it, fresh] = defined_.emplace(name.text, std::make_pair(is_gate, index));
  if (!fresh) fail(name, "'" + std::string(name.text) + "' is defined twice");
}

void NamedNetlist::add_input(const Token& name) {
  define(name, false, static_cast<std::uint32_t>(inputs_.size()));
  inputs_.push_back(name);
}

void NamedNetlist::add_output(const Token& name) {
  check_name(name);
  outputs_.push_back(name);
}

void NamedNetlist::add_cover(const Token& name, std::vector<Token> fanins, std::vector<std::string> cubes, bool onset) {
  define(name, true, static_cast<std::uint32_t>(gates_.size()));
  Gate g;
  g.name = name;
  g.fanins = std::move(fanins);
  g.is_cover = true;
  g.cubes = std::move(cubes);
  g.onset = onset;
  gates_.push_back(std::move(g));
}

void NamedNetlist::add_threshold(const Token& name, std::vector<Token> fanins, std::vector<mpz_class> weights,
                                 mpz_class t) {
  define(name, true, static_cast<std::uint32_t>(gates_.size()));
  Gate g;
  g.name = name;
  g.fanins = std::move(fanins);
  g.weights = std::move(weights);
  g.threshold = std::move(t);
  gates_.push_back(std::move(g));
}

Circuit NamedNetlist::build() const {
  const std::uint32_t ni = static_cast<std::uint32_t>(inputs_.size());
  const std::uint32_t total = ni + static_cast<std::uint32_t>(gates_.size());
  auto id_of = [&](const Token& t) {
    auto it = defined_.find(t.text);
    if (it == defined_.end()) fail(t, "undefined signal '" + std::string(t.text) + "'");
    return it->second.first ? ni + it->second.second : it->second.second;
  };
  std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
  for (std::uint32_t g = 0; g < gates_.size(); ++g)
    for (const Token& f : gates_[g].fanins) edges.emplace_back(id_of(f), ni + g);
  for (const Token& o : outputs_) id_of(o);
  auto order = topological_order(total, edges);
  if (!order) {
    auto cycle = find_cycle(total, edges);
    std::string path;
    for (std::uint32_t v : *cycle)
      path += (path.empty() ? "" : " -> ") + std::string(v < ni ? inputs_[v].text : gates_[v - ni].name.text);
    const Token& at = gates_[cycle->front() - ni].name;
    fail(at, "cycle: " + path + " (a combinational circuit must be acyclic)");
  }
  Builder b;
  std::vector<Lit> lit(total);
  for (std::uint32_t i = 0; i < ni; ++i) lit[i] = b.add_input(std::string(inputs_[i].text));
  std::vector<Lit> f, cube_lits, cubes;
  for (std::uint32_t v : *order) {
    if (v < ni) continue;
    const Gate& g = gates_[v - ni];
    f.clear();
    for (const Token& t : g.fanins) f.push_back(lit[id_of(t)]);
    Lit out;
    if (g.is_cover) {
      // OR over cubes of (AND over the cube's literals); an off-set cover is negated.
      cubes.clear();
      for (const std::string& cube : g.cubes) {
        cube_lits.clear();
        for (std::size_t k = 0; k < cube.size(); ++k)
          if (cube[k] != '-') cube_lits.push_back(f[k] ^ (cube[k] == '0'));
        cubes.push_back(and_all(b, cube_lits));
      }
      out = or_all(b, cubes) ^ !g.onset;
    } else {
      out = b.add_gate(f, g.weights, g.threshold);
    }
    lit[v] = out;
    if (!out.negated() && b.is_gate(out.node()) && b.name(out.node()).empty() &&
        !b.find(std::string(g.name.text)))
      b.set_name(out.node(), std::string(g.name.text));
  }
  for (const Token& o : outputs_) b.add_output(lit[id_of(o)], std::string(o.text));
  return std::move(b).build_all();
}

}  // namespace tcx
