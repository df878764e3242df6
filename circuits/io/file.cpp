#include "circuits/io/file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace tcx {

ParseError::ParseError(const std::string& f, std::uint32_t l, std::uint32_t c, const std::string& m)
    : std::runtime_error(f + ":" + std::to_string(l) + ":" + std::to_string(c) + ": " + m),
      file(f), line(l), col(c), message(m) {}

std::string read_file(const std::string& path, std::uint64_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw IoError(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open: " + std::strerror(errno));
  std::string data;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    if (data.size() + static_cast<std::uint64_t>(in.gcount()) > max_bytes)
      throw IoError(path + ": file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    data.append(buf, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw IoError(path + ": read error");
  return data;
}

namespace {
bool discard_writes = false;
}

void discard_file_writes(bool discard) { discard_writes = discard; }

void write_file(const std::string& path, const std::string& content, bool overwrite) {
  if (discard_writes) return;
  if (path == "-") {
    std::cout << content;
    std::cout.flush();
    return;
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec) && !overwrite)
    throw IoError(path + ": file exists (use --force to replace it)");
  std::string tmp = path + ".tcx-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError(path + ": cannot write: " + std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      throw IoError(path + ": write failed");
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError(path + ": cannot write: " + ec.message());
  }
}

}  // namespace tcx
