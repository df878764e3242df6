// Sizes are sizes: every circuit tcx returns holds only gates its outputs read, and counting
// gives the figures compile + analyze give. The reference here is an independent walk over the
// written .tc text (its own tokenizer, not tcx's reader or the pruning code).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "circuits/analysis.hpp"
#include "circuits/builder.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/passes.hpp"
#include "compilers/arith/catalog.hpp"
#include "compilers/models/compile.hpp"
#include "model_testing.hpp"

using namespace tcx;
using tcx::testing::zoo;

namespace {

// The words of a .tc statement: quoted names kept whole, '!' and signs split off.
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ') { ++i; continue; }
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < line.size() && line[j] != '"') j += line[j] == '\\' ? 2 : 1;
      out.push_back(line.substr(i, j + 1 - i));
      i = j + 1;
    } else if (c == '!' || c == '+' || c == '-' || c == '=') {
      out.push_back(std::string(1, c));
      ++i;
    } else {
      std::size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '!' && line[j] != '"') ++j;
      out.push_back(line.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

struct TcCount {
  std::size_t gates = 0;      // gate statements in the file
  std::size_t reachable = 0;  // of them, read (transitively) by an output
  std::size_t inputs = 0;
};

bool is_number(const std::string& w) { return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }); }

TcCount count_tc(const std::string& text) {
  std::unordered_map<std::string, std::vector<std::string>> reads;  // gate -> names it reads
  std::vector<std::string> roots;
  TcCount r;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> w = words(line);
    if (w.empty() || w[0][0] == '#' || w[0] == "tcx-circuit") continue;
    if (w[0] == "end") break;  // version 2's closing line
    if (w[0] == "input") r.inputs += w.size() - 1;
    else if (w[0] == "inputs") r.inputs += std::stoull(w[1]);
    else if (w[0] == "gate" || w[0] == "output") {
      REQUIRE(w.size() >= 4);
      REQUIRE(w[2] == "=");
      std::vector<std::string> refs;
      for (std::size_t k = 3; k < w.size() && w[k] != ">="; ++k)
        if (w[k] != "+" && w[k] != "-" && w[k] != "!" && !is_number(w[k])) refs.push_back(w[k]);
      if (w[0] == "gate") {
        ++r.gates;
        REQUIRE(reads.emplace(w[1], std::move(refs)).second);
      } else {
        roots.insert(roots.end(), refs.begin(), refs.end());
      }
    } else {
      FAIL("unexpected .tc statement: " << line);
    }
  }
  std::unordered_set<std::string> seen;
  while (!roots.empty()) {
    const std::string n = roots.back();
    roots.pop_back();
    const auto it = reads.find(n);
    if (it == reads.end() || !seen.insert(n).second) continue;  // an input, a constant, or done
    roots.insert(roots.end(), it->second.begin(), it->second.end());
  }
  r.reachable = seen.size();
  return r;
}

void check_pruned(const Circuit& c) {
  const TcCount t = count_tc(write_tc(c));
  CHECK(t.gates == c.num_gates());
  CHECK(t.reachable == c.num_gates());
  CHECK(t.inputs == c.num_inputs());
}

}  // namespace

TEST_CASE("the reference walk counts what the outputs read", "[reachable]") {
  const TcCount t = count_tc(
      "tcx-circuit 1\ninput a b c\ngate m = a + b + c >= 2\ngate u = a - b >= 1\ngate \"q r\" = 2 m - !c >= 1\n"
      "output y = !\"q r\"\n");
  CHECK(t.gates == 3);
  CHECK(t.reachable == 2);  // u is read by nothing
  CHECK(t.inputs == 3);
}

TEST_CASE("build() keeps only the gates the outputs read; inputs all stay", "[reachable][builder]") {
  const Lit z(3, false);
  auto make = [] {  // the same circuit twice: a Builder is not copied
    Builder b;
    const Lit x = b.add_input("x"), y = b.add_input("y"), z = b.add_input("z");
    const std::int64_t ones[] = {1, 1, 1};
    const Lit unused = b.add_gate(std::vector<Lit>{x, y, z}, ones, 3);
    b.set_name(unused.node(), "unused");
    const Lit maj = b.add_gate(std::vector<Lit>{x, y, z}, ones, 2);
    b.set_name(maj.node(), "maj");
    const std::int64_t w2[] = {1, 1};
    const Lit top = b.add_gate(std::vector<Lit>{maj, !z}, w2, 2);
    b.add_output(!top, "out");
    return b;
  };
  const Circuit all = make().build_all();
  CHECK(all.num_gates() == 3);
  Builder b = make();
  const Circuit c = std::move(b).build();
  REQUIRE(c.num_gates() == 2);
  CHECK(c.num_inputs() == 3);
  CHECK_FALSE(c.find("unused"));
  REQUIRE(c.find("maj"));
  CHECK(*c.find("maj") == c.gate_node(gate_id(0)));  // renumbered, order kept
  CHECK(c.outputs()[0].lit.node() == c.gate_node(gate_id(1)));
  const auto f = c.fanins(gate_id(1));  // sorted: z, then the renumbered maj
  CHECK(std::vector<node_id>(f.begin(), f.end()) == std::vector<node_id>{z.node(), c.gate_node(gate_id(0))});
  CHECK(c.level(c.gate_node(gate_id(1))) == 2);
  CHECK(structurally_equal(c, remove_unreachable(all)));
  check_pruned(c);
}

TEST_CASE("every zoo model holds only reachable gates, and counting equals compile + analyze", "[reachable][models]") {
  for (const std::string& file : zoo()) {
    INFO(file);
    const Model m = load_model(file);
    for (std::int64_t n : {1, 4, 9, 32}) {
      INFO("n = " << n);
      const Circuit c = compile_model(m, n);
      check_pruned(c);
      circuit_stats a = analyze(c);
      a.critical_path.clear();
      CHECK(to_json(a) == to_json(count_model(m, n)));
    }
  }
}

TEST_CASE("every cell holds only reachable gates", "[reachable][cells]") {
  for (const CellInfo& cell : cell_catalog()) {
    INFO(cell.name);
    for (std::uint32_t bits : {1u, 3u, 6u}) {
      INFO("bits = " << bits);
      const Circuit c = cell.build(bits, cell.default_count);
      check_pruned(c);
    }
  }
}

TEST_CASE("Builders on other threads obey the process-wide defaults", "[reachable][builder]") {
  const builder_params saved = default_builder_params();
  builder_params tight = saved;
  tight.max_wires = 12;  // room for the 8 inputs (a unit each), not for the gate of 8 wires
  set_default_builder_params(tight);
  bool refused = false;
  std::thread worker([&] {
    Builder b;  // made without params on a thread that never set its own
    b.add_inputs(8);
    std::vector<Lit> in;
    for (std::uint32_t i = 0; i < 8; ++i) in.push_back(b.input(i));
    const std::vector<std::int64_t> ones(8, 1);
    try {
      b.add_gate(in, ones, 4);
    } catch (const std::length_error&) {
      refused = true;
    }
  });
  worker.join();
  set_default_builder_params(saved);
  CHECK(refused);
  CHECK(default_builder_params().max_wires == saved.max_wires);
}
