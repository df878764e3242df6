#include "circuits/io/file.hpp"

#include <stdexcept>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>

namespace tcx {

// The message is made printable and cut to 400 characters: an error line never carries raw
// bytes of the input (an ESC sequence) nor a whole megabyte of it.
ParseError::ParseError(const std::string& f, std::uint32_t l, std::uint32_t c, const std::string& m)
    : std::runtime_error(f + ":" + std::to_string(l) + ":" + std::to_string(c) + ": " + printable(m, 400)),
      file(f), line(l), col(c), message(printable(m, 400)) {}

namespace {

std::string errno_text(int e) { return std::strerror(e); }

// Closes a descriptor on scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Files read by this command, by device and inode (a second name or a link is the same file).
std::atomic<bool> guard_inputs{false};
std::mutex g_inputs_mutex;
std::set<std::pair<dev_t, ino_t>> g_inputs;
void remember_input(const struct stat& st) {
  if (!guard_inputs || !S_ISREG(st.st_mode)) return;
  std::lock_guard<std::mutex> lock(g_inputs_mutex);
  g_inputs.emplace(st.st_dev, st.st_ino);
}
bool is_input(const struct stat& st) {
  if (!guard_inputs) return false;
  std::lock_guard<std::mutex> lock(g_inputs_mutex);
  return g_inputs.count({st.st_dev, st.st_ino}) > 0;
}

}  // namespace

std::string read_file(const std::string& path, std::uint64_t max_bytes,
                      const std::function<void(std::string_view)>& check_head) {
  if (path.empty()) throw IoError("the file name is empty");
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0) throw IoError(path + ": cannot open: " + errno_text(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw IoError(path + ": cannot open: " + errno_text(errno));
  if (S_ISDIR(st.st_mode)) throw IoError(path + ": is a directory");
  remember_input(st);
  if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > max_bytes)
    throw IoError(path + ": file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  std::string data;
  if (S_ISREG(st.st_mode)) data.reserve(static_cast<std::size_t>(st.st_size));
  constexpr std::size_t head_bytes = 1 << 16;
  bool head_checked = !check_head;
  char buf[1 << 16];
  for (;;) {
    ssize_t got = ::read(f.fd, buf, sizeof buf);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError(path + ": read error: " + errno_text(errno));
    }
    if (got == 0) break;
    if (data.size() + static_cast<std::uint64_t>(got) > max_bytes)
      throw IoError(path + ": file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    data.append(buf, static_cast<std::size_t>(got));
    if (!head_checked && data.size() >= head_bytes) {
      check_head(std::string_view(data).substr(0, head_bytes));
      head_checked = true;
    }
  }
  if (!head_checked) check_head(data);
  return data;
}

void require_text_head(std::string_view head, const std::string& path) {
  const std::size_t nul = head.find('\0');
  if (nul == std::string_view::npos) return;
  std::uint32_t line = 1, col = 1;
  for (std::size_t i = 0; i < nul; ++i) {
    if (head[i] == '\n') ++line, col = 1;
    else ++col;
  }
  throw ParseError(path, line, col, "a NUL byte: this is binary data, not a text circuit file");
}

std::int64_t parse_integer(const std::string& text, const std::string& what) {
  std::size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 && !text.empty() && text.find_first_not_of("+-0123456789") == std::string::npos &&
      text.find_first_of("0123456789") != std::string::npos)
    throw std::invalid_argument(what + ": '" + printable(text) + "' is out of range (a 64-bit integer)");
  if (used == 0 || used != text.size()) throw std::invalid_argument(what + ": '" + printable(text) + "' is not an integer");
  return static_cast<std::int64_t>(v);
}

std::string file_for_size(std::string_view pattern, std::int64_t n) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern.substr(i, 3) == "{n}") out += std::to_string(n), i += 3;
    else out += pattern[i++];
  }
  return out;
}

std::string printable(std::string_view text, std::size_t max_chars) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    const unsigned char ch = static_cast<unsigned char>(text[i]);
    if (ch < 32 || ch > 126) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", ch);
      out += hex;
    } else {
      out += static_cast<char>(ch);
    }
  }
  return out;
}

// ---- atomic writes ---------------------------------------------------------------------------

namespace {

// The temporary file being written, for the signal handler: a fixed buffer and a flag, since a
// handler may only make async-signal-safe calls (unlink, sigaction, raise).
char g_temp_path[4096];
volatile std::sig_atomic_t g_temp_live = 0;
std::mutex g_write_mutex;  // one write at a time owns the slot
constexpr int g_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGXCPU, SIGXFSZ};
struct sigaction g_old_actions[sizeof g_signals / sizeof g_signals[0]];
std::once_flag g_handlers_once;

// A line for stderr when a signal stops the run (set_stop_note), written by the handler.
char g_stop_note[4096];
volatile std::sig_atomic_t g_stop_note_len = 0;

extern "C" void remove_temp_and_reraise(int sig) {
  if (g_temp_live) ::unlink(g_temp_path);
  g_temp_live = 0;
  if (g_stop_note_len > 0 && ::write(2, g_stop_note, static_cast<std::size_t>(g_stop_note_len)) < 0) {
  }
  g_stop_note_len = 0;
  for (std::size_t k = 0; k < sizeof g_signals / sizeof g_signals[0]; ++k)
    if (g_signals[k] == sig) ::sigaction(sig, &g_old_actions[k], nullptr);
  ::raise(sig);
}

void install_handlers() {
  std::call_once(g_handlers_once, [] {
    for (std::size_t k = 0; k < sizeof g_signals / sizeof g_signals[0]; ++k) {
      struct sigaction old {};
      ::sigaction(g_signals[k], nullptr, &old);
      g_old_actions[k] = old;
      if (old.sa_handler == SIG_IGN) continue;  // nohup: keep ignoring
      struct sigaction sa {};
      sa.sa_handler = remove_temp_and_reraise;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = 0;
      ::sigaction(g_signals[k], &sa, nullptr);
    }
  });
}

// Blocks the handled signals while the slot changes, so the handler never sees half a path.
struct BlockSignals {
  sigset_t old;
  BlockSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : g_signals) sigaddset(&set, s);
    pthread_sigmask(SIG_BLOCK, &set, &old);
  }
  ~BlockSignals() { pthread_sigmask(SIG_SETMASK, &old, nullptr); }
};

void write_all(int fd, const std::string& content, const std::string& path) {
  const char* p = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IoError(path + ": cannot write: " + errno_text(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

// Writes through a device node, FIFO or socket: opened as is, never replaced.
void write_special(const std::string& path, const std::string& content) {
  Fd f;
  f.fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (f.fd < 0) throw IoError(path + ": cannot write: " + errno_text(errno));
  write_all(f.fd, content, path);
  const int fd = f.fd;
  f.fd = -1;
  if (::close(fd) != 0) throw IoError(path + ": cannot write: " + errno_text(errno));
}

mode_t default_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

void remove_stale_temp_files(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target(path);
  const std::string prefix = "." + target.filename().string() + ".tcx-";
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const auto cutoff = fs::file_time_type::clock::now() - std::chrono::minutes(1);
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != prefix.size() + 6 || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::error_code e;
    if (it->is_regular_file(e) && !it->is_symlink(e) && it->last_write_time(e) < cutoff) fs::remove(it->path(), e);
  }
}

void set_stop_note(const std::string& note) {
  install_handlers();
  BlockSignals block;
  const std::size_t n = std::min(note.size(), sizeof g_stop_note);
  std::memcpy(g_stop_note, note.data(), n);
  g_stop_note_len = static_cast<std::sig_atomic_t>(n);
}

namespace {
bool discard_writes = false;

bool stdout_error_thrown = false;
}  // namespace

bool stdout_write_error_thrown() { return stdout_error_thrown; }

void discard_file_writes(bool discard) { discard_writes = discard; }

void guard_input_files(bool on) { guard_inputs = on; }

void note_input_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) remember_input(st);
}

bool is_input_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && is_input(st);
}

bool is_stdout_path(const std::string& path) { return path == "-" || path == "/dev/stdout" || path == "/dev/fd/1"; }
bool is_stderr_path(const std::string& path) { return path == "/dev/stderr" || path == "/dev/fd/2"; }

void write_file(const std::string& path_in, const std::string& content, bool overwrite, bool replaces_input) {
  if (discard_writes) return;
  // The standard streams by name as well: /dev/stdout is a link to whatever fd 1 is (a pipe, a
  // file the shell truncated), which the rules below would refuse or replace.
  if (is_stdout_path(path_in)) {
    std::cout << content;
    std::cout.flush();
    if (!std::cout) {
      stdout_error_thrown = true;
      throw IoError("standard output: write error");
    }
    return;
  }
  if (is_stderr_path(path_in)) {
    std::cerr << content;
    std::cerr.flush();
    if (!std::cerr) throw IoError("standard error: write error");
    return;
  }
  if (path_in.empty()) throw IoError("the output file name is empty (use - for standard output)");
  std::string path = path_in;
  struct stat st {};
  bool exists = ::lstat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) throw IoError(path + ": cannot write: " + errno_text(errno));
  if (exists && S_ISLNK(st.st_mode)) {
    // Follow the link: its target gets the content, the link itself stays.
    char* real = ::realpath(path.c_str(), nullptr);
    if (!real) {
      // A dangling link: write where it points, resolved one level, relative to the link's folder.
      char target[4096];
      ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
      if (n < 0) throw IoError(path + ": cannot follow the symbolic link: " + errno_text(errno));
      target[n] = 0;
      std::filesystem::path t(target);
      if (t.is_relative()) t = std::filesystem::path(path).parent_path() / t;
      if (::lstat(t.c_str(), &st) == 0) throw IoError(path + ": cannot follow the symbolic link");
      path = t.string();
      exists = false;
    } else {
      path = real;
      std::free(real);
      exists = ::stat(path.c_str(), &st) == 0;
    }
  }
  if (exists) {
    if (S_ISDIR(st.st_mode)) throw IoError(path_in + ": is a directory");
    if (!S_ISREG(st.st_mode)) return write_special(path, content);
    if (!overwrite) throw IoError(path_in + ": file exists (use --force to replace it)");
    if (!replaces_input && is_input(st)) throw IoError(path_in + ": is an input of this command; not replaced, even with --force");
  }
  const std::filesystem::path target(path);
  const std::string folder = target.has_parent_path() ? target.parent_path().string() : std::string(".");
  std::string tmpl = folder + "/." + target.filename().string() + ".tcx-XXXXXX";
  if (tmpl.size() >= sizeof g_temp_path) throw IoError(path_in + ": the file name is too long");
  install_handlers();
  std::lock_guard<std::mutex> lock(g_write_mutex);
  Fd f;
  {
    BlockSignals block;
    f.fd = ::mkstemp(tmpl.data());
    if (f.fd < 0) throw IoError(path_in + ": cannot write in " + folder + ": " + errno_text(errno));
    std::memcpy(g_temp_path, tmpl.c_str(), tmpl.size() + 1);
    g_temp_live = 1;
  }
  auto drop_temp = [&] {
    BlockSignals block;
    if (g_temp_live) ::unlink(g_temp_path);
    g_temp_live = 0;
  };
  try {
    write_all(f.fd, content, path_in);
    // The replaced file keeps its permissions; a new one gets the usual 0666 & ~umask.
    ::fchmod(f.fd, exists ? (st.st_mode & 07777) : default_file_mode());
    if (::fsync(f.fd) != 0) throw IoError(path_in + ": cannot write: " + errno_text(errno));
    const int fd = f.fd;
    f.fd = -1;
    if (::close(fd) != 0) throw IoError(path_in + ": cannot write: " + errno_text(errno));
    if (!overwrite) {
      // Without --force a file that appeared meanwhile must survive: link() refuses to replace.
      if (::link(tmpl.c_str(), path.c_str()) == 0) {
        drop_temp();
        return;
      }
      if (errno == EEXIST) throw IoError(path_in + ": file exists (use --force to replace it)");
      // Filesystems without hard links: fall back to rename.
    }
    if (::rename(tmpl.c_str(), path.c_str()) != 0) throw IoError(path_in + ": cannot write: " + errno_text(errno));
    BlockSignals block;
    g_temp_live = 0;
  } catch (...) {
    drop_temp();
    throw;
  }
}

void prepare_output_folder(const std::string& dir, const std::string& marker, const std::string& marker_head, bool overwrite) {
  namespace fs = std::filesystem;
  if (dir.empty()) throw IoError("the output folder name is empty");
  std::error_code ec;
  const fs::file_status s = fs::status(dir, ec);
  if (fs::exists(s) && !fs::is_directory(s)) throw IoError(dir + ": exists and is not a folder");
  if (!fs::exists(s)) {
    fs::create_directories(dir, ec);
    if (ec) throw IoError(dir + ": cannot create the folder: " + ec.message());
    return;
  }
  const bool empty = fs::is_empty(dir, ec);
  if (ec) throw IoError(dir + ": cannot read the folder: " + ec.message());
  if (empty) return;
  const fs::path mark = fs::path(dir) / marker;
  if (!fs::exists(mark))
    throw IoError(dir + ": the folder holds other files and no " + marker + ": not writing into it (choose another folder)");
  std::string head(marker_head.size(), '\0');
  std::ifstream in(mark, std::ios::binary);
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  if (!in || head != marker_head)
    throw IoError(dir + ": its " + marker + " was not written by tcx: not writing into the folder (choose another folder)");
  if (!overwrite) throw IoError(dir + " already holds a " + marker + " (use --force to replace it, or choose another folder)");
}

}  // namespace tcx
