#include "dist/runner.hpp"

#include <sched.h>
#include <unistd.h>

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "circuits/progress.hpp"
#include "dist/detail.hpp"
#include "dist/state.hpp"

namespace tcx::dist {

namespace {

[[maybe_unused]] bool mpi_active = false;
std::vector<rank_figures> figures_of_last_run;

// The launcher's word for the number of ranks, if any (OpenMPI's mpirun, PMIx and PMI launchers
// such as Slurm's srun).
long launcher_size() {
  for (const char* v : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS"}) {
    if (const char* s = std::getenv(v)) {
      if (std::string(v) == "SLURM_NTASKS" && !std::getenv("PMIX_RANK") && !std::getenv("PMI_RANK")) continue;
      return std::atol(s);
    }
  }
  if (std::getenv("PMIX_RANK")) return 2;  // a PMIx launch that does not say its size: assume several
  return 0;
}

}  // namespace

int rank() {
#ifdef TCX_HAVE_MPI
  if (mpi_active) return detail::mpi_rank();
#endif
  return 0;
}

int size() {
#ifdef TCX_HAVE_MPI
  if (mpi_active) return detail::mpi_size();
#endif
  return 1;
}

bool mpi_built() {
#ifdef TCX_HAVE_MPI
  return true;
#else
  return false;
#endif
}

std::string broadcast_from_root(const std::string& text) {
#ifdef TCX_HAVE_MPI
  if (mpi_active && detail::mpi_size() > 1) return detail::mpi_broadcast(text);
#endif
  return text;
}

const std::vector<rank_figures>& last_run_figures() { return figures_of_last_run; }

struct Session::Impl {
  std::unique_ptr<tbb::global_control> threads;
};

Session::Session(int& argc, char**& argv) : impl_(std::make_unique<Impl>()) {
  const long launched = launcher_size();
#ifdef TCX_HAVE_MPI
  if (launched > 0) mpi_active = detail::mpi_init(argc, argv);
  if (mpi_active && detail::mpi_size() > 1) {
    // Ranks sharing a node share its cores: unless the launcher bound each rank to its own
    // cores (then oneTBB sees only those), a rank takes its share.
    const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
    const long per_node = local ? std::atol(local) : 1;
    cpu_set_t set;
    const long hw = static_cast<long>(std::thread::hardware_concurrency());
    if (per_node > 1 && sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) >= hw)
      impl_->threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                             static_cast<std::size_t>(std::max(1L, hw / per_node)));
  }
#else
  (void)argc, (void)argv;
  if (launched > 1) {
    std::fprintf(stderr, "tcx: error: launched as %ld MPI ranks, but this tcx was built without MPI (install libopenmpi-dev and "
                         "rebuild); each rank would redo all the work\n", launched);
    std::exit(2);
  }
#endif
}

Session::~Session() {
  impl_->threads.reset();
#ifdef TCX_HAVE_MPI
  if (mpi_active) detail::mpi_finalize();
#endif
}

bool settled_in_state(const job& j, std::uint64_t id) {
  if (!j.state) return false;
  const auto it = j.state->settled().find(id);
  return it != j.state->settled().end() && (!j.settles || j.settles(it->second));
}

namespace detail {

std::vector<unit> pending_units(const job& j, bool by_cost) {
  std::vector<unit> order;
  for (const unit& u : j.units)
    if (!settled_in_state(j, u.id)) order.push_back(u);
  std::stable_sort(order.begin(), order.end(), [by_cost](const unit& a, const unit& b) {
    return by_cost && a.cost != b.cost ? a.cost > b.cost : a.id < b.id;
  });
  return order;
}

void accept(const job& j, std::uint64_t id, const std::string& result) {
  if (j.state && (!j.settles || j.settles(result))) j.state->record(id, result);
  if (j.on_result) j.on_result(id, result);
}

void start_progress(std::optional<Progress>& progress, const job& j, double total, const std::map<std::uint64_t, std::string>& results) {
  const bool nothing_left = total == 0 && !j.remaining;
  if ((j.finished && j.finished()) || nothing_left) return;
  progress.emplace(j.label, static_cast<std::uint64_t>(j.remaining ? j.remaining() : total), j.unit_name);
  double before = 0;
  for (const auto& [id, r] : results) before += j.amount ? j.amount(id) : 1;
  progress->set_before(static_cast<std::uint64_t>(before));
}

void report_figures(const job& j, const std::vector<rank_figures>& figures, double wall_s) {
  if (!progress_enabled() || figures.size() < 2) return;
  double busy = 0;
  for (std::size_t r = 0; r < figures.size(); ++r) {
    const rank_figures& f = figures[r];
    busy += f.busy_s;
    std::fprintf(stderr, "%s: rank %zu: %llu %s, %s %s in %.2f s busy (%s/s)\n", j.label.c_str(), r,
                 static_cast<unsigned long long>(f.units), "units", human_count(f.amount).c_str(), j.unit_name.c_str(), f.busy_s,
                 human_count(f.busy_s > 0 ? f.amount / f.busy_s : 0).c_str());
  }
  std::fprintf(stderr, "%s: %zu ranks, %.2f s wall, busy %.1f%% of rank-seconds\n", j.label.c_str(), figures.size(), wall_s,
               wall_s > 0 ? 100.0 * busy / (wall_s * static_cast<double>(figures.size())) : 0.0);
}

}  // namespace detail

std::map<std::uint64_t, std::string> run(const job& j) {
  std::map<std::uint64_t, std::string> results;
  // Settled units first, in id order, as if they had just finished.
  std::string error;
  try {
    if (j.state)
      for (const auto& [id, r] : j.state->settled()) {
        if (!settled_in_state(j, id)) continue;  // asked again
        results[id] = r;
        if (is_root() && j.on_result) j.on_result(id, r);
      }
  } catch (const std::exception& e) {
    if (size() == 1) throw;
    error = e.what();
  }
  if (j.state && error.empty()) j.state->announce_resume();
#ifdef TCX_HAVE_MPI
  if (mpi_active && detail::mpi_size() > 1) {
    figures_of_last_run.assign(static_cast<std::size_t>(detail::mpi_size()), {});
    return detail::mpi_run(j, std::move(results), figures_of_last_run, std::move(error));
  }
#endif
  figures_of_last_run.assign(1, {});
  // One process takes the units in id order: rows print as they come, and a time limit stops
  // a sweep where a sequential one would.
  const std::vector<unit> order = detail::pending_units(j, false);
  double total = 0;
  for (const unit& u : order) total += j.amount ? j.amount(u.id) : 1;
  std::optional<Progress> progress;
  detail::start_progress(progress, j, total, results);
  // One unit done: its figures, its result and the progress (one thread at a time).
  auto done = [&](std::uint64_t id, std::string r, double busy_s) {
    const double amount = j.amount ? j.amount(id) : 1;
    rank_figures& f = figures_of_last_run[0];
    ++f.units;
    f.amount += amount;
    f.busy_s += busy_s;
    results[id] = r;
    detail::accept(j, id, r);
    if (progress) {
      progress->add(static_cast<std::uint64_t>(amount));
      if (j.remaining) progress->set_total(progress->done() + static_cast<std::uint64_t>(j.remaining()));
    }
  };
  auto seconds_since = [](std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  if (j.threads <= 1 || order.size() <= 1) {
    const std::atomic<bool> never{false};
    for (const unit& u : order) {
      if (j.finished && j.finished()) break;
      if (j.wanted && !j.wanted(u.id)) continue;
      const auto t0 = std::chrono::steady_clock::now();
      std::string r = j.work(u.id, never);
      done(u.id, std::move(r), seconds_since(t0));
    }
  } else {
    // Threads take the units in id order; the first error or a finished job cancels the rest.
    std::mutex m;
    std::size_t next = 0;
    std::atomic<bool> cancel{false};
    std::exception_ptr error;
    auto worker = [&] {
      for (;;) {
        std::uint64_t id = 0;
        {
          std::lock_guard<std::mutex> lock(m);
          while (next < order.size() && !cancel && j.wanted && !j.wanted(order[next].id)) ++next;
          if (next == order.size() || cancel || (j.finished && j.finished())) return;
          id = order[next++].id;
        }
        const auto t0 = std::chrono::steady_clock::now();
        std::string r;
        try {
          r = j.work(id, cancel);
        } catch (...) {
          std::lock_guard<std::mutex> lock(m);
          if (!error) error = std::current_exception();
          cancel = true;
          return;
        }
        std::lock_guard<std::mutex> lock(m);
        if (cancel) return;  // a finished job or an error: results in flight are dropped
        try {
          done(id, std::move(r), seconds_since(t0));
          if (j.finished && j.finished()) cancel = true;
        } catch (...) {
          if (!error) error = std::current_exception();
          cancel = true;
        }
      }
    };
    std::vector<std::thread> pool;
    try {
      for (unsigned t = 0; t < std::min<std::size_t>(j.threads, order.size()); ++t) pool.emplace_back(worker);
    } catch (...) {
      std::lock_guard<std::mutex> lock(m);
      if (!error) error = std::current_exception();
      cancel = true;
    }
    for (std::thread& t : pool) t.join();
    if (error) std::rethrow_exception(error);
  }
  if (j.state) j.state->flush();  // the last results, saved now rather than by the writer
  if (progress) progress->finish();
  return results;
}

}  // namespace tcx::dist
