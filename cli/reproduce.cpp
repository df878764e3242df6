// `tcx reproduce`: the headline run. For now it builds the classic TC^0 circuits of
// THEORY.md section 4 over a range of n, verifies each exhaustively against plain C++
// arithmetic, and prints their analysis: depth stays fixed while n grows.
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <functional>
#include <iostream>

#include "circuits/analysis.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/growth.hpp"
#include "compilers/models/check.hpp"
#include "compilers/models/compile.hpp"
#include "cli/common.hpp"
#include "compilers/arith/catalog.hpp"
#include "compilers/arith/compare.hpp"
#include "compilers/arith/symmetric.hpp"
#include "tasks/task.hpp"
#include "tcx/version.hpp"

namespace tcx::cli {

namespace {

struct Family {
  std::string name;
  std::function<Circuit(std::uint32_t n)> build;
  std::function<bool(std::uint64_t pattern, std::uint32_t n)> reference;  // the single output
};

std::vector<Family> families() {
  auto single = [](auto cell) {
    return [cell](std::uint32_t n) {
      Builder b;
      Word x = add_input_word(b, n, "x");
      b.add_output(cell(b, x), "y");
      return std::move(b).build();
    };
  };
  return {
      {"majority", single([](Builder& b, const Word& x) { return majority(b, x); }),
       [](std::uint64_t p, std::uint32_t n) { return 2 * std::popcount(p) >= static_cast<int>(n); }},
      {"parity (n+1 gates)", single([](Builder& b, const Word& x) { return parity(b, x); }),
       [](std::uint64_t p, std::uint32_t) { return std::popcount(p) % 2 == 1; }},
      {"parity (skip wires)", single([](Builder& b, const Word& x) { return parity_skip(b, x); }),
       [](std::uint64_t p, std::uint32_t) { return std::popcount(p) % 2 == 1; }},
      {"x >= y (n/2 bits each)",
       [](std::uint32_t n) {
         Builder b;
         Word x = add_input_word(b, n / 2, "x"), y = add_input_word(b, n - n / 2, "y");
         b.add_output(greater_equal(b, x, y), "ge");
         return std::move(b).build();
       },
       [](std::uint64_t p, std::uint32_t n) {
         std::uint32_t h = n / 2;
         return (p & ((1ull << h) - 1)) >= (p >> h);
       }},
  };
}

}  // namespace

void add_reproduce_command(CLI::App& app) {
  struct Opts {
    bool json = false;
    std::uint32_t max_n = 16;
    std::string models = "examples/models";
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("reproduce", "build, verify and analyze the classic TC^0 circuit families");
  cmd->add_flag("--json", o->json, "print JSON instead of tables");
  cmd->add_option("--max-n", o->max_n, "largest n (exhaustive verification: 2^n patterns)")
      ->check(CLI::Range(2, 24));
  cmd->add_option("--models", o->models, "the model zoo to sweep (default examples/models; skipped when absent)");
  cmd->callback([o] {
    nlohmann::json all = nlohmann::json::array();
    if (!o->json)
      std::cout << fmt::format("tcx {} reproduce --max-n {}\n\n{:<24} {:>4} {:>6} {:>6} {:>5} {:>7} {}\n",
                               tcx::version, o->max_n, "circuit", "n", "gates", "wires", "depth", "w-bits",
                               "verified");
    bool all_ok = true;
    for (const Family& f : families()) {
      for (std::uint32_t n = 2; n <= o->max_n; n += (n < 8 ? 1 : 4)) {
        Circuit c = f.build(n);
        circuit_stats s = analyze(c);
        std::uint64_t wrong = 0;
        for (std::uint64_t p = 0; p < (1ull << n); ++p)
          if (evaluate_pattern(c, p)[0] != f.reference(p, n)) ++wrong;
        all_ok = all_ok && wrong == 0;
        std::string verdict = wrong == 0 ? fmt::format("all {} inputs", 1ull << n) : fmt::format("{} WRONG", wrong);
        if (o->json)
          all.push_back({{"circuit", f.name}, {"n", n}, {"stats", to_json(s)}, {"exhaustive_patterns", 1ull << n},
                         {"wrong", wrong}});
        else
          std::cout << fmt::format("{:<24} {:>4} {:>6} {:>6} {:>5} {:>7} {}\n", f.name, n, s.gates, s.wires,
                                   s.depth, s.max_weight_bits, verdict);
      }
    }
    // Arithmetic families: depth stays fixed as the width grows (the TC^0 property).
    nlohmann::json cells = nlohmann::json::array();
    if (!o->json)
      std::cout << fmt::format("\n{:<24} {:>4} {:>6} {:>8} {:>5} {:>7}\n", "cell (m operands)", "k", "gates", "wires",
                               "depth", "w-bits");
    for (const char* name : {"add", "iadd", "mul", "sort"}) {
      const CellInfo* cell = find_cell(name);
      for (std::uint32_t k : {4u, 8u, 16u, 32u}) {
        circuit_stats s = analyze(cell->build(k, cell->default_count));
        std::string label = std::string(name) + (cell->uses_count ? " (m=" + std::to_string(cell->default_count) + ")" : "");
        if (o->json)
          cells.push_back({{"cell", name}, {"k", k}, {"m", cell->default_count}, {"stats", to_json(s)}});
        else
          std::cout << fmt::format("{:<24} {:>4} {:>6} {:>8} {:>5} {:>7}\n", label, k, s.gates, s.wires, s.depth,
                                   s.max_weight_bits);
      }
    }
    // Tasks: the natural circuits of serial tasks deepen with their steps; parallel ones do not.
    nlohmann::json tasks = nlohmann::json::array();
    struct Row {
      const char* task;
      const char* param;
      std::vector<std::int64_t> values;
    };
    const std::vector<Row> rows{{"parity", "n", {4, 8, 16, 32, 64}},
                                {"multiplication", "k", {2, 4, 8, 16, 32}},
                                {"sorting", "m", {2, 4, 8, 16, 32}},
                                {"eca", "steps", {1, 2, 4, 8, 16}},
                                {"s5", "n", {1, 2, 4, 8, 16}},
                                {"cvp", "gates", {1, 2, 4, 8, 16}},
                                {"reachability", "steps", {1, 2, 4, 8, 16}},
                                {"mdp", "horizon", {1, 2, 4, 8, 16}}};
    if (!o->json) std::cout << fmt::format("\n{:<16} {:<8} {}\n", "task", "kind", "natural-circuit depth at each size");
    for (const Row& r : rows) {
      const Task* t = find_task(r.task);
      std::string line;
      for (std::int64_t v : r.values) {
        std::uint32_t d = t->natural_circuit(t->resolve({{r.param, v}})).depth();
        line += fmt::format(" {}={}:{}", r.param, v, d);
        if (o->json) tasks.push_back({{"task", r.task}, {r.param, v}, {"depth", d}, {"serial", t->serial}});
      }
      if (!o->json) std::cout << fmt::format("{:<16} {:<8}{}\n", r.task, t->serial ? "serial" : "TC^0", line);
    }
    // Models: each zoo model over n = 4..64, counted, each checked against its reference
    // interpreter at n = 4, and the fitted verdict.
    nlohmann::json models = nlohmann::json::array();
    std::vector<std::string> files;
    if (std::filesystem::is_directory(o->models))
      for (const auto& e : std::filesystem::directory_iterator(o->models))
        if (e.path().extension() == ".json") files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    if (!o->json && !files.empty())
      std::cout << fmt::format("\n{:<20} {:<28} {:<9} {}\n", "model", "depth at n = 4 8 16 32 64", "checked", "verdict");
    for (const std::string& file : files) {
      const Model m = load_model(file);
      std::vector<growth_point> pts;
      std::string depths;
      for (std::int64_t n = 4; n <= 64; n *= 2) {
        const circuit_stats s = count_model(m, n);
        pts.push_back({n, s.depth, s.gates, s.wires});
        depths += fmt::format("{} ", s.depth);
      }
      const ModelShape shape = shape_at(m, 4);
      model_check_params cp;
      cp.random_inputs = 20000;
      const model_check_result r = check_model(m, shape, compile_model(m, 4), cp);
      all_ok = all_ok && r.agree;
      const growth_fit fit = fit_growth(pts);
      const std::string kind = fit.depth_kind == "constant" ? fmt::format("constant depth {}", fit.constant_depth)
                                                            : fmt::format("{} depth growth", fit.depth_kind);
      const std::string verdict = kind + (fit.consistent_with_tc0 ? ": consistent with TC^0" : ": not TC^0-like");
      if (o->json)
        models.push_back({{"model", m.name}, {"file", file}, {"fit", to_json(fit)}, {"checked_inputs", r.inputs_checked},
                          {"exhaustive", r.exhaustive}, {"agree", r.agree}});
      else
        std::cout << fmt::format("{:<20} {:<28} {:<9} {}\n", m.name, depths,
                                 r.agree ? (r.exhaustive ? "all" : "random") : "WRONG", verdict);
    }
    if (!o->json)
      std::cout << "\n(the cells are verified against integer arithmetic by tests/test_cells.cpp; a finite range of n "
                   "is evidence of constant depth, not a proof: the proofs are the constructions in docs/cells.md)\n";
    if (o->json)
      std::cout << nlohmann::json{{"families", all}, {"cells", cells}, {"tasks", tasks}, {"models", models}}.dump(2) << "\n";
    if (!all_ok) throw Exit{1};
  });
}

}  // namespace tcx::cli
