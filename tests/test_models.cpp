// Model compilers: expressions, the spec's validation, compiled circuits against the reference
// interpreter, counting against materializing, and the depth patterns the theory predicts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "circuits/analysis.hpp"
#include "compilers/family/growth.hpp"
#include "circuits/io/file.hpp"
#include "circuits/simulate.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "model_testing.hpp"
#include "test_env.hpp"
#include "tasks/task.hpp"

using namespace tcx;
using tcx::testing::error_path;
using tcx::testing::zoo;
using tcx::testing::full_or_light;

namespace {

std::int64_t eval(const std::string& text, std::int64_t n = 0, std::int64_t j = 0, std::int64_t i = 0) {
  static constexpr std::string_view vars[] = {"n", "j", "i"};
  const std::int64_t values[] = {n, j, i};
  return Expr::parse(text, vars).eval(values);
}


std::string mlp(const std::string& layer, const std::string& extra = "") {
  return R"({"tcx-model": 1, "input": {"length": "n"}, )" + extra + R"("layers": [)" + layer + "]}";
}

}  // namespace

TEST_CASE("expressions evaluate exactly with floor semantics", "[models]") {
  CHECK(eval("2 + 3 * 4") == 14);
  CHECK(eval("(2 + 3) * 4") == 20);
  CHECK(eval("2 ^ 3 ^ 2") == 512);  // right associative
  CHECK(eval("-2 ^ 2") == -4);
  CHECK(eval("-7 / 2") == -4);  // floor division
  CHECK(eval("-7 % 2") == 1);
  CHECK(eval("7 % -2") == -1);
  CHECK(eval("log2(n)", 1000) == 9);
  CHECK(eval("clog2(n)", 1000) == 10);
  CHECK(eval("clog2(n)", 1024) == 10);
  CHECK(eval("clog2(1)") == 0);
  CHECK(eval("min(i, j) + max(i, j)", 0, 3, 5) == 8);
  CHECK(eval("abs(j - i)", 0, 3, 5) == 2);
  CHECK(eval("i == j ? 1 : -1", 0, 2, 2) == 1);
  CHECK(eval("i == j ? 1 : -1", 0, 2, 3) == -1);
  CHECK(eval("i < j ? 1 : i > j ? 2 : 3", 0, 2, 2) == 3);
  CHECK(eval("(-1) ^ 5") == -1);
  CHECK(eval("2 ^ 62") == (std::int64_t(1) << 62));
  // ceil(1.5 * log2 n) as the docs write it: ceil(clog2(n^3) / 2)
  for (std::int64_t n = 1; n <= 200; ++n) CHECK(eval("(clog2(n ^ 3) + 1) / 2", n) == std::int64_t(std::ceil(1.5 * std::log2(double(n)) - 1e-12)));
}

TEST_CASE("expression errors name the column", "[models]") {
  auto col = [](const std::string& text) -> std::uint32_t {
    try {
      eval(text, 8);
    } catch (const ExprError& e) {
      return e.col;
    }
    return 0;
  };
  CHECK(col("n + k") == 5);         // unknown name
  CHECK(col("n + ") == 5);          // missing operand
  CHECK(col("(n + 1") == 7);        // missing ')'
  CHECK(col("n / (n - 8)") == 3);   // division by zero at the operator
  CHECK(col("2 ^ 64") == 3);        // overflow
  CHECK(col("log2(n - 8)") == 1);   // log of zero
  CHECK(col("foo(n)") == 1);        // unknown function
  CHECK(col("99999999999999999999") == 1);
  CHECK(col("n n") == 3);
}

TEST_CASE("bad model specs name the JSON path", "[models]") {
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1})")) == "");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1, "colour": 3})")) == "/layers/0/colour");
  CHECK(error_path(mlp(R"({"out": "1", "weights": 1})", R"("extra": 1, )")) == "/extra");
  CHECK(error_path(mlp(R"({"out": true, "weights": 1})")) == "/layers/0/out");
  CHECK(error_path(mlp(R"({"out": "n - 5", "weights": 1})")) == "/layers/0/out");   // negative at n = 4
  CHECK(error_path(mlp(R"({"out": "n + q", "weights": 1})")) == "/layers/0/out");   // unknown name
  CHECK(error_path(mlp(R"({"out": 1})")) == "/layers/0");                           // missing weights
  CHECK(error_path(mlp(R"({"out": 1, "weights": {"values": [[1, 2]]}})")) == "/layers/0/weights");  // too short for n = 4
  CHECK(error_path(mlp(R"({"out": 1, "weights": {"random": {"seed": 1, "min": 3, "max": 2}}})")) == "/layers/0/weights/random/max");
  CHECK(error_path(mlp(R"({"out": 1, "weights": {"random": {"seed": 1, "min": 0, "max": 2, "density": 2}}})")) ==
        "/layers/0/weights/random/density");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1, "activation": "tanh"})")) == "/layers/0/activation");
  CHECK(error_path(mlp(R"({"out": 1, "weights": "2^63 - 1"})")) == "/layers/0/weights");  // beyond 2^62
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1, "bias": "-(2^62) - 1"})")) == "/layers/0/bias");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 2, "activation": "sign", "binarized": true})")) == "/layers/0/binarized");  // bit inputs
  CHECK(error_path(R"({"tcx-model": 1, "input": {"length": "n", "kind": "sign"}, "layers": [{"out": 1, "weights": 2, "activation": "sign", "binarized": true}]})") ==
        "/layers/0");  // weight 2 is not +-1
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1})", R"("number": {"bits": 5000}, )")) == "/number/bits");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1})", R"("number": {"bits": 4, "frac": 4}, )")) == "/number/frac");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1})", R"("number": {"format": "integer", "bits": 4, "frac": 1}, )")) == "/number/frac");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1, "activation": "relu", "batchnorm": {}})")) == "/layers/0/batchnorm");
  CHECK(error_path(mlp(R"({"out": 1, "weights": 1, "activation": "step", "batchnorm": {"gamma": 1, "beta": 0, "mean": 0, "var": 0}})")) ==
        "/layers/0/batchnorm/var");  // var + epsilon = 0
  CHECK(error_path(R"({"tcx-model": 2, "input": {"length": 1}, "layers": []})") == "/tcx-model");
  CHECK(error_path(R"({"tcx-model": 1, "input": {"length": 1}, "layers": []})") == "/layers");
  CHECK(error_path(R"({"tcx-model": 1, "kind": "rnn", "input": {"length": "n"}, "recurrent": {"hidden": 2, "W": 1, "U": 1, "h0": 3, "activation": "step"}})") ==
        "/recurrent/h0");  // 3 is not a bit
  CHECK(error_path(R"({"tcx-model": 1, "kind": "rnn", "input": {"length": "n", "kind": "number"}, "recurrent": {"hidden": 2, "W": 1, "U": 1, "activation": "step"}})") ==
        "/input/kind");
  CHECK(error_path(R"([1, 2])") == "");  // not an object: the root path
  CHECK_THROWS_AS(parse_model("{\n  \"tcx-model\": 1,\n  \"input\": {\"length\": }\n}", "bad.json"), ParseError);
  try {
    parse_model("{\n  \"tcx-model\": 1,\n  \"input\": {\"length\": }\n}", "bad.json");
  } catch (const ParseError& e) {
    CHECK(e.line == 3);
    CHECK(e.col == 23);
  }
}

TEST_CASE("a formula error is reported for the first neuron it hits, whether weights are evaluated in parallel or not", "[models]") {
  // 6000 neurons of 3 weights: evaluated ahead in parallel. Division by zero at neurons 4000 and
  // 4500 (and a binarized weight of 2 at neuron 4200, checked while building): the first in
  // order, neuron 4000, is the one reported.
  const std::string spec = R"JSON({"tcx-model": 1, "input": {"length": "n", "kind": "sign"}, "layers": [
    {"out": "n", "connect": {"window": 3, "stride": 1}, "binarized": true, "activation": "sign",
     "weights": "j == 4200 ? 2 : 1 / (1 - ((j - 4000) * (j - 4500) == 0))"}]})JSON";
  const Model m = parse_model(spec, "m.json");
  for (std::int64_t n : {6000, 100}) {
    INFO("n = " << n);
    try {
      compile_model(m, n);
      CHECK(n == 100);  // no failing neuron below 4000
    } catch (const ModelError& e) {
      CHECK(n == 6000);
      CHECK(std::string(e.what()).find("j = 4000") != std::string::npos);
    }
  }
}

namespace {

// A random expression over n, j, i using every operator, small constants so that some points
// overflow, divide by zero or take log2 of a non-positive number and others do not.
std::string random_expr(std::mt19937_64& rng, int depth) {
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
  if (depth == 0 || pick(4) == 0) {
    static const char* leaves[] = {"n", "j", "i", "0", "1", "2", "3", "7", "62", "4611686018427387904"};
    return leaves[pick(10)];
  }
  const std::string a = random_expr(rng, depth - 1), b = random_expr(rng, depth - 1);
  static const char* binary[] = {"+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">="};
  static const char* calls[] = {"log2", "clog2", "abs", "min", "max"};
  switch (pick(5)) {
    case 0: return "(" + a + " " + binary[pick(12)] + " " + b + ")";
    case 1: return "(" + a + " " + binary[pick(12)] + " " + b + ")";
    case 2: return "(" + random_expr(rng, depth - 1) + " ? " + a + " : " + b + ")";
    case 3: return "-" + a;
    default: {
      const int f = pick(5);
      return std::string(calls[f]) + "(" + a + (f >= 3 ? ", " + b : "") + ")";
    }
  }
}

}  // namespace

TEST_CASE("many points at once agree with one at a time, and never hide a failing point", "[models]") {
  static constexpr std::string_view vars[] = {"n", "j", "i"};
  std::mt19937_64 rng(12345);
  int all_ok = 0, refused = 0, some_fail = 0;
  for (int e = 0; e < 3000; ++e) {
    const Expr x = Expr::parse(random_expr(rng, 1 + e % 5), vars);
    const std::int64_t n = static_cast<std::int64_t>(rng() % 70);
    // Points in runs longer than a block, and a column of one entry (n) broadcast.
    const std::size_t points = 1 + rng() % 1500;
    std::vector<std::int64_t> j(points), i(points), out(points);
    for (std::size_t k = 0; k < points; ++k) {
      j[k] = static_cast<std::int64_t>(k / 37) - 5;
      i[k] = static_cast<std::int64_t>(rng() % 80) - 20;
    }
    const std::span<const std::int64_t> columns[3] = {std::span<const std::int64_t>(&n, 1), j, i};
    const bool ok = x.eval_many(columns, out);
    bool fails = false;
    for (std::size_t k = 0; k < points; ++k) {
      const std::int64_t values[3] = {n, j[k], i[k]};
      try {
        const std::int64_t v = x.eval(values);
        if (ok && v != out[k]) FAIL(x.text() << " at n=" << n << " j=" << j[k] << " i=" << i[k] << ": " << out[k] << " vs " << v);
      } catch (const ExprError&) {
        fails = true;
      }
    }
    INFO(x.text());
    CHECK(!(ok && fails));  // a failing point always goes one at a time
    ok ? ++all_ok : ++refused;
    some_fail += fails;
  }
  // The random expressions exercise both outcomes.
  CHECK(all_ok > 500);
  CHECK(some_fail > 200);
  CHECK(refused >= some_fail);
}

TEST_CASE("weights and biases fail in the order of evaluation one at a time", "[models]") {
  // 9000 neurons of two weights: a bias fails at neuron 5000, a weight at neurons 5001 and 7000;
  // then a weight first (neuron 4998 reads input 4999). Recurrent weights (W beside U) the same.
  auto first_error = [](const std::string& spec, std::int64_t n) -> std::string {
    try {
      compile_model(parse_model(spec, "m.json"), n);
    } catch (const ModelError& e) {
      return e.what();
    }
    return "";
  };
  const std::string layer = R"({"out": "n", "connect": {"window": 2, "stride": 1}, "activation": "step", )";
  std::string e = first_error(mlp(layer + R"J("weights": "1 / (1 - ((j - 5001) * (j - 7000) == 0) * (i == j))", "bias": "1 / (j - 5000)"})J"), 9000);
  CHECK_THAT(e, Catch::Contains("/layers/0/bias"));
  CHECK_THAT(e, Catch::Contains("j = 5000"));
  e = first_error(mlp(layer + R"J("weights": "1 / (i - 4999)", "bias": "1 / (j - 5000)"})J"), 9000);
  CHECK_THAT(e, Catch::Contains("/layers/0/weights"));
  CHECK_THAT(e, Catch::Contains("j = 4998, i = 4999"));
  const std::string rnn = R"J({"tcx-model": 1, "kind": "rnn", "input": {"length": "n", "width": 2},
    "recurrent": {"hidden": 70, "W": {"formula": "1 / (j * 70 + i - 4000)"}, "U": {"formula": "1 / (j - 30 + 0 * i)"}, "activation": "step"}})J";
  e = first_error(rnn, 3);
  CHECK_THAT(e, Catch::Contains("/recurrent/U"));
  CHECK_THAT(e, Catch::Contains("j = 30, i = 0"));
}

TEST_CASE("a layer built on all cores equals one add_gate per neuron, GMP neurons in their place", "[models]") {
  // 9000 step neurons of 3 inputs: built and normalized in parallel parts. Every seventh neuron
  // has a weight of 2^62, which needs GMP and is added in its turn by the compiling thread; some
  // neurons fold to constants or literals. The circuit must be
  // the one a single thread builds with add_gate, neuron after neuron: the same gate at every
  // node id and the same output literals.
  const std::string spec = mlp(R"JSON({"out": "n", "connect": {"window": 3, "stride": 1}, "activation": "step",
    "weights": "j % 7 == 3 ? (i == j ? 4611686018427387904 : i - j + 1) : (j % 5 == 0 ? 1 : i - j - 1)", "bias": "j % 11 - 6"})JSON");
  const Model m = parse_model(spec, "m.json");
  const std::int64_t n = 9000;
  const Circuit c = compile_model(m, n);
  Builder ref;
  ref.add_inputs(n);
  std::vector<Lit> out;
  for (std::int64_t j = 0; j < n; ++j) {
    std::vector<Lit> x;
    std::vector<mpz_class> w;
    for (std::int64_t i = j; i < std::min(j + 3, n); ++i) {
      x.push_back(ref.input(static_cast<std::uint32_t>(i)));
      const long small = j % 7 == 3 ? i - j + 1 : j % 5 != 0 ? i - j - 1 : 1;
      w.push_back(j % 7 == 3 && i == j ? mpz_class(1) << 62 : mpz_class(small));
    }
    out.push_back(ref.add_gate(x, w, mpz_class(static_cast<long>(-(j % 11 - 6)))));
  }
  CHECK(ref.stats().big_gates > 500);
  CHECK(ref.stats().constant_gates + ref.stats().buffer_gates > 0);
  for (Lit l : out) ref.add_output(l);  // every neuron is an output: nothing is pruned
  const Circuit r = std::move(ref).build();
  REQUIRE(c.num_gates() == r.num_gates());
  for (gate_id g : c.gates()) {
    REQUIRE(c.fanin_count(g) == r.fanin_count(g));
    for (std::uint32_t k = 0; k < c.fanin_count(g); ++k) {
      REQUIRE(c.fanins(g)[k] == r.fanins(g)[k]);
      REQUIRE(c.weight(g, k) == r.weight(g, k));
    }
    REQUIRE(c.threshold(g) == r.threshold(g));
  }
  REQUIRE(c.num_outputs() == out.size());
  for (std::size_t j = 0; j < out.size(); ++j) REQUIRE(c.outputs()[j].lit == out[j]);
}

TEST_CASE("batch normalization is decided exactly, square roots included", "[models]") {
  BatchNorm bn;
  bn.gamma.formula = Expr(1);
  bn.beta.formula = Expr(1);
  bn.mean.formula = Expr(0);
  bn.var.formula = Expr(2);  // z / sqrt(2) + 1 >= 0  <=>  z >= -sqrt(2) = -1.41421...
  CHECK(batchnorm_holds(bn, 1, 0, mpq_class(-1)));
  CHECK(batchnorm_holds(bn, 1, 0, mpq_class(-141421, 100000)));
  CHECK_FALSE(batchnorm_holds(bn, 1, 0, mpq_class(-141422, 100000)));
  CHECK_FALSE(batchnorm_holds(bn, 1, 0, mpq_class(-2)));
  bn.gamma.formula = Expr(-1);  // -z / sqrt(2) + 1 >= 0  <=>  z <= sqrt(2)
  CHECK(batchnorm_holds(bn, 1, 0, mpq_class(141421, 100000)));
  CHECK_FALSE(batchnorm_holds(bn, 1, 0, mpq_class(141422, 100000)));
}

TEST_CASE("every MLP and RNN in the zoo equals its reference interpreter", "[models][zoo]") {
  for (const std::string& file : zoo()) {
    INFO(file);
    const Model m = load_model(file);
    if (m.kind != Model::Kind::mlp && m.kind != Model::Kind::rnn) continue;  // tests/test_sequence_models.cpp
    // Exhaustively for every n with at most 10 input bits (and at least n = 1); under the
    // sanitizers (tests/test_env.hpp) 8 bits, and 5,000 random inputs instead of 10^5.
    const std::uint32_t bits = full_or_light(10u, 8u);
    const std::uint64_t random = full_or_light<std::uint64_t>(100000, 5000);
    for (std::int64_t n = 1; n <= 64; ++n) {
      const ModelShape shape = shape_at(m, n);
      if (shape.input_bits > bits && n > 1) break;
      INFO("n = " << n);
      const Circuit c = compile_model(m, n);
      model_check_params p;
      p.max_exhaustive_bits = bits;
      const model_check_result r = check_model(m, shape, c, p);
      CHECK(r.exhaustive);
      CHECK(r.agree);
    }
    // 10^5 random inputs at a larger n (the fixed-point ReLU network is large: 24).
    const std::int64_t n = m.name == "mlp-relu-fixed" ? 24 : 64;
    INFO("n = " << n);
    const ModelShape shape = shape_at(m, n);
    model_check_params p;
    p.max_exhaustive_bits = 0;
    p.random_inputs = random;
    p.seed = 7;
    const model_check_result r = check_model(m, shape, compile_model(m, n), p);
    CHECK(r.inputs_checked == random);
    CHECK(r.agree);
  }
}

TEST_CASE("a wrong circuit is caught by the model check", "[models]") {
  const Model m = load_model(std::string(TCX_SOURCE_DIR) + "/examples/models/mlp_majority.json");
  const ModelShape shape = shape_at(m, 5);
  // Majority of 5 needs 3 ones; a circuit that asks for 2 must be told apart.
  Builder b;
  b.add_inputs(5);
  std::vector<Lit> x;
  for (std::uint32_t i = 0; i < 5; ++i) x.push_back(b.input(i));
  const std::vector<std::int64_t> w(5, 1);
  b.add_output(b.add_gate(x, w, 2));
  const model_check_result r = check_model(m, shape, std::move(b).build());
  CHECK_FALSE(r.agree);
  CHECK(r.input == Bits{1, 1, 0, 0, 0});  // the first pattern (lowest index) with exactly two ones
  CHECK(r.circuit_output == Bits{1});
  CHECK(r.reference_output == Bits{0});
}

TEST_CASE("counting equals materializing on every zoo model up to n = 64", "[models][zoo]") {
  // Under the sanitizers (tests/test_env.hpp) up to n = 16: odd, prime and power-of-two sizes still.
  const std::vector<std::int64_t> sizes = full_or_light(std::vector<std::int64_t>{1, 2, 3, 4, 5, 7, 8, 13, 16, 31, 32, 64},
                                                        std::vector<std::int64_t>{1, 2, 3, 4, 5, 7, 8, 13, 16});
  for (const std::string& file : zoo()) {
    INFO(file);
    const Model m = load_model(file);
    for (std::int64_t n : sizes) {
      INFO("n = " << n);
      circuit_stats a = analyze(compile_model(m, n));
      a.critical_path.clear();
      const circuit_stats b = count_model(m, n);
      CHECK(to_json(a) == to_json(b));
    }
  }
}

TEST_CASE("depth patterns: feed-forward constant, recurrent linear", "[models]") {
  const std::string dir = std::string(TCX_SOURCE_DIR) + "/examples/models/";
  const Model sign = load_model(dir + "mlp_sign.json"), rnn = load_model(dir + "rnn_parity.json");
  std::vector<growth_point> ps, pr;
  for (std::int64_t n = 4; n <= 256; n *= 2) {
    const circuit_stats s = count_model(sign, n), r = count_model(rnn, n);
    CHECK(s.depth == 2);
    CHECK(r.depth == std::uint64_t(n));  // the first step folds into a buffer: n, not n + 1
    ps.push_back({n, s.depth, s.gates, s.wires});
    pr.push_back({n, r.depth, r.gates, r.wires});
  }
  const growth_fit fs = fit_growth(ps), fr = fit_growth(pr);
  CHECK(fs.depth_kind == "constant");
  CHECK(fs.constant_depth == 2);
  CHECK(fs.consistent_with_tc0);
  CHECK(fs.verdict.find("evidence, not proof") != std::string::npos);
  CHECK(fr.depth_kind == "linear");
  CHECK(fr.depth_linear.a == Approx(1.0));
  CHECK_FALSE(fr.consistent_with_tc0);
}

TEST_CASE("growth fits tell constant, logarithmic, linear and exponential apart", "[models]") {
  std::vector<growth_point> c, l, e;
  for (std::int64_t n = 4; n <= 1024; n *= 2) {
    const std::uint64_t lg = static_cast<std::uint64_t>(std::log2(double(n)));
    c.push_back({n, 3, std::uint64_t(n * n), std::uint64_t(n * n * n)});
    l.push_back({n, 2 * lg + 1, std::uint64_t(n), std::uint64_t(n)});
  }
  for (std::int64_t n = 2; n <= 40; n += 4) e.push_back({n, 2, std::uint64_t(1) << n, std::uint64_t(1) << n});
  const growth_fit fc = fit_growth(c), fl = fit_growth(l), fe = fit_growth(e);
  CHECK(fc.depth_kind == "constant");
  CHECK(fc.size_loglog.a == Approx(2.0));
  CHECK(fc.consistent_with_tc0);
  CHECK(fl.depth_kind == "logarithmic");
  CHECK(fl.depth_log.a == Approx(2.0));
  CHECK(fe.depth_kind == "constant");
  CHECK_FALSE(fe.size_polynomial());
  CHECK_FALSE(fe.consistent_with_tc0);
  CHECK(fit_growth(std::vector<growth_point>{{4, 1, 1, 1}}).depth_kind == "unknown");
  CHECK(fe.size_kind == "exponential");
  // Small counts where gates merge (mlp_sign over n = 4..64: 4, 4, 7, 20, 44) favour the exponential
  // fit, but the log-log slope does not climb by a degree between the halves: unclear, neither
  // "faster than any polynomial" nor "consistent with TC^0".
  std::vector<growth_point> merged{{4, 2, 4, 14}, {8, 2, 4, 25}, {16, 2, 7, 88}, {32, 2, 20, 555}, {64, 2, 44, 2402}};
  const growth_fit fm = fit_growth(merged);
  CHECK(fm.size_exp.rms < fm.size_loglog.rms);
  CHECK(fm.size_kind == "unclear");
  CHECK_FALSE(fm.consistent_with_tc0);
  CHECK(fm.verdict.find("undecided") != std::string::npos);
  CHECK(fm.tc0_undecided());
  CHECK(to_json(fm)["consistent_with_tc0"].is_null());  // neither true nor false
  CHECK_FALSE(to_json(fc)["consistent_with_tc0"].is_null());
  // A staircase exponential (doubling every two sizes) stays exponential whether or not the range
  // ends on a flat step; 1000 + n^2 (a polynomial whose constant hides its degree) is unclear.
  for (std::int64_t top : {19, 20}) {
    std::vector<growth_point> stairs;
    for (std::int64_t n = 1; n <= top; ++n) stairs.push_back({n, 2, (std::uint64_t(1) << ((n + 1) / 2)) + 1, 0});
    CHECK(fit_growth(stairs).size_kind == "exponential");
  }
  std::vector<growth_point> offset;
  for (std::int64_t n = 4; n <= 64; n *= 2) offset.push_back({n, 2, std::uint64_t(1000 + n * n), 0});
  CHECK(fit_growth(offset).size_kind == "unclear");
}

TEST_CASE("a constant depth needs a long enough flat stretch; a depth that does not grow is undecided", "[models]") {
  // word_a5's 2*ceil(log2 n) + 3 by steps of one: flat from 9 to 16, less than a doubling.
  std::vector<growth_point> steps, falling, short_flat, doubling;
  for (std::int64_t n = 1; n <= 16; ++n) {
    const auto lg = static_cast<std::uint64_t>(std::ceil(std::log2(static_cast<double>(n))));
    steps.push_back({n, 2 * lg + 3, std::uint64_t(10 * n), 0});
  }
  const growth_fit fs = fit_growth(steps);
  CHECK(fs.depth_kind == "logarithmic");
  CHECK_FALSE(fs.consistent_with_tc0);
  CHECK(fs.verdict.find("too short a stretch to call constant") != std::string::npos);
  // A falling depth (a sweep over a parameter that is not a size) is neither growth nor constant.
  for (std::int64_t n : {2, 4, 8, 16, 32, 64}) falling.push_back({n, std::uint64_t(n < 16 ? 4 : n == 32 ? 0 : 2), 5, 5});
  const growth_fit ff = fit_growth(falling);
  CHECK(ff.depth_kind == "unclear");
  CHECK(ff.tc0_undecided());
  CHECK(to_json(ff)["consistent_with_tc0"].is_null());
  CHECK(ff.verdict.find("depth grows like") == std::string::npos);
  for (std::int64_t n = 4; n <= 7; ++n) short_flat.push_back({n, 2, std::uint64_t(n), 0});
  CHECK(fit_growth(short_flat).depth_kind == "unclear");
  // Flat over exactly a doubling at the top, which is half the range: constant from there.
  for (std::int64_t n : {4, 8, 16}) doubling.push_back({n, std::uint64_t(n == 4 ? 3 : 5), std::uint64_t(n), 0});
  const growth_fit fd = fit_growth(doubling);
  CHECK(fd.depth_kind == "constant");
  CHECK(fd.constant_from == 8);
  // A size slope still climbing is said, not hidden in the fitted degree; a steady one is not.
  std::vector<growth_point> climbing, steady;
  for (std::int64_t n = 4; n <= 1024; n *= 2) {
    climbing.push_back({n, 3, std::uint64_t(n + n * n / 50), 0});
    steady.push_back({n, 3, std::uint64_t(n * n), 0});
  }
  CHECK(fit_growth(climbing).verdict.find("which the fit averages") != std::string::npos);
  CHECK(fit_growth(steady).verdict.find("which the fit averages") == std::string::npos);
}

TEST_CASE("the recurrent parity network computes the parity task", "[models]") {
  const Model m = load_model(std::string(TCX_SOURCE_DIR) + "/examples/models/rnn_parity.json");
  const Task* parity = find_task("parity");
  REQUIRE(parity);
  for (std::int64_t n : {1, 5, 17, 100}) {
    const TaskParams p = parity->resolve({{"n", n}});
    const Circuit c = compile_model(m, n);
    std::mt19937_64 rng(n);
    std::vector<Bits> inputs;
    for (int k = 0; k < 500; ++k) inputs.push_back(parity->random_instance(p, rng));
    const auto outs = simulate_patterns(c, inputs);
    for (std::size_t k = 0; k < inputs.size(); ++k) REQUIRE(outs[k] == parity->solve(p, inputs[k]));
  }
}

TEST_CASE("a counting Builder refuses to build and keeps its bound", "[models][builder]") {
  builder_params p;
  // 880 bytes; a gate reading no gate holds a level, a fan-in count, figures, a fingerprint and a
  // link count, 34 bytes, in segments of 16, 32, ... gates
  p.max_wires = 110;
  Builder b(CountingStore{}, p);
  b.add_inputs(20);
  std::vector<Lit> x;
  for (std::uint32_t i = 0; i < 20; ++i) x.push_back(b.input(i));
  std::int64_t t = 1;
  for (; t <= 20; ++t) {
    try {
      b.add_gate(x, std::vector<std::int64_t>(20, 1), t);
    } catch (const std::length_error&) {
      break;
    }
  }
  // Stopped by the bound (the first segments hold 16 gates in 544 bytes; the next 32 would take
  // 1088 more), after at least 10.
  CHECK(t <= 20);
  CHECK(b.num_gates() == t - 1);
  CHECK(b.num_gates() >= 10);
  CHECK(b.num_wires() == 20 * b.num_gates());
  b.add_gate(x, std::vector<std::int64_t>(20, 1), 5);  // a hash hit costs nothing
  CHECK_THROWS_AS(b.add_gate(x, std::vector<std::int64_t>(20, 1), t), std::length_error);
  CHECK_THROWS_AS(std::move(b).build(), std::logic_error);
}
