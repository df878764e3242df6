#include "circuits/io/aiger.hpp"

#include <charconv>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include "circuits/builder.hpp"
#include "circuits/derived_gates.hpp"
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
  for (gate_id g : c.gates()) {
    nodes[g.v] = and_node(c, g);
    complemented[c.gate_node(g)] = nodes[g.v].complemented;
  }
  std::string out = (binary ? "aig " : "aag ") + std::to_string(M) + " " + std::to_string(I) + " 0 " +
                    std::to_string(c.num_outputs()) + " " + std::to_string(A) + "\n";
  if (!binary)
    for (std::uint32_t i = 0; i < I; ++i) out += std::to_string(2 * (i + 1)) + "\n";
  for (const Output& o : c.outputs()) out += std::to_string(aig_lit(complemented, o.lit)) + "\n";
  for (gate_id g : c.gates()) {
    std::uint32_t lhs = 2 * c.gate_node(g);
    std::uint32_t r0 = aig_lit(complemented, nodes[g.v].a), r1 = aig_lit(complemented, nodes[g.v].b);
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
  static constexpr std::uint64_t max_inputs = std::uint64_t(1) << 24;
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

  // The header's numbers after "aag"/"aig": M I L O A, then optionally B C J F (AIGER 1.9).
  Circuit read() {
    bool binary;
    if (d_.substr(0, 4) == "aag ") binary = false;
    else if (d_.substr(0, 4) == "aig ") binary = true;
    else fail("not an AIGER file (expected 'aag' or 'aig' header)");
    pos_ = 4;
    std::uint64_t h[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    int fields = 0;
    for (;;) {
      h[fields++] = number();
      if (pos_ < d_.size() && d_[pos_] == ' ' && fields < 9) { ++pos_; continue; }
      break;
    }
    if (fields < 5) fail("the header needs M I L O A");
    if (fields == 9 && pos_ < d_.size() && d_[pos_] == ' ') fail("the header has more than 9 numbers");
    expect('\n');
    const std::uint64_t M = h[0], I = h[1], L = h[2], O = h[3], A = h[4];
    if (L != 0) fail("latches: sequential AIGER files are not supported (tcx circuits are combinational)");
    if (h[5] || h[6] || h[7] || h[8])
      fail("AIGER 1.9 bad-state, constraint, justice and fairness properties are not supported (combinational circuits only)");
    if (M < I + L + A) fail("header: M must be at least I + L + A");
    if (binary && M != I + L + A) fail("header: in binary AIGER, M must equal I + L + A");
    if (M > (std::uint64_t(1) << 31) - 1) fail("header: M above 2^31 - 1 (literals are 32-bit)");
    if (I > max_inputs) fail("header: more than 2^24 inputs");
    // Bound allocations by the file: an ASCII input, any output and any AND take two bytes at
    // least; binary inputs take none (they are implicit), so their count is bounded above.
    if ((binary ? 0 : I) + O + A > d_.size() / 2) fail("header declares more objects than the file can hold");
    std::vector<std::uint32_t> in_var(I), lhs(A), r0(A), r1(A), outs(O);
    for (std::uint64_t i = 0; i < I; ++i) {
      if (binary) {
        in_var[i] = static_cast<std::uint32_t>(i + 1);
        continue;
      }
      std::uint64_t l = number();
      if (l & 1 || l < 2 || l > 2 * M) fail("an input must be an even literal in 2..2M, found " + std::to_string(l));
      expect('\n');
      in_var[i] = static_cast<std::uint32_t>(l / 2);
    }
    for (auto& o : outs) {
      std::uint64_t l = number();
      if (l > 2 * M + 1) fail("output literal " + std::to_string(l) + " exceeds 2M+1");
      expect('\n');
      o = static_cast<std::uint32_t>(l);
    }
    for (std::uint64_t k = 0; k < A; ++k) {
      if (binary) {
        lhs[k] = static_cast<std::uint32_t>(2 * (I + L + k + 1));
        std::uint32_t d0 = varint(), d1 = varint();
        if (d0 > lhs[k] || d0 == 0 || d1 > lhs[k] - d0) fail("malformed delta encoding");
        r0[k] = lhs[k] - d0;
        r1[k] = r0[k] - d1;
      } else {
        std::uint64_t l = number(); expect(' ');
        std::uint64_t a = number(); expect(' ');
        std::uint64_t b = number();
        if (l & 1 || l < 2 || l > 2 * M) fail("an AND's left-hand side must be an even literal in 2..2M");
        if (a > 2 * M + 1 || b > 2 * M + 1) fail("AND input literal exceeds 2M+1");
        expect('\n');
        lhs[k] = static_cast<std::uint32_t>(l);
        r0[k] = static_cast<std::uint32_t>(a);
        r1[k] = static_cast<std::uint32_t>(b);
      }
    }
    // Symbols: i<k> name and o<k> name (l, b, c, j, f would name objects tcx refused above);
    // then an optional comment section from a line "c" on.
    std::vector<std::string> in_names(I), out_names(O);
    std::unordered_set<std::string> used_input_names;
    while (pos_ < d_.size()) {
      const std::size_t line_start = pos_;
      char kind = d_[pos_];
      if (kind == 'c' && (pos_ + 1 == d_.size() || d_[pos_ + 1] < '0' || d_[pos_ + 1] > '9')) break;
      ++pos_;
      if (kind != 'i' && kind != 'o' && kind != 'l' && kind != 'b' && kind != 'c' && kind != 'j' && kind != 'f') {
        pos_ = line_start;
        fail("expected a symbol (i, o) or the comment section (c), found '" + printable(std::string_view(&kind, 1)) + "'");
      }
      std::uint64_t idx = number();
      expect(' ');
      std::size_t end = d_.find('\n', pos_);
      if (end == std::string_view::npos) end = d_.size();
      std::string name(d_.substr(pos_, end - pos_));
      for (std::size_t k = 0; k < name.size(); ++k)  // a name is written on one line by every format
        if (static_cast<unsigned char>(name[k]) < 0x20 || name[k] == 0x7f) {
          pos_ += k;
          fail("a control character (byte " + std::to_string(static_cast<unsigned char>(name[k])) + ") in a symbol");
        }
      if ((kind == 'i' && idx >= I) || (kind == 'o' && idx >= O) || (kind != 'i' && kind != 'o'))
        fail("symbol " + std::string(1, kind) + std::to_string(idx) + " names no object of the file");
      if (kind == 'i') {
        if (!in_names[idx].empty()) fail("input " + std::to_string(idx) + " is named twice");
        if (!name.empty() && !used_input_names.insert(name).second) fail("two inputs are named '" + printable(name) + "'");
        in_names[idx] = name;
      } else {
        if (!out_names[idx].empty()) fail("output " + std::to_string(idx) + " is named twice");
        out_names[idx] = name;
      }
      pos_ = std::min(end + 1, d_.size());
    }
    // Variables to dense definitions (the inputs, then the ANDs); a hash map when M is sparse.
    const bool direct = M <= 2 * (I + A) + 1024;
    std::vector<std::int64_t> def_direct(direct ? M + 1 : 0, -1);
    std::unordered_map<std::uint32_t, std::int64_t> def_sparse;
    auto define = [&](std::uint32_t v, std::int64_t d) {
      bool fresh = direct ? def_direct[v] < 0 : def_sparse.emplace(v, d).second;
      if (!fresh) fail("variable " + std::to_string(v) + " is defined twice");
      if (direct) def_direct[v] = d;
    };
    auto definition = [&](std::uint32_t v) -> std::int64_t {
      if (direct) return def_direct[v];
      auto it = def_sparse.find(v);
      return it == def_sparse.end() ? -1 : it->second;
    };
    for (std::uint64_t i = 0; i < I; ++i) define(in_var[i], static_cast<std::int64_t>(i));
    for (std::uint64_t k = 0; k < A; ++k) define(lhs[k] / 2, static_cast<std::int64_t>(I + k));
    // ASCII ANDs may come in any order: order them (BGL) by variable dependencies.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;
    for (std::uint64_t k = 0; k < A; ++k)
      for (std::uint32_t r : {r0[k], r1[k]}) {
        const std::uint32_t v = r / 2;
        if (v == 0) continue;
        const std::int64_t d = definition(v);
        if (d < 0) fail("literal " + std::to_string(r) + " refers to an undefined variable");
        if (d >= static_cast<std::int64_t>(I)) edges.emplace_back(static_cast<std::uint32_t>(d - I), static_cast<std::uint32_t>(k));
      }
    auto order = topological_order(static_cast<std::uint32_t>(A), edges);
    if (!order) fail("the AND gates form a cycle");
    Builder b;
    std::vector<Lit> val(I + A, lit_false);  // by definition index
    for (std::uint64_t i = 0; i < I; ++i) val[i] = b.add_input(in_names[i]);
    auto lit = [&](std::uint32_t l) { return (l / 2 == 0 ? lit_false : val[definition(l / 2)]) ^ (l & 1u); };
    for (std::uint32_t k : *order) {
      val[I + k] = and2(b, lit(r0[k]), lit(r1[k]));
    }
    for (std::uint64_t o = 0; o < O; ++o) {
      if (outs[o] / 2 != 0 && definition(outs[o] / 2) < 0) fail("output " + std::to_string(o) + " refers to an undefined variable");
      b.add_output(lit(outs[o]), out_names[o]);
    }
    return std::move(b).build_all();
  }

private:
  std::string_view d_;
  const std::string& file_;
  std::size_t pos_ = 0;
};

}  // namespace

Circuit read_aiger(std::string_view data, const std::string& filename) { return AigerReader(data, filename).read(); }

}  // namespace tcx
