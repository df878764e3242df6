// The .tc reader and writer: exact round trips and one clear error per malformed input.
#include <catch2/catch.hpp>

#include "circuits/evaluate.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/simulate.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

namespace {
Circuit named_random(std::mt19937_64& rng, std::uint32_t weight_bits) {
  RandomParams p;
  p.inputs = 7;
  p.gates = 60;
  p.weight_bits = weight_bits;
  Circuit plain = random_netlist(rng, p).build();
  // Re-create with a mix of named and anonymous nodes and named outputs.
  Builder b;
  for (std::uint32_t i = 0; i < plain.num_inputs(); ++i) {
    if (i % 3 == 1) b.add_inputs(1);
    else b.add_input(i == 5 ? "in put \"5\"" : "x" + std::to_string(i));
  }
  for (gate_id g : plain.gates()) {
    std::vector<Lit> f;
    for (node_id n : plain.fanins(g)) f.push_back(Lit(n, false));
    std::vector<mpz_class> w;
    for (std::uint32_t k = 0; k < f.size(); ++k) w.push_back(plain.weight(g, k));
    Lit l = b.add_gate(f, w, plain.threshold(g));
    if (g.v % 2 == 0 && !l.negated() && !l.is_constant()) b.set_name(l.node(), "g_" + std::to_string(g.v));
  }
  std::uint32_t k = 0;
  for (const Output& o : plain.outputs()) b.add_output(o.lit, (k++ % 2) ? "" : "out" + std::to_string(k));
  b.add_output(lit_true, "one");
  b.add_output(lit_false);
  return std::move(b).build();
}

std::string error_of(const std::string& text, tc_reader_params p = {}) {
  try {
    read_tc(text, "t.tc", p);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("write then read gives the same circuit, and the same text again", "[tc]") {
  std::mt19937_64 rng(GENERATE(1, 2, 3, 4, 5));
  for (std::uint32_t bits : {1u, 5u, 31u, 40u, 100u}) {
    Circuit c = named_random(rng, bits);
    std::string text = write_tc(c);
    Circuit d = read_tc(text, "roundtrip.tc");
    REQUIRE(structurally_equal(c, d));
    CHECK(write_tc(d) == text);
    for (std::uint64_t pat = 0; pat < 128; ++pat) CHECK(evaluate_pattern(c, pat) == evaluate_pattern(d, pat));
  }
}

TEST_CASE("the examples load and compute what their comments say", "[tc][examples]") {
  const std::string dir = TCX_SOURCE_DIR "/examples/";
  Circuit maj = read_tc_file(dir + "majority3.tc");
  for (std::uint64_t p = 0; p < 8; ++p) CHECK(evaluate_pattern(maj, p)[0] == (std::popcount(p) >= 2));
  Circuit par = read_tc_file(dir + "parity4_depth2.tc");
  CHECK(par.depth() == 2);
  for (std::uint64_t p = 0; p < 16; ++p) CHECK(evaluate_pattern(par, p)[0] == (std::popcount(p) % 2));
  Circuit cmp = read_tc_file(dir + "compare4.tc");
  for (std::uint64_t p = 0; p < 256; ++p) CHECK(evaluate_pattern(cmp, p)[0] == ((p & 15) >= (p >> 4)));
  // Hand-written examples are already in normal form: exporting reproduces them modulo comments.
  std::string text = read_file(dir + "majority3.tc");
  CHECK(write_tc(maj) == "tcx-circuit 2\ninput a b c\ngate maj = a + b + c >= 2\noutput y = maj\nend\n");
}

TEST_CASE("reader accepts the full syntax", "[tc]") {
  Circuit c = read_tc(
      "# leading comment\n\n"
      "tcx-circuit 1   # header\n"
      "input a b\n"
      "inputs 2\n"
      "input \"odd name\"\n"
      "gate g = 2*a - 3 !b + @3 + 1 >= 1\n"
      "gate @7 = a + b >= 2\n"
      "gate h = -a - b >= -1   # nand, stored as the complement of @7\n"
      "output g\n"
      "output n = h\n"
      "output k = !\"odd name\"\n"
      "output t = true\n",
      "full.tc");
  CHECK(c.num_inputs() == 5);
  CHECK(c.num_gates() == 2);
  CHECK(c.outputs()[1].lit == Lit(7, true));
  for (std::uint64_t p = 0; p < 32; ++p) {
    bool a = p & 1, b = p & 2, x3 = p & 4, odd = p & 16;  // @3 is node 3 = input 2
    int sum = 2 * a - 3 * (!b) + x3 + 1;
    auto out = evaluate_pattern(c, p);
    CHECK(out[0] == (sum >= 1));
    CHECK(out[1] == !(a && b));
    CHECK(out[2] == !odd);
    CHECK(out[3] == 1);
  }
}

TEST_CASE("malformed input: one error naming file:line:col", "[tc][errors]") {
  struct Case {
    std::string text, expected;
  };
  std::vector<Case> cases{
      {"", "t.tc:1:1: empty file"},
      {"# only a comment\n", "t.tc:2:1: empty file"},
      {"tcx-circuit 3\n", "t.tc:1:13: unsupported format version 3 (this tcx reads versions 1 to 2)"},
      {"tcx-circuit 0\n", "t.tc:1:13: unsupported format version 0"},
      {"tcx-circuit 2\ninput a\noutput a\n", "t.tc:4:1: the file ends without its closing 'end' line: it was cut short"},
      {"tcx-circuit 2\ninput a\noutput a\nend\noutput a\n", "t.tc:5:1: a statement after 'end'"},
      {"tcx-circuit 1\ninput a\nend\n\ngate g = a >= 1\n", "t.tc:5:1: a statement after 'end'"},
      {"tcx-circuit 2\ninput a\nend x\n", "t.tc:3:5: expected end of line, found 'x'"},
      {"tcx-circuit 2\ninput a\nen", "t.tc:3:1: unknown statement 'en'"},
      {"circuit 1\n", "t.tc:1:1: expected the header"},
      {"tcx-circuit 1\ninputs 1000000000\n", "t.tc:2:8: declares 1000000000 inputs; the reader's limit is 16777216"},
      {"tcx-circuit 1\ninputs 99999999999999999999999\n", "t.tc:2:8: integer literal longer than 12 digits"},
      {"tcx-circuit 1\ninput a b\ngate g = a + b >=", "t.tc:3:18: expected a threshold (integer), found end of file"},
      {"tcx-circuit 1\ninput a b\ngate g = a +", "t.tc:3:13: expected a name, @number, true or false, found end of file"},
      {"tcx-circuit 1\ninput a b\ngate g = a + b", "t.tc:3:15: expected '+', '-' or '>=', found end of file"},
      {"tcx-circuit 1\ninput a\ngate g = a + q >= 1\n", "t.tc:3:14: undefined name 'q'"},
      {"tcx-circuit 1\ninput a\ngate g = a + h >= 1\ngate h = a >= 1\n",
       "t.tc:3:14: 'h' is used before its definition at line 4 (gates must be listed in topological order)"},
      {"tcx-circuit 1\ninput a b\ngate g = a + h >= 1\ngate h = g + b >= 1\n", "t.tc:3:14: cycle: "},
      {"tcx-circuit 1\ninput a\ngate g = g + a >= 1\n", "t.tc:3:10: cycle: g -> g"},
      {"tcx-circuit 1\ninput a\ngate g = [[[[[[[[a >= 1\n", "t.tc:3:10: expected a name, @number, true or false, found '['"},
      {"tcx-circuit 1\ninput a a\n", "t.tc:2:9: 'a' is already defined at line 2"},
      {"tcx-circuit 1\ninput a\ngate a = a >= 1\n", "t.tc:3:6: 'a' is already defined at line 2"},
      {"tcx-circuit 1\nwire a\n", "t.tc:2:1: unknown statement 'wire'"},
      {"tcx-circuit 1\ninput a b\ngate g = a + b >= 1\ninput c\n", "t.tc:4:7: inputs must be declared before the first gate"},
      {"tcx-circuit 1\ninput a\n\x01\x02", "t.tc:3:1: expected a statement (input, inputs, gate, output), found byte 0x01"},
      {"tcx-circuit 1\ninput a\noutput @5\n", "t.tc:3:8: node @5 is not defined yet (there are 2 nodes so far)"},
      {"tcx-circuit 1\ninput gate\n", "t.tc:2:7: 'gate' is a keyword and cannot be a name"},
      {"tcx-circuit 1\ninput \"abc\n", "t.tc:2:7: unterminated quoted name"},
      {"tcx-circuit 1\ninput a\noutput a a\n", "t.tc:3:10: expected end of line, found 'a'"},
      {"tcx-circuit 1\ninput a b\ngate @4 = a + b >= 1\n", "t.tc:3:6: an anonymous gate must be numbered with its node id, @3"},
      {"tcx-circuit 1\ninput a b\ngate @3 = a >= 1\n", "t.tc:3:6: anonymous gate @3 is not in normal form"},
      {"tcx-circuit 1\ninput a\noutput = a\n", "t.tc:3:8: expected a name, @number, true or false, found '='"},
  };
  for (const Case& k : cases) {
    INFO(k.text);
    std::string err = error_of(k.text);
    CHECK(err.substr(0, k.expected.size()) == k.expected);
  }
}

TEST_CASE("a file cut short anywhere is refused, not read as a smaller circuit", "[tc][errors]") {
  std::mt19937_64 rng(11);
  const std::string text = write_tc(named_random(rng, 40));
  REQUIRE(text.ends_with("\nend\n"));
  REQUIRE_NOTHROW(read_tc(text, "t.tc"));
  // Every proper prefix, cut at a line boundary or inside a line, fails with one located error
  // (a cut right after "end" still holds the whole circuit).
  for (std::size_t cut = 0; cut + 1 < text.size(); ++cut) {
    INFO("cut at byte " << cut);
    CHECK(error_of(text.substr(0, cut)).rfind("t.tc:", 0) == 0);
  }
  // Version 1 needs no `end`, may have one, and trailing comments are fine after it.
  CHECK(error_of("tcx-circuit 1\ninput a\noutput a\n") == "(no error)");
  CHECK(error_of("tcx-circuit 1\ninput a\noutput a\nend\n") == "(no error)");
  CHECK(error_of("tcx-circuit 2\ninput a\noutput a\nend  # closes\n\n# trailing comment\n") == "(no error)");
  // `end` is a statement, not a reserved name.
  Circuit c = read_tc("tcx-circuit 2\ninput end\ngate g = end >= 1\noutput y = end\nend", "t.tc");
  CHECK(c.num_inputs() == 1);
  CHECK(c.name(c.input_node(0)) == "end");
}

TEST_CASE("hostile sizes are refused quickly", "[tc][errors]") {
  tc_reader_params p;
  p.max_integer_digits = 1000;
  std::string huge = "tcx-circuit 1\ninput a b\ngate g = " + std::string(5'000'000, '7') + " a + b >= 1\n";
  CHECK(error_of(huge, p).rfind("t.tc:3:10: integer literal longer than 1000 digits", 0) == 0);
  // Many moderately big weights are fine and exact.
  std::string big = "tcx-circuit 1\ninput a b\ngate g = " + std::string(900, '9') + " a - " + std::string(900, '9') +
                    " b >= 1\noutput g\n";
  Circuit c = read_tc(big, "big.tc");
  CHECK(evaluate_pattern(c, 1)[0] == 1);
  CHECK(evaluate_pattern(c, 3)[0] == 0);
  CHECK_THROWS_AS(read_tc_file("/nonexistent/x.tc"), IoError);
}

TEST_CASE("mutated .tc files give an error or a circuit, never a crash", "[tc][fuzz]") {
  std::mt19937_64 rng(7);
  const std::string text = write_tc(named_random(rng, 70));
  const std::string alphabet = "0123456789 \n-+>=!@#\"\\ab_[]\x01\xff";
  // Every accepted mutation must round-trip: written, read back, equal by exhaustive simulation.
  int parsed = 0, rejected = 0;
  for (int rep = 0; rep < 1500; ++rep) {
    std::string m = mutate(text, rng, alphabet);
    try {
      const Circuit c = read_tc(m, "f.tc");
      ++parsed;
      const Circuit back = read_tc(write_tc(c), "back.tc");
      REQUIRE(back.num_inputs() == c.num_inputs());
      REQUIRE(back.num_outputs() == c.num_outputs());
      if (c.num_inputs() <= 20) CHECK(equivalent_by_simulation(c, back).verdict == equiv_result::equal);
    } catch (const ParseError& e) {
      CHECK(std::string(e.what()).rfind("f.tc:", 0) == 0);
      ++rejected;
    } catch (const std::exception& e) {
      FAIL("unexpected " << e.what() << " on:\n" << m);
    }
  }
  CHECK(parsed > 50);
  CHECK(rejected > 100);
}

TEST_CASE("leading zeros are decimal, also in big integers", "[tc]") {
  Circuit c = read_tc("tcx-circuit 1\ninput a b\ngate g = 000000000000000000000000000010 a + 0009 b >= 0000000000000000000000000000011\noutput g\n",
                      "z.tc");
  REQUIRE(c.num_gates() == 1);
  CHECK(c.threshold(gate_id(0)) == 11);
  CHECK(c.weight(gate_id(0), 1) == 9);
}
