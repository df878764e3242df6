#pragma once
// Internal to dist/: the pieces runner.cpp shares with mpi_runner.cpp (built only with MPI).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "circuits/progress.hpp"
#include "dist/runner.hpp"

namespace tcx::dist::detail {

// The units still to run, in id order or costliest first (ties: smaller id first).
std::vector<unit> pending_units(const job& j, bool by_cost);
// Rank 0: a new result (records it in the state, then tells the job).
void accept(const job& j, std::uint64_t id, const std::string& result);
// Rank 0: starts the progress report of a run over `total` still to do, unless the settled units
// `results` already finish the job or settle every unit; it counts them as done before.
void start_progress(std::optional<Progress>& progress, const job& j, double total, const std::map<std::uint64_t, std::string>& results);
// One line per rank with units, amount, busy time and rate (stderr, when progress is on).
void report_figures(const job& j, const std::vector<rank_figures>& figures, double wall_s);

#ifdef TCX_HAVE_MPI
bool mpi_init(int& argc, char**& argv);  // false when MPI is not usable
void mpi_finalize();
int mpi_rank();
int mpi_size();
std::string mpi_broadcast(const std::string& text);
// `error`: rank 0 failed before the run (the others are told at once, not left waiting).
std::map<std::uint64_t, std::string> mpi_run(const job& j, std::map<std::uint64_t, std::string> results,
                                             std::vector<rank_figures>& figures, std::string error);
#endif

}  // namespace tcx::dist::detail
