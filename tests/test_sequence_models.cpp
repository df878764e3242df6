// Transformers and state-space models: compiled circuits against the reference interpreter
// (which evaluates attention pair by pair, with no circuit code), against the task library,
// the depth patterns the theory predicts, and the spec's validation.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "circuits/analysis.hpp"
#include "compilers/family/growth.hpp"
#include "circuits/simulate.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "model_testing.hpp"
#include "test_env.hpp"
#include "tasks/task.hpp"

using namespace tcx;
using tcx::testing::error_path;
using tcx::testing::full_or_light;

namespace {

const std::string dir = std::string(TCX_SOURCE_DIR) + "/examples/models/";

std::vector<Model> sequence_zoo() {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<Model> models;
  for (const std::string& f : files) {
    Model m = load_model(f);
    if (m.kind == Model::Kind::transformer || m.kind == Model::Kind::ssm) models.push_back(std::move(m));
  }
  return models;
}


model_check_result check(const Model& m, std::int64_t n, std::uint32_t exhaustive_bits, std::uint64_t random = 0) {
  const ModelShape shape = shape_at(m, n);
  model_check_params p;
  p.max_exhaustive_bits = exhaustive_bits;
  p.random_inputs = random;
  p.seed = 11;
  return check_model(m, shape, compile_model(m, n), p);
}

std::vector<growth_point> sweep(const Model& m, std::int64_t hi = 64) {
  std::vector<growth_point> pts;
  for (std::int64_t n = 4; n <= hi; n *= 2) {
    const circuit_stats s = count_model(m, n);
    pts.push_back({n, s.depth, s.gates, s.wires});
  }
  return pts;
}

}  // namespace

TEST_CASE("the sequence models in the zoo equal their reference interpreters", "[models][zoo][sequence]") {
  const std::vector<Model> zoo = sequence_zoo();
  CHECK(zoo.size() >= 8);
  for (const Model& m : zoo) {
    INFO(m.name);
    // Exhaustively for every n with n * bits <= 16 (the looped and chain-of-thought models,
    // whose reference runs n passes of n^2 pairs, up to 12 bits), then 10^4 random inputs at
    // n = 64 (those two: 10^4 at n = 16 and 10^3 at n = 64). Under the sanitizers
    // (tests/test_env.hpp): 12 bits (those two: 8), 500 random inputs at n = 64 (those two: 500
    // at n = 16 and 20 at n = 32, where the chain-of-thought reference's n^3 work dominates).
    const bool looped = m.name == "transformer-looped" || m.name == "transformer-cot";
    const std::uint32_t max_bits = looped ? full_or_light(12u, 8u) : full_or_light(16u, 12u);
    for (std::int64_t n = 1; n <= 64; ++n) {
      const std::uint32_t bits = shape_at(m, n).input_bits;
      if (bits > max_bits && n > 1) break;
      INFO("n = " << n);
      const model_check_result r = check(m, n, std::max(bits, max_bits));  // n = 1 always exhaustively
      CHECK(r.exhaustive);
      CHECK(r.agree);
    }
    using runs = std::vector<std::pair<std::int64_t, std::uint64_t>>;
    for (auto [n, count] : looped ? full_or_light(runs{{16, 10000}, {64, 1000}}, runs{{16, 500}, {32, 20}})
                                   : full_or_light(runs{{64, 10000}}, runs{{64, 500}})) {
      INFO("n = " << n);
      const model_check_result r = check(m, n, 0, count);
      CHECK(r.inputs_checked == count);
      CHECK(r.agree);
    }
  }
}

TEST_CASE("depth patterns: Transformers and diagonal SSMs constant, S_5 logarithmic, looped linear", "[models][sequence]") {
  for (const Model& m : sequence_zoo()) {
    INFO(m.name);
    const growth_fit f = fit_growth(sweep(m));
    if (m.name == "ssm-s5" || m.name == "ssm-parity") {
      CHECK(f.depth_kind == "logarithmic");
      CHECK(f.depth_log.a == Approx(2.0));  // one selection (depth 2) per level of the product tree
      CHECK_FALSE(f.consistent_with_tc0);
    } else if (m.name == "transformer-looped" || m.name == "transformer-cot") {
      CHECK(f.depth_kind == "linear");
      CHECK_FALSE(f.consistent_with_tc0);
    } else {
      CHECK(f.depth_kind == "constant");
      CHECK(f.consistent_with_tc0);
    }
  }
  // The looped model's depth follows repeat(n): constant, log, linear.
  Model looped = load_model(dir + "transformer_looped.json");
  std::vector<std::uint64_t> per_pass;
  for (const char* repeat : {"1", "clog2(n)", "n"}) {
    static constexpr std::string_view vars[] = {"n"};
    looped.transformer->repeat = Expr::parse(repeat, vars);
    const growth_fit f = fit_growth(sweep(looped));
    INFO(repeat);
    CHECK(f.depth_kind == (std::string(repeat) == "1" ? "constant" : std::string(repeat) == "n" ? "linear" : "logarithmic"));
  }
}

TEST_CASE("counting equals materializing for the sequence models up to n = 32", "[models][sequence]") {
  for (const Model& m : sequence_zoo()) {
    INFO(m.name);
    for (std::int64_t n : {1, 2, 3, 5, 8, 17, 32}) {
      INFO("n = " << n);
      circuit_stats a = analyze(compile_model(m, n));
      a.critical_path.clear();
      CHECK(to_json(a) == to_json(count_model(m, n)));
    }
  }
}

TEST_CASE("the S_5 state-space model solves the s5 task", "[models][sequence][tasks]") {
  const Model m = load_model(dir + "ssm_s5.json");
  const Task* s5 = find_task("s5");
  REQUIRE(s5);
  for (std::int64_t n : {1, 2, 7, 16, 64}) {
    const TaskParams p = s5->resolve({{"n", n}});
    const Circuit c = compile_model(m, n);
    REQUIRE(c.num_inputs() == s5->input_bits(p));
    REQUIRE(c.num_outputs() == s5->output_bits(p));
    std::mt19937_64 rng(static_cast<std::uint64_t>(n));
    std::vector<Bits> inputs;
    for (int k = 0; k < 2000; ++k) inputs.push_back(s5->random_instance(p, rng));
    const auto outs = simulate_patterns(c, inputs);
    for (std::size_t k = 0; k < inputs.size(); ++k) REQUIRE(outs[k] == s5->solve(p, inputs[k]));
  }
}

TEST_CASE("the averaging Transformer computes majority, the monoid SSM parity", "[models][sequence][tasks]") {
  const Model maj = load_model(dir + "transformer_majority.json"), par = load_model(dir + "ssm_parity.json");
  const Task* majority = find_task("majority");
  const Task* parity = find_task("parity");
  REQUIRE(majority);
  REQUIRE(parity);
  for (std::int64_t n : {1, 2, 3, 8, 11, 100}) {
    INFO("n = " << n);
    const TaskParams pm = majority->resolve({{"n", n}}), pp = parity->resolve({{"n", n}});
    const Circuit cm = compile_model(maj, n), cp = compile_model(par, n);
    std::mt19937_64 rng(static_cast<std::uint64_t>(n));
    std::vector<Bits> inputs;
    for (int k = 0; k < 2000; ++k) inputs.push_back(majority->random_instance(pm, rng));
    const auto om = simulate_patterns(cm, inputs), op = simulate_patterns(cp, inputs);
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      REQUIRE(om[k] == majority->solve(pm, inputs[k]));
      REQUIRE(op[k][0] == parity->solve(pp, inputs[k])[0]);  // the image of point 0
    }
  }
}

TEST_CASE("Transformer and SSM specs: errors name the JSON path", "[models][sequence]") {
  const std::string head = R"({"query": {"weights": 0}, "key": {"weights": 0}, "value": {"weights": 1}})";
  auto tf = [&](const std::string& h, const std::string& extra = "") {
    return R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, )" + extra +
           R"("transformer": {"width": 1, "embedding": "j", "blocks": [{"heads": [)" + h + "]}]}}";
  };
  CHECK(error_path(tf(head)) == "");
  CHECK(error_path(tf(R"({"query": {"weights": 0}, "key": {"weights": 0}, "value": {"weights": 1}, "temperature": 1})")) ==
        "/transformer/blocks/0/heads/0/temperature");
  CHECK(error_path(tf(R"({"width": 3, "bits": 3, "query": {"weights": 0}, "key": {"weights": 0}, "value": {"weights": 1}})")) ==
        "/transformer/blocks/0/heads/0/bits");  // 9 bits of query
  CHECK(error_path(tf(R"({"attention": "soft", "query": {"weights": 0}, "key": {"weights": 0}, "value": {"weights": 1}})")) ==
        "/transformer/blocks/0/heads/0/attention");
  CHECK(error_path(tf(R"({"query": {"weights": 0, "activation": "relu"}, "key": {"weights": 0}, "value": {"weights": 1}})")) ==
        "/transformer/blocks/0/heads/0/query/activation");
  CHECK(error_path(tf(head, R"("recurrent": {"hidden": 1, "W": 1, "U": 1}, )")) == "/recurrent");
  CHECK(error_path(tf(head, R"("ssm": {"type": "lti", "a": 1, "b": 1}, )")) == "/ssm");
  CHECK(error_path(R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n", "kind": "sign"}, "transformer": {"width": 1, "embedding": 0, "blocks": [{}]}})") ==
        "/input/kind");
  CHECK(error_path(R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, "transformer": {"width": 1, "embedding": 0, "repeat": "n - 9", "blocks": [{}]}})") ==
        "/transformer/repeat");
  CHECK(error_path(R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, "transformer": {"width": 1, "embedding": 0, "blocks": []}})") ==
        "/transformer/blocks");
  auto ssm = [](const std::string& body, const std::string& number = R"({"format": "integer", "bits": 8, "overflow": "wrap"})") {
    return R"({"tcx-model": 1, "kind": "ssm", "input": {"length": "n"}, "number": )" + number + R"(, "ssm": )" + body + "}";
  };
  CHECK(error_path(ssm(R"({"type": "lti", "a": 3, "b": 1})")) == "");
  CHECK(error_path(ssm(R"({"type": "lti", "a": 3})")) == "/ssm");  // missing b
  CHECK(error_path(ssm(R"({"type": "lti", "a": 3, "b": 1, "points": 4})")) == "/ssm/points");
  CHECK(error_path(ssm(R"({"type": "lti", "a": 3, "b": 1})", R"({"bits": 8, "frac": 2})")) == "/number/frac");
  // Saturating arithmetic has no closed form: allowed only when nothing can overflow.
  CHECK(error_path(ssm(R"({"type": "lti", "a": 3, "b": 1})", R"({"format": "integer", "bits": 8})"), 4) == "");
  CHECK(error_path(ssm(R"({"type": "lti", "a": 3, "b": 1})", R"({"format": "integer", "bits": 8})"), 6) == "/number/overflow");
  CHECK(error_path(ssm(R"({"type": "selective", "a": 2, "b": 1})", R"({"format": "integer", "bits": 8})"), 8) == "/number/overflow");
  CHECK(error_path(ssm(R"({"type": "monoid", "points": 3, "maps": "i + j"})")) == "/ssm/maps");  // image 3 is no point
  CHECK(error_path(R"({"tcx-model": 1, "kind": "ssm", "input": {"length": "n"}, "ssm": {"type": "monoid", "points": 2}, "layers": [{"out": 1, "weights": 1}]})") ==
        "/layers");
}

TEST_CASE("attention semantics: leftmost tie-break, causal masking, exact averaging", "[models][sequence]") {
  // Coordinate 0 holds the token, coordinate 1 holds 3 * position; the head's value is
  // coordinate 1, added back to coordinate 1. Query 1 (or 0: all scores equal), key = token.
  auto run = [](const std::string& attention, bool causal, int query, const std::string& rounding) {
    const Model m = parse_model(R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n", "token_bits": 2},
      "number": {"format": "integer", "bits": 6, "rounding": ")" + rounding + R"("}, "transformer": {"width": 2,
      "embedding": "i == 0 ? j : 0", "position": "i == 1 ? 3 * j : 0", "readout": "all",
      "blocks": [{"heads": [{"attention": ")" + attention + R"(", "causal": )" + (causal ? "true" : "false") +
                                R"(, "width": 1, "bits": 3, "query": {"weights": 0, "bias": )" + std::to_string(query) +
                                R"(}, "key": {"weights": "i == 0"}, "value": {"weights": "j == 1 ? i == 1 : 0"}}]}]}})");
    const Bits in{0, 1, 0, 0, 1, 1, 1, 1};  // tokens (2 bits, LSB first): 2 0 3 3
    const Bits out = simulate_patterns(compile_model(m, 4), {in})[0];
    CHECK(ModelInterpreter(m, shape_at(m, 4)).run(in) == out);
    std::vector<std::int64_t> coord1;
    for (std::size_t pos = 0; pos < 4; ++pos) {
      std::int64_t x = 0;
      for (std::uint32_t k = 0; k < 6; ++k) x |= std::int64_t(out[(pos * 2 + 1) * 6 + k]) << k;
      coord1.push_back(x >= 32 ? x - 64 : x);
    }
    return coord1;
  };
  using V = std::vector<std::int64_t>;
  // Unique, causal: position 3 sees scores 2 0 3 3 and takes the leftmost 3 (position 2: 6).
  CHECK(run("unique", true, 1, "nearest") == V{0, 3 + 0, 6 + 6, 9 + 6});
  // Unique over all positions: everyone takes position 2.
  CHECK(run("unique", false, 1, "nearest") == V{0 + 6, 3 + 6, 6 + 6, 9 + 6});
  // Query 0: every score is 0 and the leftmost position is 0.
  CHECK(run("unique", true, 0, "nearest") == V{0, 3, 6, 9});
  // Averaging with all scores equal: the mean of 0 3 6 9 is 4.5, 0 3 is 1.5, 0 3 6 is 3.
  CHECK(run("average", false, 0, "nearest") == V{0 + 5, 3 + 5, 6 + 5, 9 + 5});
  CHECK(run("average", false, 0, "floor") == V{0 + 4, 3 + 4, 6 + 4, 9 + 4});
  CHECK(run("average", true, 0, "nearest") == V{0, 3 + 2, 6 + 3, 9 + 5});
  CHECK(run("average", true, 0, "floor") == V{0, 3 + 1, 6 + 3, 9 + 4});
  // Averaging over the maximizers only: position 3 averages the two 3s (positions 2, 3: 6 and 9).
  CHECK(run("average", true, 1, "floor") == V{0, 3 + 0, 6 + 6, 9 + 7});
}

TEST_CASE("chain of thought feeds each readout back as the next token", "[models][sequence]") {
  const Model m = load_model(dir + "transformer_cot.json");
  for (std::int64_t n : {1, 2, 5, 9}) {
    INFO("n = " << n);
    const Circuit c = compile_model(m, n);
    REQUIRE(c.num_outputs() == std::uint64_t(n));  // cot(n) = n tokens of 1 bit
    for (std::uint64_t x = 0; x < (std::uint64_t(1) << n); ++x) {
      Bits in(static_cast<std::size_t>(n));
      for (std::int64_t i = 0; i < n; ++i) in[static_cast<std::size_t>(i)] = (x >> i) & 1u;
      // Written out by hand: each new token is [last token == first token].
      Bits want;
      std::uint8_t last = in.back();
      for (std::int64_t t = 0; t < n; ++t) {
        last = last == in[0] ? 1 : 0;
        want.push_back(last);
      }
      REQUIRE(simulate_patterns(c, {in})[0] == want);
    }
  }
  // The depth follows the number of steps.
  Model fixed = m;
  static constexpr std::string_view vars[] = {"n"};
  fixed.transformer->cot = Expr::parse("2", vars);
  CHECK(fit_growth(sweep(fixed)).depth_kind == "constant");
  CHECK(error_path(R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, "transformer": {"width": 1, "embedding": 0, "cot": "n", "blocks": [{}]}})") ==
        "/layers");  // the readout must give a token of bits
  CHECK(error_path(R"({"tcx-model": 1, "kind": "transformer", "input": {"length": "n"}, "transformer": {"width": 1, "embedding": 0, "readout": "all", "cot": 2, "blocks": [{}]}, "layers": [{"out": 1, "weights": 1, "activation": "step"}]})") ==
        "/transformer/cot");
}

TEST_CASE("two layers of hard attention decide whether the first token is the majority", "[models][sequence]") {
  const Model m = load_model(dir + "transformer_first_majority.json");
  for (std::int64_t n : {1, 2, 3, 6, 13, 64, 200}) {
    INFO("n = " << n);
    const Circuit c = compile_model(m, n);
    std::mt19937_64 rng(static_cast<std::uint64_t>(n));
    std::vector<Bits> inputs;
    for (int k = 0; k < 3000; ++k) {
      Bits x(static_cast<std::size_t>(n));
      // Balanced and near-balanced inputs are the interesting ones: a random fraction of ones.
      const double p = std::uniform_real_distribution<double>(0, 1)(rng);
      for (auto& bit : x) bit = std::bernoulli_distribution(p)(rng) ? 1 : 0;
      inputs.push_back(x);
    }
    const auto outs = simulate_patterns(c, inputs);
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      const auto same = std::count(inputs[k].begin(), inputs[k].end(), inputs[k][0]);
      REQUIRE(outs[k][0] == (2 * same >= n ? 1 : 0));
    }
  }
}
