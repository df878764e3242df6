#include "circuits/io/aiger.hpp"

#include <charconv>
#include <stdexcept>

#include "circuits/builder.hpp"
#include "circuits/graph.hpp"
#include "circuits/io/file.hpp"
#include "circuits/lower.hpp"

namespace tcx {

namespace {

// AIGER literal of a circuit literal: a stored OR gate is the complement of its AIG node.
std::uint32_t aig_lit(const std::vector<std::uint8_t>& complemented, Lit l) {
  return 2 * l.node() + (l.negated() ^ complemented[l.node()]);
}

void put_varint(std::string& out, std::uint32_t x) {
  while (x & ~0x7fu) {
    out += static_cast<char>((x & 0x7f) | 0x80);
    x >>= 7;
  }
  out += static_cast<char>(x);
}

}  // namespace

std::string write_aiger(const Circuit& c, bool binary) {
  if (!is_and_network(c))
    throw std::invalid_argument("AIGER needs an AND/NOT network: lower the circuit first (tcx lower)");
  const std::uint32_t I = c.num_inputs(), A = c.num_gates(), M = I + A;
  std::vector<std::uint8_t> complemented(c.num_nodes(), 0);
  std::vector<AndNode> nodes(A);
  for (std::uint32_t g = 0; g < A; ++g) {
    nodes[g] = and_node(c, g);
    complemented[c.gate_node(g)] = nodes[g].complemented;
  }
  std::string out = (binary ? "aig " : "aag ") + std::to_string(M) + " " + std::to_string(I) + " 0 " +
                    std::to_string(c.num_outputs()) + " " + std::to_string(A) + "\n";
  if (!binary)
    for (std::uint32_t i = 0; i < I; ++i) out += std::to_string(2 * (i + 1)) + "\n";
  for (const Output& o : c.outputs()) out += std::to_string(aig_lit(complemented, o.lit)) + "\n";
  for (std::uint32_t g = 0; g < A; ++g) {
    std::uint32_t lhs = 2 * c.gate_node(g);
    std::uint32_t r0 = aig_lit(complemented, nodes[g].a), r1 = aig_lit(complemented, nodes[g].b);
    if (r0 < r1) std::swap(r0, r1);
    if (binary) {
      put_varint(out, lhs - r0);
      put_varint(out, r0 - r1);
    } else {
      out += std::to_string(lhs) + " " + std::to_string(r0) + " " + std::to_string(r1) + "\n";
    }
  }
  for (std::uint32_t i = 0; i < I; ++i)
    if (!c.name(c.input_node(i)).empty()) out += "i" + std::to_string(i) + " " + std::string(c.name(c.input_node(i))) + "\n";
  for (std::uint32_t o = 0; o < c.num_outputs(); ++o)
    if (!c.outputs()[o].name.empty()) out += "o" + std::to_string(o) + " " + c.outputs()[o].name + "\n";
  out += "c\nwritten by tcx\n";
  return out;
}

namespace {

class AigerReader {
public:
  AigerReader(std::string_view d, const std::string& f) : d_(d), file_(f) {}

  [[noreturn]] void fail(const std::string& m) const {
    // line:col of the current position
    std::uint32_t line = 1, col = 1;
    for (std::size_t i = 0; i < pos_ && i < d_.size(); ++i) {
      if (d_[i] == '\n') { ++line; col = 1; }
      else ++col;
    }
    throw ParseError(file_, line, col, m);
  }
  std::uint64_t number() {
    if (pos_ >= d_.size() || d_[pos_] < '0' || d_[pos_] > '9') fail("expected a number");
    std::uint64_t v = 0;
    while (pos_ < d_.size() && d_[pos_] >= '0' && d_[pos_] <= '9') {
      v = v * 10 + static_cast<std::uint64_t>(d_[pos_++] - '0');
      if (v > 0xFFFFFFFFull) fail("number too large");
    }
    return v;
  }
  void expect(char c) {
    if (pos_ >= d_.size() || d_[pos_] != c)
      fail(std::string("expected ") + (c == '\n' ? "end of line" : c == ' ' ? "a space" : std::string(1, c)));
    ++pos_;
  }
  std::uint32_t varint() {
    std::uint32_t x = 0;
    for (int shift = 0;; shift += 7) {
      if (pos_ >= d_.size()) fail("truncated binary AND section");
      if (shift > 28) fail("malformed delta encoding");
      unsigned char ch = static_cast<unsigned char>(d_[pos_++]);
      x |= static_cast<std::uint32_t>(ch & 0x7f) << shift;
      if (!(ch & 0x80)) return x;
    }
  }

  Circuit read() {
    bool binary;
    if (d_.substr(0, 4) == "aag ") binary = false;
    else if (d_.substr(0, 4) == "aig ") binary = true;
    else fail("not an AIGER file (expected 'aag' or 'aig' header)");
    pos_ = 4;
    std::uint64_t M = number(); expect(' ');
    std::uint64_t I = number(); expect(' ');
    std::uint64_t L = number(); expect(' ');
    std::uint64_t O = number(); expect(' ');
    std::uint64_t A = number();
    if (pos_ < d_.size() && d_[pos_] == ' ') fail("AIGER 1.9 extensions (B C J F) are not supported");
    expect('\n');
    if (L != 0) fail("latches: sequential AIGER files are not supported (tcx circuits are combinational)");
    if (M != I + L + A) fail("header: M must equal I + L + A");
    // Every input, output and AND costs at least two bytes of the file: bound allocations by it.
    if (I + O + A > d_.size()) fail("header declares more objects than the file can hold");
    std::vector<std::uint32_t> lhs(A), r0(A), r1(A);
    if (!binary)
      for (std::uint64_t i = 0; i < I; ++i) {
        std::uint64_t l = number();
        expect('\n');
        if (l != 2 * (i + 1)) fail("inputs must be the literals 2, 4, 6, ... in order");
      }
    std::vector<std::uint32_t> outs(O);
    for (auto& o : outs) {
      std::uint64_t l = number();
      expect('\n');
      if (l > 2 * M + 1) fail("output literal " + std::to_string(l) + " exceeds 2*M+1");
      o = static_cast<std::uint32_t>(l);
    }
    for (std::uint64_t k = 0; k < A; ++k) {
      if (binary) {
        lhs[k] = static_cast<std::uint32_t>(2 * (I + k + 1));
        std::uint32_t d0 = varint(), d1 = varint();
        if (d0 > lhs[k] || d0 == 0 || d1 > lhs[k] - d0) fail("malformed delta encoding");
        r0[k] = lhs[k] - d0;
        r1[k] = r0[k] - d1;
      } else {
        lhs[k] = static_cast<std::uint32_t>(number()); expect(' ');
        r0[k] = static_cast<std::uint32_t>(number()); expect(' ');
        r1[k] = static_cast<std::uint32_t>(number()); expect('\n');
        if (lhs[k] & 1 || lhs[k] / 2 <= I || lhs[k] / 2 > M) fail("AND left-hand side must be an even gate literal");
        if (r0[k] > 2 * M + 1 || r1[k] > 2 * M + 1) fail("AND input literal exceeds 2*M+1");
      }
    }
    // Symbols: i<k> name, o<k> name; then an optional comment section.
    std::vector<std::string> in_names(I), out_names(O);
    while (pos_ < d_.size() && d_[pos_] != 'c') {
      char kind = d_[pos_++];
      if (kind != 'i' && kind != 'o') fail("unsupported symbol kind '" + std::string(1, kind) + "'");
      std::uint64_t idx = number();
      expect(' ');
      std::size_t end = d_.find('\n', pos_);
      if (end == std::string_view::npos) end = d_.size();
      std::string name(d_.substr(pos_, end - pos_));
      if ((kind == 'i' && idx >= I) || (kind == 'o' && idx >= O)) fail("symbol index out of range");
      (kind == 'i' ? in_names : out_names)[idx] = name;
      pos_ = std::min(end + 1, d_.size());
    }
    // ASCII ANDs may come in any order: order them (BGL) by variable dependencies.
    std::vector<std::int64_t> and_of(M + 1, -1);
    for (std::uint64_t k = 0; k < A; ++k) {
      if (and_of[lhs[k] / 2] >= 0) fail("variable " + std::to_string(lhs[k] / 2) + " is defined twice");
      and_of[lhs[k] / 2] = static_cast<std::int64_t>(k);
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::uint64_t k = 0; k < A; ++k)
      for (std::uint32_t r : {r0[k], r1[k]}) {
        std::uint32_t v = r / 2;
        if (v > I && and_of[v] < 0) fail("literal " + std::to_string(r) + " refers to an undefined variable");
        if (v > I) edges.emplace_back(static_cast<std::uint32_t>(and_of[v]), static_cast<std::uint32_t>(k));
      }
    auto order = topological_order(static_cast<std::uint32_t>(A), edges);
    if (!order) fail("the AND gates form a cycle");
    Builder b;
    std::vector<Lit> var(M + 1, lit_false);
    for (std::uint64_t i = 0; i < I; ++i) var[i + 1] = b.add_input(in_names[i]);
    auto lit = [&](std::uint32_t l) { return var[l / 2] ^ (l & 1u); };
    for (std::uint32_t k : *order) {
      Lit f[2] = {lit(r0[k]), lit(r1[k])};
      std::int64_t w[2] = {1, 1};
      var[lhs[k] / 2] = b.add_gate(f, w, 2);
    }
    for (std::uint64_t o = 0; o < O; ++o) {
      if (outs[o] / 2 > I && and_of[outs[o] / 2] < 0) fail("output refers to an undefined variable");
      b.add_output(lit(outs[o]), out_names[o]);
    }
    return std::move(b).build();
  }

private:
  std::string_view d_;
  const std::string& file_;
  std::size_t pos_ = 0;
};

}  // namespace

Circuit read_aiger(std::string_view data, const std::string& filename) { return AigerReader(data, filename).read(); }

}  // namespace tcx
