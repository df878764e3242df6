// Model compiler speed: compile (materialized) and count (tcx depth) over zoo models, and the
// largest width n at which a 2-layer sign MLP of width n is counted within a time budget.
//   bench_models SOURCE_DIR [budget_seconds=10]
//   bench_models SOURCE_DIR 0 MODEL_FILE N [R=5] [count]   compile (or count) one zoo model at n = N, R times
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "compilers/models/compile.hpp"

using namespace tcx;
using clk = std::chrono::steady_clock;

static double seconds_since(clk::time_point t) { return std::chrono::duration<double>(clk::now() - t).count(); }
static double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_models SOURCE_DIR [budget_seconds=10]\n");
    return 2;
  }
  const std::string dir = std::string(argv[1]) + "/examples/models/";
  const double budget = argc > 2 ? std::atof(argv[2]) : 10.0;

  if (argc > 4) {
    const Model m = load_model(dir + argv[3]);
    const ModelShape shape = shape_at(m, std::atoll(argv[4]));
    const int repeats = argc > 5 ? std::atoi(argv[5]) : 5;
    const bool counting = argc > 6 && std::string(argv[6]) == "count";
    for (int k = 0; k < repeats; ++k) {
      rusage before{};
      getrusage(RUSAGE_SELF, &before);
      const auto t0 = clk::now();
      Builder builder = counting ? Builder(CountingStore{}) : Builder();
      compile_model(m, shape, builder, compile_params{false});
      const std::uint32_t gates = counting ? builder.count_stats().gates : std::move(builder).build().num_gates();
      const double s = seconds_since(t0);
      rusage after{};
      getrusage(RUSAGE_SELF, &after);
      std::printf("%s: %u gates in %.3f s, %.3g gates/s, %ld page faults%s\n", argv[3], gates, s, gates / s,
                  after.ru_minflt - before.ru_minflt, counting ? " (counted)" : "");
    }
    return 0;
  }
  std::printf("%-20s %9s %10s %12s %9s %12s %12s %9s %12s\n", "model", "n", "gates", "wires", "compile s", "gates/s",
              "wires/s", "count s", "gates/s");
  struct Case {
    const char* file;
    std::int64_t n;
  };
  for (Case c : {Case{"mlp_sparse.json", 1 << 20}, Case{"mlp_sign.json", 2048}, Case{"bnn.json", 2048},
                 Case{"mlp_relu_fixed.json", 48}, Case{"rnn_relu.json", 1 << 14}, Case{"transformer_4head.json", 256},
                 Case{"transformer_majority.json", 4096}, Case{"ssm_selective.json", 256}, Case{"ssm_s5.json", 1 << 14}}) {
    const Model m = load_model(dir + c.file);
    // Materialized, without names (tcx compile adds names x<i> and y<j>: timed separately below).
    const ModelShape shape = shape_at(m, c.n);
    auto t0 = clk::now();
    Builder builder;
    compile_model(m, shape, builder, compile_params{false});
    const Circuit circuit = std::move(builder).build();
    const double compile_s = seconds_since(t0);
    t0 = clk::now();
    const circuit_stats s = count_model(m, c.n);
    const double count_s = seconds_since(t0);
    if (s.gates != circuit.num_gates() || s.wires != circuit.num_wires()) {
      std::fprintf(stderr, "bench_models: counting and compiling disagree on %s\n", c.file);
      return 1;
    }
    std::printf("%-20s %9lld %10u %12llu %9.3f %12.3g %12.3g %9.3f %12.3g\n", m.name.c_str(), (long long)c.n, s.gates,
                (unsigned long long)s.wires, compile_s, s.gates / compile_s, s.wires / compile_s, count_s, s.gates / count_s);
  }

  {
    const Model m = load_model(dir + "mlp_sparse.json");
    const auto t0 = clk::now();
    const Circuit named = compile_model(m, 1 << 20);
    std::printf("mlp-sparse n = 2^20 with input and output names (as tcx compile): %.3f s\n", seconds_since(t0));
  }

  {
    // Issue 7's target: tcx depth on a 2-layer, 4-head Transformer at n = 4096 within 60 s and 8 GiB.
    const Model m = load_model(dir + "transformer_4head.json");
    const auto t0 = clk::now();
    const circuit_stats s = count_model(m, 4096);
    std::printf("transformer-4head n = 4096 counted (tcx depth): depth %u, %u gates, %llu wires, %.2f s, peak RSS %.0f MiB\n",
                s.depth, s.gates, (unsigned long long)s.wires, seconds_since(t0), peak_mib());
  }

  // The largest width counted within the budget: double n while the count stays within it.
  const Model sign = load_model(dir + "mlp_sign.json");
  std::printf("\n2-layer sign MLP of width n, counted (tcx depth), budget %.0f s:\n%9s %8s %14s %9s %12s\n", budget, "n",
              "depth", "wires", "seconds", "wires/s");
  std::int64_t best = 0;
  for (std::int64_t n = 1024; n <= (1 << 24); n *= 2) {
    const auto t0 = clk::now();
    const circuit_stats s = count_model(sign, n);
    const double secs = seconds_since(t0);
    std::printf("%9lld %8u %14llu %9.2f %12.3g\n", (long long)n, s.depth, (unsigned long long)s.wires, secs, s.wires / secs);
    std::fflush(stdout);
    if (secs > budget) break;
    best = n;
    if (secs * 4.2 > 3 * budget) break;  // the next doubling (4x the wires) would take far beyond the budget
  }
  std::printf("largest width counted within %.0f s (powers of two): n = %lld\npeak RSS %.1f MiB\n", budget, (long long)best,
              peak_mib());
  return 0;
}
