#include "circuits/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace tcx {

namespace {
std::atomic<int> mode{static_cast<int>(progress_mode::automatic)};
}

void set_progress_mode(progress_mode m) { mode.store(static_cast<int>(m)); }

bool progress_enabled() {
  const auto m = static_cast<progress_mode>(mode.load());
  if (m == progress_mode::automatic) return isatty(STDERR_FILENO) != 0;
  return m == progress_mode::on;
}

std::string human_count(double v) {
  const char* suffix[] = {"", " k", " M", " G", " T", " P"};
  int k = 0;
  while (std::fabs(v) >= 1000 && k < 5) v /= 1000, ++k;
  char buf[32];
  if (k == 0) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s", v, suffix[k]);
  return buf;
}

std::string human_duration(double s) {
  char buf[48];
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%d min %02d s", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%d h %02d min", int(s) / 3600, (int(s) % 3600) / 60);
  return buf;
}

Progress::Progress(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(total), enabled_(progress_enabled()),
      tty_(isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()), last_(start_) {}

Progress::~Progress() {
  if (!finished_) finish();
}

void Progress::set_total(std::uint64_t total) { total_.store(total); }

void Progress::add(std::uint64_t amount) {
  done_.fetch_add(amount);
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  // A terminal is redrawn 4 times a second; a log file gets a line every 5 seconds.
  const double every = tty_ ? 0.25 : 5.0;
  std::unique_lock lock(mutex_, std::try_to_lock);
  if (!lock || finished_ || std::chrono::duration<double>(now - last_).count() < every) return;
  last_ = now;
  print(false, "");
}

void Progress::finish(const std::string& note) {
  std::lock_guard lock(mutex_);
  if (finished_) return;
  finished_ = true;
  if (enabled_) print(true, note);
}

void Progress::print(bool final, const std::string& note) {
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double done = static_cast<double>(done_.load()), total = static_cast<double>(total_.load());
  const double before = static_cast<double>(before_.load());
  const double rate = secs > 0 ? done / secs : 0;
  std::string line = label_ + ": " + human_count(before + done);
  if (total > 0) line += " / " + human_count(before + total);
  line += " " + unit_;
  if (total > 0 || before > 0) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.1f%%", total + before > 0 ? 100.0 * (before + done) / (before + total) : 100.0);
    line += std::string(" (") + pct + (before > 0 ? ", " + human_count(before) + " settled before" : std::string()) + ")";
  }
  line += ", " + human_count(rate) + " " + unit_ + "/s";
  if (final) line += ", " + human_duration(secs) + (note.empty() ? "" : "; " + note);
  else if (total > 0 && rate > 0) line += ", about " + human_duration((total - done) / rate) + " left";
  if (tty_) std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final ? "\n" : "");
  else std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace tcx
