#pragma once
// Progress of a long run on stderr: done / total, rate and estimated time left.
//
// Silent unless stderr is a terminal or progress was asked for (`--progress`), so scripts and
// tests see nothing. On a terminal the line is redrawn in place; otherwise (a log file) a line
// is written every few seconds. Thread-safe: workers call add() as they finish pieces.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace tcx {

// Whether progress is reported: forced on by --progress, forced off (--quiet), or by default
// when stderr is a terminal.
enum class progress_mode { automatic, on, off };
void set_progress_mode(progress_mode m);
bool progress_enabled();

class Progress {
public:
  // `label` starts each line ("tcx equiv"); `unit` names what is counted ("patterns").
  Progress(std::string label, std::uint64_t total, std::string unit);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add(std::uint64_t amount);  // thread-safe; prints at most a few times a second
  void set_total(std::uint64_t total);
  // Work done before this run (a resumed one): shown beside the count and in the share done, but
  // not in the rate, which is this run's.
  void set_before(std::uint64_t amount) { before_.store(amount); }
  // Ends the line with the totals and an optional note; called by the destructor if not before.
  void finish(const std::string& note = "");
  std::uint64_t done() const { return done_.load(); }
  bool enabled() const { return enabled_; }

private:
  void print(bool final, const std::string& note);
  std::string label_, unit_;
  std::atomic<std::uint64_t> done_{0}, total_{0}, before_{0};
  bool enabled_ = false, tty_ = false, finished_ = false;
  std::chrono::steady_clock::time_point start_, last_;
  std::mutex mutex_;
};

// "1.23 G", "456 k", "12": counts as people read them.
std::string human_count(double v);
// "3 s", "4 min 05 s", "2 h 07 min".
std::string human_duration(double seconds);

}  // namespace tcx
