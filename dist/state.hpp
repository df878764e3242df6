#pragma once
// The state file of a resumable run (--state FILE, --resume): which units are settled and
// their results, written atomically (a temporary file renamed over the old one) at most ten times
// a second: a result is saved at once unless one was saved less than a tenth of a second before,
// and then with the others of that tenth by a writer thread. A run killed at any moment loses at
// most the units in flight and the results of the last tenth of a second.
//
// While a run uses the file it holds a lock on a hidden file beside it (.FILE.tcx-lock, removed
// at the end; the lock dies with the process, even a killed one): a second run on the same file
// is refused instead of each overwriting the other's results.
//
// The file is JSON: the kind of run, a key naming the question (digests of the input files and
// every option that changes the answer), settings the run fixed when it began (its unit size),
// and the settled units: ids whose result is empty as id ranges, others with their result.
// A key that differs from the question asked is an error: the state answers another question.
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace tcx::dist {

struct state_options {
  std::string path;  // empty: no state file
  bool resume = false;  // continue from the file when it exists
  bool force = false;   // replace an existing file when not resuming
  // Keys an earlier tcx gave the same question: a file under one of them is resumed too, and
  // saved under the current key (frontier keys held the budget before unknowns were re-asked).
  std::vector<std::string> earlier_keys;
};

class State {
public:
  // Opens or creates the state of a run (rank 0 reads and writes; other ranks only read what the
  // runner broadcasts). Throws std::invalid_argument when the file exists and neither resume nor
  // force is given, or when it belongs to another question.
  State(const state_options& o, std::string kind, std::string key);
  ~State();  // saves what the writer has not (errors then are not reported: flush() reports them)
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  bool active() const { return !path_.empty(); }
  bool resumed() const { return resumed_; }
  // Says on stderr (rank 0, once) how many units a resumed run found settled: called when every
  // record has been checked, so that a damaged file is not announced as resumed first.
  void announce_resume();
  // Settings fixed when the run began (kept across resumes).
  nlohmann::json& settings() { return settings_; }
  const std::map<std::uint64_t, std::string>& settled() const { return settled_; }
  // Records a result (rank 0 saves it; one call at a time). Results that come faster than ten a
  // second are saved together, so that tiny units (or a thousand ranks) do not pay a file write
  // each; a write the writer thread failed is thrown here or by flush().
  void record(std::uint64_t id, const std::string& result);
  void save();
  void flush();  // saves what is not saved yet: at the end of a run

private:
  void open(const state_options& o);
  void save_locked();   // with mutex_ held
  void write_behind();  // the writer thread
  void lock_file();  // the run's claim on the file (rank 0): a second run on it is refused
  void unlock();
  std::string path_, kind_, key_;
  int lock_fd_ = -1;
  std::string lock_path_;
  bool resumed_ = false, dirty_ = false, announced_ = false;
  double last_save_ = -1;
  nlohmann::json settings_ = nlohmann::json::object();
  std::map<std::uint64_t, std::string> settled_;
  std::mutex mutex_;  // settled_, dirty_, last_save_ and the writer's fields
  std::condition_variable wake_;
  std::thread writer_;
  bool stopping_ = false;
  std::string write_error_;
};

// One named part of a state file's key (a file's digest, an option): resuming with a key that
// differs names the parts that differ. `word` spells the part as the keys of earlier tcx did (a
// list of words, parts without a word left out), so that their files still resume; a part without
// a name is in that word key only (a budget earlier keys held).
struct key_field {
  std::string name;
  nlohmann::json value;
  std::optional<std::string> word;
};
// The key of named parts: a JSON object, name to value.
std::string named_key(const std::vector<key_field>& fields);
// The key an earlier tcx wrote for the same question: the parts' words joined by spaces.
std::string word_key(const std::vector<key_field>& fields);

// A 64-bit FNV-1a digest of a file's bytes or of a string, in hex: keys of state files.
std::string file_digest(const std::string& path);
std::string text_digest(const std::string& text);
// Digits only, at most 19 of them (so std::stoull cannot overflow): a unit's number or a pattern
// as state files write them.
bool is_decimal_u64(const std::string& s);

}  // namespace tcx::dist
