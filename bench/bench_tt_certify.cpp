// Certified tt answers, where the time goes: for each template of a frontier walk (depths 1..D,
// skip wires, every split of g gates, sizes upward until one is found), the tt method without
// proofs (symmetry breaking on), then with --certify (symmetry breaking off): the loop, the
// soundness check of every clause (provers/tt_certify.hpp), CaDiCaL's re-solve with a DRAT trace,
// the proof's size and tcx's checker's time. "all": process CPU of the certified synthesis (the
// loop, the soundness check, the re-solve and the proof check); the parts as the library reports them.
//   bench_tt_certify parity N [D G]
//   bench_tt_certify r110 T [D G]      (Rule 110, the centre cell after T steps on 2T + 1 cells)
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <string>
#include <vector>

#include "circuits/simulate.hpp"
#include "provers/synth.hpp"
#include "tasks/task.hpp"

using namespace tcx;

static double cpu() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

static void splits(std::uint32_t total, std::uint32_t parts, std::vector<std::uint32_t>& cur, std::vector<std::vector<std::uint32_t>>& out) {
  if (parts == 0) {
    if (total == 0) out.push_back(cur);
    return;
  }
  for (std::uint32_t f = 1; f + parts - 1 <= total; ++f) {
    cur.push_back(f);
    splits(total - f, parts - 1, cur, out);
    cur.pop_back();
  }
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_tt_certify parity N | r110 T [max_depth max_gates]\n");
    return 2;
  }
  const std::string what = argv[1];
  const long size = std::atol(argv[2]);
  const std::uint32_t D = argc > 3 ? std::atoi(argv[3]) : 2, G = argc > 4 ? std::atoi(argv[4]) : 6;
  std::uint32_t n;
  multi_truth_table truth;
  if (what == "parity") {
    n = static_cast<std::uint32_t>(size);
    truth = {make_truth_table(n, [](std::uint64_t p) { return (__builtin_popcountll(p) & 1) != 0; })};
  } else {
    const Task& eca = task_named("eca");
    const TaskParams p = eca.resolve({{"cells", 2 * size + 1}, {"cell", size}, {"steps", size}});
    const Circuit c = eca.natural_circuit(p);
    n = c.num_inputs();
    truth = truth_tables(c);
  }
  std::printf("| template | answer | tt s (symmetry on) | certified: all s | soundness s (clauses, LPs) | re-solve + DRAT s | proof KiB | check s |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  double tot_plain = 0, tot_loop = 0, tot_sound = 0, tot_solve = 0, tot_check = 0;
  std::uint64_t tot_bytes = 0;
  for (std::uint32_t d = 1; d <= D; ++d) {
    bool found = false;
    for (std::uint32_t g = d; g <= G && !found; ++g) {
      std::vector<std::vector<std::uint32_t>> ws;
      std::vector<std::uint32_t> cur;
      splits(g - 1, d - 1, cur, ws);
      for (auto w : ws) {
        w.push_back(1);
        synth_params p;
        p.shape.widths = w;
        p.shape.skip = true;
        p.method = synth_method::tt;
        p.time_limit_s = 600;
        double t0 = cpu();
        const synth_result plain = synthesize(n, truth, p);
        const double plain_s = cpu() - t0;
        p.proof.certify = true;
        t0 = cpu();
        const synth_result c = synthesize(n, truth, p);
        const double cert_s = cpu() - t0;
        std::string name;
        for (std::size_t l = 0; l < w.size(); ++l) name += (l ? "," : "") + std::to_string(w[l]);
        if (c.answer != plain.answer) {
          std::fprintf(stderr, "%s: answers differ\n", name.c_str());
          return 1;
        }
        found = found || c.answer == synth_result::sat;
        const char* ans = c.answer == synth_result::sat ? "found" : c.answer == synth_result::unsat ? (c.certified ? "none, certified" : "none") : "unknown";
        double solve = 0, check = 0;
        std::uint64_t bytes = 0;
        for (const proof_record& r : c.proofs) solve += r.solve_seconds, check += r.check_seconds, bytes += r.proof_bytes;
        std::printf("| %s | %s | %.3f | %.3f | %.3f (%llu, %llu) | %.3f | %.1f | %.3f |\n", name.c_str(), ans, plain_s, cert_s,
                    c.soundness_seconds, (unsigned long long)c.soundness_clauses, (unsigned long long)c.soundness_lps, solve, bytes / 1024.0, check);
        std::fflush(stdout);
        tot_plain += plain_s, tot_loop += cert_s, tot_sound += c.soundness_seconds, tot_solve += solve, tot_check += check, tot_bytes += bytes;
      }
    }
  }
  std::printf("| total | | %.3f | %.3f | %.3f | %.3f | %.1f | %.3f |\n", tot_plain, tot_loop, tot_sound, tot_solve, tot_bytes / 1024.0, tot_check);
  return 0;
}
