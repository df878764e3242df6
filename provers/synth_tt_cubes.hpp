#pragma once
// Internal to synthesis: cube-and-conquer for the tt method on several threads (docs/provers.md,
// "Cubes in parallel"). The cubes of one question are assumption lists over the last output
// gate's weight signs; workers, each with its own solver and its own copy of the question, take
// the next open cube from a shared counter. This file holds what the workers share: the
// counter, every cube's answer, the stop flag, the CPU budget of all workers together, and the
// thresholdness lemmas one worker passes to the others.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "provers/cnf.hpp"

namespace tcx::synth_detail {

// Cube i of 2^k: bit b of i clear assumes split[b] (that weight >= 0), set assumes -split[b].
// Cube 0 first, as the sequential loop solves them.
using tt_cube = std::vector<CnfLit>;
std::vector<tt_cube> tt_cubes(std::span<const CnfLit> split);

class TtCubeBoard {
public:
  enum class Outcome : std::uint8_t { open, sat, unsat, unknown };

  // stop: a caller's flag (synth_params::stop), may be null. cpu_limit_s: CPU seconds of all
  // workers together (0: none).
  TtCubeBoard(std::size_t cubes, unsigned workers, double cpu_limit_s, const std::atomic<bool>* stop);

  std::size_t cubes() const { return outcome_.size(); }
  // The next cube no worker took yet; none once every cube is taken or the work stopped.
  std::optional<std::size_t> take();
  // Only the worker that took the cube writes it, once; sat or unknown also stop every worker
  // (a model that passed every check answers the question; an unknown cube leaves it unknown).
  void finish(std::size_t cube, Outcome o);
  void halt() { stop_all_.store(true); }  // a worker failed: stop the others
  Outcome outcome(std::size_t cube) const { return outcome_[cube].load(); }

  // Worker w's thread CPU seconds so far (it reports its own, so the total needs no other
  // thread's clock). Returns whether the work should stop: an answer found, an unknown cube,
  // the caller's flag, a front end's interrupt, or the budget of all workers spent.
  bool poll(unsigned w, double cpu_s);
  bool stopped() const { return stop_all_.load(); }
  double cpu_seconds() const;  // all workers' CPU so far, as reported

  // Lemmas: clauses sound for every cube (certificates of non-thresholdness). `clauses` is a
  // run of 0-terminated clauses; every variable must mean the same in every worker (the
  // workers' copies agree on the variables made before they were copied).
  void share(unsigned from, std::span<const CnfLit> clauses);
  // Appends the clauses other workers shared since `cursor` (advanced) to `out`; returns how many.
  std::size_t fetch(unsigned w, std::size_t& cursor, std::vector<CnfLit>& out) const;

private:
  std::vector<std::atomic<Outcome>> outcome_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stop_all_{false};
  const std::atomic<bool>* caller_stop_;
  double cpu_limit_s_;
  std::vector<std::atomic<std::int64_t>> cpu_us_;  // per worker, microseconds
  struct Shared {
    unsigned from;
    std::vector<CnfLit> clauses;
    std::size_t count;
  };
  mutable std::mutex lemma_mutex_;
  std::vector<Shared> lemmas_;
};

}  // namespace tcx::synth_detail
