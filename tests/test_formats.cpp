// AIGER, BLIF, Verilog and .th: round trips and malformed input.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>

#include "circuits/evaluate.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/blif.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/json_format.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/io/th_format.hpp"
#include "circuits/lower.hpp"
#include "circuits/simulate.hpp"
#include "reference.hpp"

using namespace tcx;
using namespace tcx::test;

namespace {
Circuit random_circuit(std::uint64_t seed, std::uint32_t weight_bits) {
  std::mt19937_64 rng(seed);
  RandomParams p;
  p.inputs = 9;
  p.gates = 30;
  p.outputs = 4;
  p.max_fanin = 7;
  p.weight_bits = weight_bits;
  PlainNetlist n = random_netlist(rng, p);
  n.outputs.push_back(lit_true);
  n.outputs.push_back(Lit(1, true));  // a negated input
  n.outputs.push_back(n.outputs[0]);  // the same literal twice
  return n.build();
}
bool same_function(const Circuit& a, const Circuit& b) {
  return equivalent_by_simulation(a, b).verdict == equiv_result::equal;
}
std::string error_of(auto&& read) {
  try {
    read();
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("AIGER ASCII and binary round trips", "[formats][aiger]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    Circuit c = random_circuit(seed, seed * 7);
    Circuit aig = lower_to_and_network(c);
    for (bool binary : {false, true}) {
      Circuit back = read_aiger(write_aiger(aig, binary), "x.aig");
      CHECK(back.num_inputs() == c.num_inputs());
      CHECK(back.num_outputs() == c.num_outputs());
      CHECK(same_function(c, back));
    }
  }
  CHECK_THROWS_AS(write_aiger(random_circuit(1, 3), false), std::invalid_argument);
}

TEST_CASE("BLIF and .th round trips; Verilog is written", "[formats][blif][th]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    Circuit c = random_circuit(seed, seed * 13);
    Circuit aig = lower_to_and_network(c);
    CHECK(same_function(c, read_blif(write_blif(aig), "x.blif")));
    Circuit th = read_th(write_th(c), "x.th");
    CHECK(same_function(c, th));
    std::string v = write_verilog(aig);
    CHECK(v.find("module tcx(") != std::string::npos);
    CHECK(v.find("endmodule") != std::string::npos);
  }
}

TEST_CASE("BLIF covers: on-set, off-set, don't cares, constants, any order", "[formats][blif]") {
  Circuit c = read_blif(
      ".model t\n.inputs a b c\n.outputs f g k z\n"
      ".names t1 c f\n1- 1\n-1 1\n"      // f = t1 | c, t1 defined later
      ".names a b t1\n11 1\n"            // t1 = a & b
      ".names a b \\\n  g\n00 0\n"       // g = !( !a & !b ) = a | b, with a continuation line
      ".names k\n1\n"                     // constant 1
      ".names z\n"                        // constant 0
      ".end\n",
      "t.blif");
  for (std::uint64_t p = 0; p < 8; ++p) {
    bool a = p & 1, b = p & 2, cc = p & 4;
    auto out = evaluate_pattern(c, p);
    CHECK(out[0] == ((a && b) || cc));
    CHECK(out[1] == (a || b));
    CHECK(out[2] == 1);
    CHECK(out[3] == 0);
  }
}

TEST_CASE("BLIF of yosys write_blif -conn: .conn buffers; .cname, .attr, .param skipped", "[formats][blif]") {
  // As yosys 0.23 writes it with -conn -cname -attr -param -iname -iattr: a .conn joins the
  // second net to the first (z = t, w = a), annotations follow the cover they name.
  const std::string head = ".model top\n.inputs a b c\n.outputs y z w\n.names $false\n.names $true\n1\n.names $undef\n";
  const std::string conn = head +
                           ".names a b t\n11 1\n.cname $auto$simplemap.cc:86:simplemap_bitop$80\n.attr src \"t.v:2.12-2.17\"\n"
                           ".names t c y\n1- 1\n-1 1\n.cname $or$81\n.param WIDTH 00000000000000000000000000000001\n"
                           ".conn a w\n.conn t z\n.end\n";
  const Circuit c = read_blif(conn, "conn.blif");
  REQUIRE(c.num_inputs() == 3);
  REQUIRE(c.num_outputs() == 3);
  for (std::uint64_t p = 0; p < 8; ++p) {  // by hand: y = a b + c, z = a b, w = a
    const bool a = p & 1, b = p & 2, cc = p & 4;
    const auto out = evaluate_pattern(c, p);
    CHECK(out[0] == ((a && b) || cc));
    CHECK(out[1] == (a && b));
    CHECK(out[2] == a);
  }
  // The same netlist as write_blif without -conn writes it: each .conn a buffer cover.
  const Circuit buffers =
      read_blif(head + ".names a b t\n11 1\n.names t c y\n1- 1\n-1 1\n.names a w\n1 1\n.names t z\n1 1\n.end\n", "plain.blif");
  CHECK(same_function(c, buffers));
  // A .conn defines its second net like any driver: once, from a defined signal, on one line.
  const std::string io = ".model t\n.inputs a b\n.outputs f\n";
  CHECK(error_of([&] { read_blif(io + ".conn a\n.end\n", "t.blif"); }) ==
        "t.blif:4:1: .conn needs two signals: the driver and the net it drives");
  CHECK(error_of([&] { read_blif(io + ".conn a f\n.conn b f\n.end\n", "t.blif"); }) == "t.blif:5:9: 'f' is defined twice");
  CHECK(error_of([&] { read_blif(io + ".conn q f\n.end\n", "t.blif"); }) == "t.blif:4:7: undefined signal 'q'");
  CHECK(error_of([&] { read_blif(io + ".conn f f\n.end\n", "t.blif"); }).find("cycle: f -> f") != std::string::npos);
}

TEST_CASE("netlist readers report undefined signals and cycles by name", "[formats][errors]") {
  // a second model after .end (hierarchical BLIF) was dropped unseen
  CHECK(error_of([] { read_blif(".model t\n.inputs a\n.outputs f\n.names a f\n1 1\n.end\n.model u\n.end\n", "t.blif"); }) ==
        "t.blif:7:1: '.model' after .end: tcx reads one flat model per file");
  CHECK(error_of([] { read_blif(".model t\n.inputs a\n.outputs f\n.names a q f\n11 1\n.end\n", "t.blif"); }) ==
        "t.blif:4:10: undefined signal 'q'");
  CHECK(error_of([] {
          read_blif(".model t\n.inputs a\n.outputs f\n.names a g f\n11 1\n.names f g\n1 1\n.end\n", "t.blif");
        }).find("cycle: ") != std::string::npos);
  CHECK(error_of([] { read_blif(".model t\n.latch a b\n", "t.blif"); }) ==
        "t.blif:2:1: '.latch' is not supported (combinational, flat BLIF only)");
  CHECK(error_of([] { read_blif(".model t\n.inputs a\n.outputs f\n.names a f\n2 1\n", "t.blif"); }) ==
        "t.blif:5:1: cube entries are 0, 1 or -");
  CHECK(error_of([] { read_th("x\n.input 1\n.output 3\n.threshold 1 3\n1\n.end\n", "t.th"); }) ==
        "t.th:5:1: expected 1 weights and a threshold, found 1 numbers");
  CHECK(error_of([] { read_th("x\n.input 1\n.output 3\n.threshold 1 3\n1 x\n.end\n", "t.th"); }) ==
        "t.th:5:3: expected an integer threshold");
  CHECK(error_of([] { read_aiger("aag 1 1 1 0 0\n2\n", "t.aag"); }).find("latches") != std::string::npos);
  CHECK(error_of([] { read_aiger("aag 2 1 0 1 1\n2\n4\n5 4 2\n", "t.aag"); }).find("left-hand side must be an even literal") !=
        std::string::npos);
  CHECK(error_of([] { read_aiger("aag 9999999 9999999 0 0 0\n", "t.aag"); }).find("more objects than the file") !=
        std::string::npos);
  CHECK(error_of([] { read_aiger("aig 2 1 0 1 1\n4\n", "t.aig"); }).find("truncated") != std::string::npos);
  CHECK(error_of([] { read_aiger("hello", "t.aig"); }).find("not an AIGER file") != std::string::npos);
}

TEST_CASE("a threABC-style .th file loads with buffered outputs and gates in any order", "[formats][th]") {
  // Buffer for the output first, its fan-in gate later; weights as in the published files.
  Circuit c = read_th(
      "Threshold logic gate list written by NZ.\n.model rand.th\n.input 1 2 3\n.output 4\n"
      ".threshold 5 4\n1 1\n.threshold 1 2 3 5\n2 -1 1 2\n.end\n",
      "t.th");
  for (std::uint64_t p = 0; p < 8; ++p) {
    int sum = 2 * int(p & 1) - int((p >> 1) & 1) + int((p >> 2) & 1);
    CHECK(evaluate_pattern(c, p)[0] == (sum >= 2));
  }
}

TEST_CASE("mutated files give an error or a circuit that round-trips, never a crash", "[formats][fuzz]") {
  // Every reader on random byte mutations of valid files: each result must be one clear
  // ParseError or a circuit, and every circuit accepted must survive its own format: written,
  // read back, and equal by exhaustive simulation. (Sanitizer builds make this test stricter.)
  Circuit c = random_circuit(3, 40);
  Circuit aig = lower_to_and_network(c);
  struct Format {
    std::string text;
    std::function<Circuit(const std::string&)> read;
    std::function<std::string(const Circuit&)> write;
  };
  const std::vector<Format> formats = {
      {write_aiger(aig, false), [](const std::string& s) { return read_aiger(s, "f.aag"); },
       [](const Circuit& x) { return write_aiger(lower_to_and_network(x), false); }},
      {write_aiger(aig, true), [](const std::string& s) { return read_aiger(s, "f.aig"); },
       [](const Circuit& x) { return write_aiger(lower_to_and_network(x), true); }},
      {write_blif(aig), [](const std::string& s) { return read_blif(s, "f.blif"); },
       [](const Circuit& x) { return write_blif(lower_to_and_network(x)); }},
      {write_th(c), [](const std::string& s) { return read_th(s, "f.th"); }, [](const Circuit& x) { return write_th(x); }},
  };
  std::mt19937_64 rng(99);
  const std::string alphabet = "0123456789 \n-.!@#=+abcx\\\"\x01\xff";
  int parsed = 0, rejected = 0;
  for (const Format& f : formats)
    for (int rep = 0; rep < 400; ++rep) {
      std::string m = mutate(f.text, rng, alphabet);
      if (rng() % 5 == 0) m.resize(rng() % (m.size() + 1));  // truncated
      std::optional<Circuit> got;
      try {
        got = f.read(m);
      } catch (const ParseError& e) {
        ++rejected;
        // One printable line: no raw control bytes of the input in the message.
        for (char ch : std::string(e.what())) CHECK(static_cast<unsigned char>(ch) >= 32);
        continue;
      }
      ++parsed;
      const Circuit back = f.read(f.write(*got));
      REQUIRE(back.num_inputs() == got->num_inputs());
      REQUIRE(back.num_outputs() == got->num_outputs());
      if (got->num_inputs() <= 20) CHECK(same_function(*got, back));
    }
  CHECK(parsed > 50);
  CHECK(rejected > 100);
}

TEST_CASE("JSON circuits read back what to_json writes; bad documents are one clear error", "[formats][json]") {
  // Weights of up to 70 bits: beyond 2^53 the writer uses decimal strings.
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const Circuit c = random_circuit(seed, static_cast<std::uint32_t>(seed * 12));
    const Circuit back = read_json_circuit(to_json(c).dump(1), "c.json");
    CHECK(back.num_inputs() == c.num_inputs());
    CHECK(back.num_outputs() == c.num_outputs());
    CHECK(same_function(c, back));
  }
  auto io_error = [](const std::string& text) {
    try {
      read_json_circuit(text, "c.json");
    } catch (const IoError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  const std::string head = R"({"format": "tcx-circuit", "version": 1, "inputs": [{"id": 1}, {"id": 2}], )";
  CHECK(io_error(R"({"format": "other"})") == "c.json: /format: not \"tcx-circuit\": not a tcx JSON circuit");
  CHECK(io_error(R"({"format": "tcx-circuit", "inputs": [], "gates": [], "outputs": []})") ==
        "c.json: /version: missing (this reader takes version 1)");
  CHECK(io_error(R"({"format": "tcx-circuit", "version": 2, "inputs": [], "gates": [], "outputs": []})") ==
        "c.json: /version: unsupported format version 2 (this reader takes version 1)");
  CHECK(io_error(head + R"("gates": [{"id": 3, "fanins": [1], "weights": [")" + std::string(100001, '7') +
                 R"("], "threshold": 1}], "outputs": []})") == "c.json: /gates/0/weights/0: an integer of 100001 digits; the limit is 100000");
  CHECK(io_error(head + R"("gates": [{"id": 3, "fanins": [1, 4], "weights": [1, 1], "threshold": 1}], "outputs": []})") ==
        "c.json: /gates/0/fanins/1: not the id of an earlier node (0..2)");
  CHECK(io_error(head + R"("gates": [{"id": 4, "fanins": [1], "weights": [1], "threshold": 1}], "outputs": []})") ==
        "c.json: /gates/0/id: expected 3 (0 is the constant, then the inputs, then the gates in order)");
  CHECK(io_error(head + R"("gates": [{"id": 3, "fanins": [1, 2], "weights": [1], "threshold": 1}], "outputs": []})") ==
        "c.json: /gates/0: fanins and weights differ in length");
  CHECK(io_error(head + R"("gates": [{"id": 3, "fanins": [1], "weights": [1.5], "threshold": 1}], "outputs": []})") ==
        "c.json: /gates/0/weights/0: not an integer (a JSON integer, or a decimal string)");
  CHECK(io_error(head + R"("gates": [], "outputs": [{"node": 9}]})") == "c.json: /outputs/0/node: not the id of an earlier node (0..2)");
  CHECK(io_error(head + R"("outputs": []})") == "c.json: no \"gates\" array");
  // A syntax error: file:line:col of where the parser stopped.
  CHECK(error_of([] { read_json_circuit("{\"format\": \"tcx-circuit\", \"version\": 1,\n  \"inputs\": [x]}", "c.json"); })
            .rfind("c.json:2:14: invalid JSON", 0) == 0);
  // A gate given with its output negated and a string weight beyond 2^53, as the writer puts them.
  const Circuit big = read_json_circuit(head + R"("gates": [{"id": 3, "fanins": [1, 2], "weights": ["18014398509481984", "-1"],
      "threshold": "18014398509481984"}], "outputs": [{"node": 3, "negated": true}, {"node": 0}]})", "c.json");
  REQUIRE(big.num_outputs() == 2);
  for (std::uint64_t q = 0; q < 4; ++q) {  // !(2^54 x1 - x2 >= 2^54) = !(x1 & !x2); the constant false
    CHECK(eval_by_weights(big, q)[0] == !((q & 1u) && !(q & 2u)));
    CHECK(eval_by_weights(big, q)[1] == false);
  }

  // Mutations: one error line or a circuit that round-trips, never a crash.
  std::mt19937_64 rng(7);
  const std::string text = to_json(random_circuit(3, 60)).dump(1);
  int parsed = 0, rejected = 0;
  for (int rep = 0; rep < 300; ++rep) {
    std::string m = mutate(text, rng, "0123456789 \n-.,:[]{}\"abcx\x01\xff");
    if (rng() % 5 == 0) m.resize(rng() % (m.size() + 1));
    std::string error;
    try {
      const Circuit got = read_json_circuit(m, "m.json");
      ++parsed;
      const Circuit back = read_json_circuit(to_json(got).dump(), "m.json");
      REQUIRE(back.num_inputs() == got.num_inputs());
      CHECK(same_function(got, back));
      continue;
    } catch (const ParseError& e) {
      error = e.what();
    } catch (const IoError& e) {
      error = e.what();
    }
    ++rejected;
    for (char ch : error) CHECK(static_cast<unsigned char>(ch) >= 32);
  }
  CHECK(parsed > 10);
  CHECK(rejected > 100);
}


TEST_CASE("names every text format can write: control characters refused; JSON errors placed", "[formats][errors]") {
  Builder b;
  CHECK_THROWS_WITH(b.add_input("a\nb"), Catch::Contains("control character (byte 0x0a at 1)"));
  const Lit x = b.add_input("x");
  CHECK_THROWS_WITH(b.add_output(x, std::string("o\0p", 3)), Catch::Contains("byte 0x00 at 1"));
  CHECK_THROWS_WITH(b.set_name(x.node(), "tab\there"), Catch::Contains("byte 0x09 at 3"));
  b.add_output(x, "ok name with \"quotes\" and spaces");
  const Circuit c = std::move(b).build();
  CHECK(read_tc(write_tc(c), "c.tc").name(c.input_node(0)) == "x");  // what is accepted reads back
  auto json_error = [](const std::string& text) {
    try {
      read_json_circuit(text, "c.json");
    } catch (const ParseError& e) {  // syntax: file:line:col
      return std::string(e.what());
    } catch (const IoError& e) {  // content: file: JSON pointer
      return std::string(e.what());
    }
    return std::string("read");
  };
  const std::string head = R"({"format": "tcx-circuit", "version": 1, "inputs": [)";
  CHECK_THAT(json_error(head + R"({"id": 1, "name": "a\nb"}], "gates": [], "outputs": []})"),
             Catch::Contains("/inputs/0/name") && Catch::Contains("control character"));
  CHECK_THAT(json_error(head + R"({"id": 1, "name": "a"}, {"id": 2, "name": "a"}], "gates": [], "outputs": []})"),
             Catch::Contains("/inputs/1/name") && Catch::Contains("names another node already"));
  CHECK_THAT(json_error(head + R"({"id": 1}], "gates": [{"id": 2, "fanins": [1], "weights": [1e400], "threshold": 1}], "outputs": []})"),
             Catch::StartsWith("c.json:1:") && Catch::Contains("a number too large for a double (1e400)"));
}
