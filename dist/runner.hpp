#pragma once
// Work distribution: a job is a list of independent units (pattern ranges, frontier rows,
// family sizes, cubes of a SAT question); a runner hands them out and collects their results.
//
// - One process (the default): units run one after another in this process, each using every
//   core through oneTBB as before.
// - Under mpirun (tcx built with MPI): every rank runs the same command; rank 0 coordinates,
//   handing one unit to each free rank, the costliest first, and gathering the results; it also
//   works in a thread of its own. The results are then broadcast, so every rank finishes the
//   command with the same data; only rank 0 prints (the other ranks' stdout and stderr go to
//   /dev/null).
//
// Either way, results may be recorded in a state file (dist/state.hpp) as they arrive, and a
// resumed run starts from the units settled there.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tcx::dist {

class State;
struct job;

// Whether the state file settles unit `id` for this job: recorded, and accepted by j.settles.
bool settled_in_state(const job& j, std::uint64_t id);

struct unit {
  std::uint64_t id = 0;
  double cost = 1;  // dispatch order: largest first (ties: smaller id first)
};

struct job {
  std::string label = "tcx";       // progress lines start with it
  std::string unit_name = "units";  // what progress counts
  std::vector<unit> units;
  // The work of one unit, on any rank, one unit at a time per rank; `cancel` turns true when
  // the result is no longer wanted (the work may then stop early and return anything).
  std::function<std::string(std::uint64_t id, const std::atomic<bool>& cancel)> work;
  // Rank 0, one call at a time, as results arrive (settled ones from the state file first, in
  // id order).
  std::function<void(std::uint64_t id, const std::string& result)> on_result;
  // Rank 0, before handing out a unit: false skips it (its result is not needed any more).
  std::function<bool(std::uint64_t id)> wanted;
  // Rank 0, after each result: true ends the run; units in flight are cancelled, their results dropped.
  std::function<bool()> finished;
  // Rank 0 under MPI: which pending unit to hand out next, as an index into `pending` (the units
  // not yet handed out and still wanted, costliest first); default: the first. One process runs
  // the units in id order whatever this says.
  std::function<std::size_t(const std::vector<unit>& pending)> pick;
  // Under MPI: after each result, units in flight that are no longer wanted are cancelled (their
  // results dropped). For work that heeds `cancel`; otherwise it would run on to no use.
  bool cancel_unwanted = false;
  // Rank 0: the amount of work still to come, for progress reports when it shrinks as results
  // arrive (frontier questions an answer ruled out); default: every unit not yet run.
  std::function<double()> remaining;
  // What a unit counts for in progress reports (e.g. its patterns); default 1.
  std::function<double(std::uint64_t id)> amount;
  State* state = nullptr;  // settled results to skip, and where new ones are recorded
  // Whether a result settles its unit, so that the state file records it (default: every
  // result). One that does not (a cube left unknown by its budget) is asked again on --resume.
  // Results read from the state file pass the same test: one that fails it (recorded by an
  // earlier tcx or another run's choices, such as a none without the proof --certify wants) is
  // asked again, and stays in the file until a result that settles the unit replaces it.
  std::function<bool(const std::string& result)> settles;
  // One process: units on this many threads at once (work and `wanted` then called from several
  // threads; on_result, finished and the state still one call at a time), results in the order
  // they finish; once finished() holds, the others' `cancel` turns true and their results are
  // dropped. Under MPI each rank runs one unit at a time whatever this says.
  unsigned threads = 1;
};

// Runs the job on every rank (under MPI all ranks must call it with the same units) and returns
// every result obtained, settled or new, by unit id: the same map on every rank. A unit whose work
// throws ends the run, and run() throws std::runtime_error with its message on every rank.
std::map<std::uint64_t, std::string> run(const job& j);

// This process's place in the run: rank 0 of 1 unless launched by mpirun with MPI built in.
int rank();
int size();
inline bool is_root() { return rank() == 0; }
// Whether tcx was built with MPI.
bool mpi_built();
// Rank 0's `text` on every rank (collective under MPI; the identity in one process).
std::string broadcast_from_root(const std::string& text);

// Started first thing in main(): initializes MPI when the process was launched by mpirun (or
// srun with PMIx), silences the output of ranks other than 0, and limits each rank's threads to
// its share of the node's cores; finalizes MPI when destroyed. Without MPI built in, a launch by
// mpirun with more than one rank is refused (each rank would redo all the work).
class Session {
public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Per-rank figures of the last run() on rank 0 (for the throughput report at the end).
struct rank_figures {
  std::uint64_t units = 0;
  double amount = 0, busy_s = 0;
};
const std::vector<rank_figures>& last_run_figures();

}  // namespace tcx::dist
