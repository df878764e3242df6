// The MPI runner: rank 0 hands out units and gathers results; every rank works.
//
// Messages (all small but the results): rank 0 sends a worker UNIT(id), CANCEL(id) or STOP; a
// worker answers each unit with RESULT(id, status, busy seconds, bytes). Rank 0 works too, in a
// thread of its own, so that 2 ranks on 2 cores use both. Every MPI call is made from the
// main thread (MPI_THREAD_FUNNELED); waits poll with short sleeps instead of MPI's spinning
// receives, so a waiting rank leaves its core to the ones that work.
#include <mpi.h>
#include <unistd.h>
#include <fcntl.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <thread>

#include "circuits/interrupt.hpp"
#include "circuits/io/file.hpp"
#include "circuits/progress.hpp"
#include "dist/detail.hpp"
#include "dist/state.hpp"

namespace tcx::dist::detail {

namespace {

enum Tag : int { tag_unit = 1, tag_cancel = 2, tag_stop = 3, tag_result = 4, tag_bcast = 5 };
enum Status : std::uint8_t { ok = 0, failed = 1 };

int the_rank = 0, the_size = 1;

// The unit running in this process's work thread.
struct Worker {
  std::thread thread;
  std::atomic<bool> cancel{false}, done{false};
  std::uint64_t id = 0;
  bool busy = false;
  std::uint8_t status = ok;
  std::string result;
  double busy_s = 0;

  void start(const job& j, std::uint64_t unit_id) {
    id = unit_id;
    busy = true;
    cancel = false;
    done = false;
    thread = std::thread([this, &j] {
      const auto t0 = std::chrono::steady_clock::now();
      try {
        result = j.work(id, cancel);
        status = ok;
      } catch (const std::exception& e) {
        result = e.what();
        status = failed;
      } catch (...) {
        result = "unknown error";
        status = failed;
      }
      busy_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      done = true;
    });
  }
  // Cancels the unit: `cancel` for work that polls it, and the process-wide interrupt
  // (circuits/interrupt.hpp) for work inside a SAT solver or a simulation that polls only that.
  // A rank runs one unit at a time, so the interrupt stops nothing else.
  void stop() {
    if (!busy || cancel) return;
    cancel = true;
    request_interrupt();
  }
  void join() {
    thread.join();
    busy = false;
    if (cancel) clear_interrupt();
  }
};

// Sleeps that grow from 20 us to 1 ms while nothing happens: a prompt answer when results come
// quickly, and almost no CPU while units take seconds.
struct Backoff {
  int us = 20;
  void reset() { us = 20; }
  void wait() {
    std::this_thread::sleep_for(std::chrono::microseconds(us));
    us = std::min(us * 2, 1000);
  }
};

std::string pack_result(std::uint64_t id, std::uint8_t status, double busy, const std::string& payload) {
  std::string m(17 + payload.size(), '\0');
  std::memcpy(m.data(), &id, 8);
  m[8] = static_cast<char>(status);
  std::memcpy(m.data() + 9, &busy, 8);
  std::memcpy(m.data() + 17, payload.data(), payload.size());
  return m;
}

// Point-to-point messages and bytes this rank sent and received in the current run (rank 0
// reports its own: every message of the run has rank 0 at one end).
std::uint64_t messages = 0, message_bytes = 0;

void send_bytes(const std::string& bytes, int dest, int tag) {
  ++messages;
  message_bytes += bytes.size();
  if (bytes.size() > INT_MAX) throw std::runtime_error("a unit's result is larger than 2 GiB");
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, dest, tag, MPI_COMM_WORLD);
}

std::string recv_bytes(const MPI_Status& probed) {
  int n = 0;
  MPI_Get_count(&probed, MPI_BYTE, &n);
  ++messages;
  message_bytes += static_cast<std::uint64_t>(n);
  std::string bytes(static_cast<std::size_t>(n), '\0');
  MPI_Recv(bytes.data(), n, MPI_BYTE, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return bytes;
}

// Results and the error, if any, from rank 0 to all: a length, then the bytes in pieces.
void broadcast(std::map<std::uint64_t, std::string>& results, std::string& error) {
  std::string bytes;
  if (the_rank == 0) {
    auto put = [&bytes](const std::string& s) {
      const std::uint64_t n = s.size();
      bytes.append(reinterpret_cast<const char*>(&n), 8);
      bytes += s;
    };
    put(error);
    for (const auto& [id, r] : results) {
      bytes.append(reinterpret_cast<const char*>(&id), 8);
      put(r);
    }
  }
  std::uint64_t n = bytes.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  bytes.resize(n);
  for (std::uint64_t at = 0; at < n; at += INT_MAX / 2)
    MPI_Bcast(bytes.data() + at, static_cast<int>(std::min<std::uint64_t>(INT_MAX / 2, n - at)), MPI_BYTE, 0, MPI_COMM_WORLD);
  if (the_rank == 0) return;
  std::size_t at = 0;
  auto u64 = [&] {
    std::uint64_t v;
    std::memcpy(&v, bytes.data() + at, 8);
    at += 8;
    return v;
  };
  auto str = [&] {
    const std::uint64_t len = u64();
    std::string s = bytes.substr(at, len);
    at += len;
    return s;
  };
  error = str();
  results.clear();
  while (at < bytes.size()) {
    const std::uint64_t id = u64();
    results[id] = str();
  }
}

void work_loop(const job& j) {
  Worker w;
  Backoff backoff;
  for (;;) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (flag) {
      backoff.reset();
      const std::string m = recv_bytes(st);
      if (st.MPI_TAG == tag_stop) {
        w.stop();  // a stop with a unit in flight: rank 0 failed; its result is not wanted
        break;
      }
      std::uint64_t id = 0;
      if (m.size() >= 8) std::memcpy(&id, m.data(), 8);
      if (st.MPI_TAG == tag_unit) w.start(j, id);
      else if (st.MPI_TAG == tag_cancel && w.busy && w.id == id) w.stop();  // a late cancel of a finished unit is ignored
      continue;
    }
    if (w.busy && w.done) {
      w.join();
      send_bytes(pack_result(w.id, w.status, w.busy_s, w.result), 0, tag_result);
      backoff.reset();
      continue;
    }
    backoff.wait();
  }
  if (w.busy) w.join();
}

}  // namespace

bool mpi_init(int& argc, char**& argv) {
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) return false;
  MPI_Comm_rank(MPI_COMM_WORLD, &the_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &the_size);
  if (the_rank != 0) {
    // Rank 0 speaks for the run: the others' output would only repeat it.
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
      close(null);
    }
    discard_file_writes(true);  // rank 0 writes the command's files (and the state file)
  }
  return true;
}

void mpi_finalize() { MPI_Finalize(); }

std::string mpi_broadcast(const std::string& text) {
  std::uint64_t n = text.size();
  MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::string out = the_rank == 0 ? text : std::string(n, '\0');
  for (std::uint64_t at = 0; at < n; at += INT_MAX / 2)
    MPI_Bcast(out.data() + at, static_cast<int>(std::min<std::uint64_t>(INT_MAX / 2, n - at)), MPI_BYTE, 0, MPI_COMM_WORLD);
  return out;
}
int mpi_rank() { return the_rank; }
int mpi_size() { return the_size; }

std::map<std::uint64_t, std::string> mpi_run(const job& j, std::map<std::uint64_t, std::string> results,
                                             std::vector<rank_figures>& figures, std::string error) {
  if (the_rank != 0) {
    work_loop(j);
    broadcast(results, error);
    if (!error.empty()) throw std::runtime_error(error);
    return results;
  }
  const auto start = std::chrono::steady_clock::now();
  messages = message_bytes = 0;
  std::vector<unit> queue;
  double total = 0;
  for (const unit& u : pending_units(j, true)) {
    queue.push_back(u);
    total += j.amount ? j.amount(u.id) : 1;
  }
  std::optional<Progress> progress;
  start_progress(progress, j, total, results);
  // Rank 0 coordinates and, below a few dozen ranks, works too (beyond, coordination is its job).
  const char* env = std::getenv("TCX_DIST_ROOT_WORKS");
  const bool root_works = env ? std::string(env) != "0" : the_size <= 64;
  std::vector<std::optional<std::uint64_t>> in_flight(static_cast<std::size_t>(the_size));
  std::vector<bool> cancelled(static_cast<std::size_t>(the_size), false);
  Worker self;
  bool stopping = j.finished && j.finished();
  std::size_t head = 0;  // without pick: queue[head..] are pending
  auto next = [&]() -> std::optional<unit> {
    if (!j.pick) {
      while (head < queue.size()) {
        const unit u = queue[head++];
        if (!j.wanted || j.wanted(u.id)) return u;
      }
      return std::nullopt;
    }
    // The units no longer wanted leave the queue for good (a unit once unwanted stays so).
    if (j.wanted) std::erase_if(queue, [&](const unit& u) { return !j.wanted(u.id); });
    if (queue.empty()) return std::nullopt;
    const std::size_t k = j.pick(queue);
    if (k >= queue.size()) throw std::logic_error("dist: pick chose no pending unit");
    const unit u = queue[k];
    queue.erase(queue.begin() + static_cast<std::ptrdiff_t>(k));
    return u;
  };
  auto cancel = [&](int r) {
    if (!in_flight[static_cast<std::size_t>(r)] || cancelled[static_cast<std::size_t>(r)]) return;
    cancelled[static_cast<std::size_t>(r)] = true;
    const std::uint64_t id = *in_flight[static_cast<std::size_t>(r)];
    if (r == 0) self.stop();
    else send_bytes(std::string(reinterpret_cast<const char*>(&id), 8), r, tag_cancel);
  };
  auto cancel_all = [&] {
    for (int r = 0; r < the_size; ++r) cancel(r);
  };
  auto handle = [&](int r, std::uint64_t id, std::uint8_t status, double busy, std::string payload) {
    const auto k = static_cast<std::size_t>(r);
    in_flight[k].reset();
    figures[k].busy_s += busy;
    if (cancelled[k]) {
      cancelled[k] = false;
      return;
    }
    if (status == failed) {
      if (error.empty()) error = payload;
      stopping = true;
      cancel_all();
      return;
    }
    const double amount = j.amount ? j.amount(id) : 1;
    ++figures[k].units;
    figures[k].amount += amount;
    results[id] = payload;
    try {
      accept(j, id, payload);
    } catch (const std::exception& e) {  // every rank must hear of it, or the others would wait forever
      if (error.empty()) error = e.what();
      stopping = true;
      cancel_all();
      return;
    }
    if (progress) {
      progress->add(static_cast<std::uint64_t>(amount));
      if (j.remaining) progress->set_total(progress->done() + static_cast<std::uint64_t>(j.remaining()));
    }
    if (j.finished && j.finished()) {
      stopping = true;
      cancel_all();
    } else if (j.cancel_unwanted && j.wanted) {
      for (int r = 0; r < the_size; ++r)
        if (in_flight[static_cast<std::size_t>(r)] && !j.wanted(*in_flight[static_cast<std::size_t>(r)])) cancel(r);
    }
  };
  Backoff backoff;
  if (!error.empty()) stopping = true;
  // Whatever goes wrong on rank 0 (a callback that throws), the other ranks are stopped and told,
  // never left waiting.
  try {
  for (;;) {
    if (!stopping)
      for (int r = root_works ? 0 : 1; r < the_size; ++r) {
        if (in_flight[static_cast<std::size_t>(r)]) continue;
        const std::optional<unit> u = next();
        if (!u) break;
        in_flight[static_cast<std::size_t>(r)] = u->id;
        if (r == 0) self.start(j, u->id);
        else send_bytes(std::string(reinterpret_cast<const char*>(&u->id), 8), r, tag_unit);
      }
    bool busy = false;
    for (const auto& f : in_flight) busy = busy || f.has_value();
    if (!busy) break;
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, tag_result, MPI_COMM_WORLD, &flag, &st);
    if (flag) {
      const std::string m = recv_bytes(st);
      std::uint64_t id;
      double secs;
      std::memcpy(&id, m.data(), 8);
      std::memcpy(&secs, m.data() + 9, 8);
      handle(st.MPI_SOURCE, id, static_cast<std::uint8_t>(m[8]), secs, m.substr(17));
      backoff.reset();
      continue;
    }
    if (self.busy && self.done) {
      self.join();
      handle(0, self.id, self.status, self.busy_s, std::move(self.result));
      backoff.reset();
      continue;
    }
    backoff.wait();
  }
  } catch (const std::exception& e) {
    if (error.empty()) error = e.what();
    self.stop();
    if (self.busy) self.join();
  }
  for (int r = 1; r < the_size; ++r) send_bytes(std::string(), r, tag_stop);
  if (j.state) j.state->flush();
  if (progress) progress->finish();
  report_figures(j, figures, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  if (progress_enabled()) {
    std::uint64_t units = 0;  // the results other ranks delivered (rank 0's own need no message)
    for (std::size_t r = 1; r < figures.size(); ++r) units += figures[r].units;
    std::fprintf(stderr, "%s: rank 0 exchanged %llu messages (%llu bytes) with the other ranks: %.2f per unit they delivered\n", j.label.c_str(),
                 static_cast<unsigned long long>(messages), static_cast<unsigned long long>(message_bytes),
                 units ? double(messages) / double(units) : 0.0);
  }
  broadcast(results, error);
  if (!error.empty()) throw std::runtime_error(error);
  return results;
}

}  // namespace tcx::dist::detail
