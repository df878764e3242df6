#include "dist/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <sstream>
#include <vector>
#include <stdexcept>

#include "circuits/io/file.hpp"
#include "dist/runner.hpp"

namespace tcx::dist {

namespace {

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// A key part's value in a message: strings as they are.
std::string shown(const nlohmann::json& v) {
  if (v.is_null()) return "none";
  if (v.is_string() && !v.get<std::string>().empty() && v.get<std::string>().find(' ') == std::string::npos) return v.get<std::string>();
  return v.dump();
}

// What differs between a state file's key and this run's, for the error: the parts that differ
// when both are JSON objects (named keys), else the words that differ (the word keys of an
// earlier tcx, against this run's word key when it has one).
std::string key_difference(const nlohmann::json& file_key, const std::string& key, const std::vector<std::string>& earlier_keys) {
  const nlohmann::json file = file_key.is_string() ? nlohmann::json::parse(file_key.get<std::string>(), nullptr, false) : file_key;
  nlohmann::json now = nlohmann::json::parse(key, nullptr, false);
  std::string diff;
  auto add = [&](const std::string& name, const nlohmann::json& a, const nlohmann::json& b) {
    diff += (diff.empty() ? "" : ", ") + name + " " + shown(a) + " there, " + shown(b) + " here";
  };
  if (!file.is_object() && now.is_object() && !earlier_keys.empty()) now = earlier_keys.front();
  if (file.is_object() && now.is_object()) {
    for (const auto& [k, v] : now.items())
      if (!file.contains(k) || file[k] != v) add(k, file.value(k, nlohmann::json()), v);
    for (const auto& [k, v] : file.items())
      if (!now.contains(k)) add(k, v, nlohmann::json());
  } else if (file_key.is_string() && !now.is_object()) {
    std::istringstream a(file_key.get<std::string>()), b(now.is_string() ? now.get<std::string>() : key);
    std::vector<std::string> wa{std::istream_iterator<std::string>(a), {}}, wb{std::istream_iterator<std::string>(b), {}};
    for (std::size_t i = 0; i < std::max(wa.size(), wb.size()); ++i)
      if (i >= wa.size() || i >= wb.size() || wa[i] != wb[i])
        add("word " + std::to_string(i + 1), i < wa.size() ? nlohmann::json(wa[i]) : nlohmann::json(), i < wb.size() ? nlohmann::json(wb[i]) : nlohmann::json());
  }
  return diff.empty() ? "other inputs or options" : "written for other inputs or options: " + diff;
}

}  // namespace

std::string named_key(const std::vector<key_field>& fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const key_field& f : fields)
    if (!f.name.empty()) j[f.name] = f.value;
  return j.dump();
}

std::string word_key(const std::vector<key_field>& fields) {
  std::string key;
  for (const key_field& f : fields)
    if (f.word) key += (key.empty() ? "" : " ") + *f.word;
  return key;
}

std::string text_digest(const std::string& text) { return hex64(fnv1a(text)); }

bool is_decimal_u64(const std::string& s) {
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string::npos;
}
std::string file_digest(const std::string& path) { return text_digest(read_file(path)); }

State::State(const state_options& o, std::string kind, std::string key) : path_(o.path), kind_(std::move(kind)), key_(std::move(key)) {
  if (path_.empty()) {
    if (o.resume) throw std::invalid_argument("--resume needs --state FILE");
    return;
  }
  // Rank 0 alone reads the file; the others learn the outcome and the settings from it (the
  // settled results reach them at the end of the run).
  std::string error;
  if (is_root()) {
    try {
      open(o);
    } catch (const std::exception& e) {
      error = e.what();
      unlock();  // no destructor runs for a constructor that throws
    }
  }
  if (size() > 1) {
    nlohmann::json m;
    if (is_root()) m = {{"error", error}, {"settings", settings_}, {"resumed", resumed_}};
    m = nlohmann::json::parse(broadcast_from_root(m.dump()));
    error = m["error"].get<std::string>();
    settings_ = m["settings"];
    resumed_ = m["resumed"].get<bool>();
  }
  if (!error.empty()) throw std::invalid_argument(error);
}

void State::announce_resume() {
  if (!resumed_ || announced_ || !is_root()) return;
  announced_ = true;
  // one write: under mpirun, pieces of stderr can land between lines of stdout
  std::cerr << ("tcx: resuming from " + path_ + ": " + std::to_string(settled_.size()) + " unit" + (settled_.size() == 1 ? "" : "s") +
                " settled\n");
}

void State::lock_file() {
  const std::filesystem::path target(path_), name("." + target.filename().string() + ".tcx-lock");
  std::error_code ec;
  if (target.has_parent_path() && !std::filesystem::is_directory(target.parent_path(), ec))
    throw std::invalid_argument("--state " + path_ + ": the folder " + target.parent_path().string() + " does not exist");
  lock_path_ = (target.has_parent_path() ? target.parent_path() / name : name).string();
  // Locked, then checked to be the file still at that path: a run ending at that moment removes it.
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      throw std::invalid_argument("--state " + path_ + ": cannot create its lock file " + lock_path_ + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int e = errno;
      ::close(fd);
      if (e == EWOULDBLOCK)
        throw std::invalid_argument("--state " + path_ + ": another tcx run is using it (its lock " + lock_path_ +
                                    " is held); wait for that run, or use another file");
      throw std::invalid_argument("--state " + path_ + ": cannot lock " + lock_path_ + ": " + std::strerror(e));
    }
    struct stat held {}, now {};
    if (::fstat(fd, &held) == 0 && ::stat(lock_path_.c_str(), &now) == 0 && held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
      lock_fd_ = fd;
      return;
    }
    ::close(fd);
  }
  throw std::invalid_argument("--state " + path_ + ": cannot lock " + lock_path_ + " (it keeps being replaced)");
}

void State::open(const state_options& o) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path_, ec);
  if (std::filesystem::is_directory(path_, ec)) throw std::invalid_argument("--state " + path_ + ": is a directory");
  if (exists && !std::filesystem::is_regular_file(path_, ec))  // a FIFO or a device: reading it could block, replacing it is not ours
    throw std::invalid_argument("--state " + path_ + ": not a regular file");
  lock_file();
  remove_stale_temp_files(path_);
  if (exists && !o.resume && !o.force)
    throw std::invalid_argument("--state " + path_ + ": the file exists (--resume continues that run, --restart starts over)");
  // The file as a state file (--restart replaces only one of those: never an input given by mistake).
  auto read_state = [&] {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_file(path_, std::uint64_t(1) << 30));
    } catch (const nlohmann::json::parse_error& e) {
      throw std::invalid_argument("--state " + path_ + ": not a tcx state file (not JSON at byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument("--state " + path_ + ": not a tcx state file");
    }
    if (!j.is_object() || j.value("tcx_state", 0) != 1 || !j.contains("kind") || !j.contains("key"))
      throw std::invalid_argument("--state " + path_ + ": not a tcx state file");
    return j;
  };
  if (exists && !o.resume) {
    try {
      read_state();
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(std::string(e.what()) + "; --restart replaces only a state file");
    }
  }
  if (exists && o.resume) {
    const nlohmann::json j = read_state();
    if (j["kind"] != kind_)
      throw std::invalid_argument("--state " + path_ + ": the state of another kind of run (" + j["kind"].dump() + ", not " + kind_ +
                                  "); use another file, or --restart to start over");
    const bool earlier = j["key"].is_string() && std::find(o.earlier_keys.begin(), o.earlier_keys.end(), j["key"].get<std::string>()) != o.earlier_keys.end();
    if (j["key"] != key_ && !earlier)
      throw std::invalid_argument("--state " + path_ + ": the state of another question (" + key_difference(j["key"], key_, o.earlier_keys) +
                                  "); use another file, or --restart to start over");
    auto damaged = [&](const std::string& why) { return std::invalid_argument("--state " + path_ + ": damaged (" + why + ")"); };
    settings_ = j.value("settings", nlohmann::json::object());
    if (!settings_.is_object()) throw damaged("its settings are not a JSON object");
    // No run has more units than this (2^34 patterns in units of 2^14, or a frontier's
    // questions): more settled ones mean a damaged file, refused before they fill the memory.
    constexpr std::uint64_t max_units = std::uint64_t(1) << 22;
    if (!j.contains("done") || !j["done"].is_array()) throw damaged("no list of done ranges");
    for (const auto& r : j["done"]) {
      if (!r.is_array() || r.size() != 2 || !r[0].is_number_unsigned() || !r[1].is_number_unsigned())
        throw damaged("a done range " + r.dump() + ", not [first, end]");
      const std::uint64_t a = r[0].get<std::uint64_t>(), b = r[1].get<std::uint64_t>();
      if (b < a || b - a > max_units - settled_.size()) throw damaged("the done range " + r.dump());
      for (std::uint64_t id = a; id < b; ++id) settled_[id] = "";
    }
    if (!j.contains("results") || !j["results"].is_object()) throw damaged("no results object");
    if (j["results"].size() > max_units - settled_.size()) throw damaged("too many results");
    for (const auto& [k, v] : j["results"].items()) {
      if (!is_decimal_u64(k)) throw damaged("a result named " + nlohmann::json(k).dump() + ", not a unit number");
      if (!v.is_string()) throw damaged("unit " + k + "'s result is not a string");
      settled_[std::stoull(k)] = v.get<std::string>();
    }
    resumed_ = true;
  } else if (o.resume && is_root()) {
    std::cerr << "tcx: note: " << path_ << " does not exist yet; starting from the beginning\n";
  }
}

namespace {
constexpr double save_interval_s = 0.1;
double seconds_now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }
}  // namespace

State::~State() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
  try {
    flush();
  } catch (const std::exception&) {  // unwinding from another error, or a run that did not flush(): nothing to add
  }
  unlock();
}

void State::unlock() {
  if (lock_fd_ < 0) return;
  ::unlink(lock_path_.c_str());  // while held: a run that opened it meanwhile sees it gone and tries again
  ::close(lock_fd_);
  lock_fd_ = -1;
}

void State::record(std::uint64_t id, const std::string& result) {
  std::unique_lock lock(mutex_);
  if (!write_error_.empty()) throw std::runtime_error(write_error_);
  settled_[id] = result;
  dirty_ = true;
  if (path_.empty() || !is_root()) return;
  if (seconds_now() - last_save_ >= save_interval_s) return save_locked();
  if (!writer_.joinable()) writer_ = std::thread([this] { write_behind(); });
  wake_.notify_one();
}

void State::write_behind() {
  std::unique_lock lock(mutex_);
  while (!stopping_ && write_error_.empty()) {
    const double wait = dirty_ ? last_save_ + save_interval_s - seconds_now() : 3600;
    if (wait > 0) {
      wake_.wait_for(lock, std::chrono::duration<double>(wait));
      continue;
    }
    try {
      save_locked();
    } catch (const std::exception& e) {
      write_error_ = e.what();
    }
  }
}

void State::flush() {
  std::lock_guard lock(mutex_);
  if (!write_error_.empty()) throw std::runtime_error(write_error_);
  if (dirty_) save_locked();
}

void State::save() {
  std::lock_guard lock(mutex_);
  save_locked();
}

void State::save_locked() {
  dirty_ = false;
  last_save_ = seconds_now();
  if (path_.empty() || !is_root()) return;
  // Empty results (a range with nothing found) as id ranges: the file stays small when most
  // of 10^5 ranges are done.
  nlohmann::json done = nlohmann::json::array(), results = nlohmann::json::object();
  std::uint64_t run_start = 0, run_end = 0;
  bool open = false;
  for (const auto& [id, r] : settled_) {
    if (!r.empty()) {
      results[std::to_string(id)] = r;
      continue;
    }
    if (open && id == run_end) {
      ++run_end;
      continue;
    }
    if (open) done.push_back({run_start, run_end});
    run_start = id, run_end = id + 1, open = true;
  }
  if (open) done.push_back({run_start, run_end});
  const nlohmann::json j{{"tcx_state", 1}, {"kind", kind_}, {"key", key_}, {"settings", settings_}, {"done", done}, {"results", results}};
  write_file(path_, j.dump() + "\n", true, true);  // the state read on --resume is replaced: that is its use
}

}  // namespace tcx::dist
