// Library-level regressions of issue 20 (hostile input, file safety): the pieces the CLI and the
// Python binding share. tests/cli/test_cli_hardening.sh covers the command line.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "circuits/builder.hpp"
#include "circuits/evaluate.hpp"
#include "circuits/io/aiger.hpp"
#include "circuits/io/blif.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/formats.hpp"
#include "circuits/io/tc_format.hpp"
#include "circuits/io/th_format.hpp"
#include "circuits/lower.hpp"
#include "circuits/simulate.hpp"

using namespace tcx;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/tcx-hardening-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string slurp(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string error_of(auto&& f) {
  try {
    f();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("write_file: no clobber, unique temporaries, links and special files written through", "[hardening][file]") {
  TempDir d;
  write_file(d / "a.tc", "one\n", false);
  CHECK(slurp(d / "a.tc") == "one\n");
  CHECK(error_of([&] { write_file(d / "a.tc", "two\n", false); }).find("file exists (use --force") != std::string::npos);
  write_file(d / "a.tc", "two\n", true);
  CHECK(slurp(d / "a.tc") == "two\n");
  // The temporary name of old versions is the user's file now: it survives.
  write_file(d / "b.tc.tcx-tmp", "mine\n", false);
  write_file(d / "b.tc", "x\n", false);
  CHECK(slurp(d / "b.tc.tcx-tmp") == "mine\n");
  // No temporary is left next to the target.
  for (const auto& e : fs::directory_iterator(d.path)) CHECK(e.path().filename().string().rfind(".", 0) == std::string::npos);
  // A symbolic link is followed: the target changes, the link stays.
  fs::create_symlink("a.tc", d.path / "link.tc");
  CHECK_THROWS_AS(write_file(d / "link.tc", "three\n", false), IoError);
  write_file(d / "link.tc", "three\n", true);
  CHECK(fs::is_symlink(d.path / "link.tc"));
  CHECK(slurp(d / "a.tc") == "three\n");
  // A FIFO is written through, not replaced (a child reads it).
  REQUIRE(::mkfifo((d / "fifo").c_str(), 0600) == 0);
  const pid_t child = ::fork();
  if (child == 0) {
    std::ifstream in(d / "fifo");
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    _exit(s == "through\n" ? 0 : 1);
  }
  write_file(d / "fifo", "through\n", true);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  struct stat st {};
  REQUIRE(::lstat((d / "fifo").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  // Errors say what is wrong (errno is read before any clean-up).
  CHECK(error_of([&] { write_file(d.path.string(), "x", true); }).find("is a directory") != std::string::npos);
  CHECK(error_of([&] { write_file("", "x", true); }).find("empty") != std::string::npos);
  CHECK(error_of([&] { write_file(d / "none/x.tc", "x", true); }).find("No such file or directory") != std::string::npos);
}

TEST_CASE("write_file: a signal during the write removes the temporary", "[hardening][file]") {
  TempDir d;
  const pid_t child = ::fork();
  if (child == 0) {
    // SIGXFSZ arrives inside write(): past a file size limit of 4 KiB.
    struct rlimit lim {4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &lim);
    write_file(d / "big.tc", std::string(1 << 20, 'x'), false);
    _exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGXFSZ);
  CHECK(fs::is_empty(d.path));
}

TEST_CASE("prepare_output_folder refuses a folder of the user's files", "[hardening][file]") {
  TempDir d;
  const std::string head = "# tcx report\n";
  prepare_output_folder(d / "new", "report.md", head, false);  // created
  CHECK(fs::is_directory(d.path / "new"));
  prepare_output_folder(d / "new", "report.md", head, false);  // empty: fine
  write_file(d / "new/data.json", "{}", false);
  CHECK_THROWS_AS(prepare_output_folder(d / "new", "report.md", head, true), IoError);
  write_file(d / "new/report.md", "# My notes\n", false);  // the user's own report.md: kept even with overwrite
  CHECK_THROWS_WITH(prepare_output_folder(d / "new", "report.md", head, true), Catch::Contains("was not written by tcx"));
  write_file(d / "new/report.md", "# tcx", true);  // shorter than the head
  CHECK_THROWS_AS(prepare_output_folder(d / "new", "report.md", head, true), IoError);
  write_file(d / "new/report.md", head + "more", true);
  CHECK_THROWS_AS(prepare_output_folder(d / "new", "report.md", head, false), IoError);
  prepare_output_folder(d / "new", "report.md", head, true);
}

TEST_CASE("read_file checks the head before reading on", "[hardening][file]") {
  TempDir d;
  fs::create_symlink("/dev/zero", d.path / "z.blif");
  fs::create_symlink("/dev/zero", d.path / "z.aig");
  CHECK(error_of([&] { read_circuit_file(d / "z.blif"); }).find("z.blif:1:1: a NUL byte") != std::string::npos);
  CHECK(error_of([&] { read_circuit_file(d / "z.aig"); }).find("not an AIGER file") != std::string::npos);
  CHECK(error_of([&] { read_file(d / "z.blif", 1000); }).find("larger than the limit of 1000 bytes") != std::string::npos);
}

TEST_CASE("printable: control bytes escaped, long text cut", "[hardening]") {
  CHECK(printable("a\x1b[31mb") == "a\\x1b[31mb");
  CHECK(printable(std::string(1000, 'x'), 10) == std::string(10, 'x') + "...");
  // A ParseError never carries raw bytes.
  CHECK(error_of([] { read_blif(".model m\n.\x1b[2J\n", "e.blif"); }).find('\x1b') == std::string::npos);
}

TEST_CASE("AIGER 1.9: the format's own examples, sparse variables, properties refused", "[hardening][aiger]") {
  // The half adder of the AIGER documentation: M = 7 > I + L + A = 5.
  const Circuit h = read_aiger("aag 7 2 0 2 3\n2\n4\n6\n12\n6 13 15\n12 2 4\n14 3 5\ni0 x\ni1 y\no0 s\no1 c\nc\nhalf adder\n", "h.aag");
  REQUIRE(h.num_inputs() == 2);
  for (std::uint64_t p = 0; p < 4; ++p) {
    const auto out = evaluate_pattern(h, p);
    CHECK(out[0] == ((p & 1) ^ (p >> 1)));
    CHECK(out[1] == ((p & 1) & (p >> 1)));
  }
  CHECK(h.outputs()[0].name == "s");
  CHECK(h.name(h.input_node(1)) == "y");
  // Inputs in any order: input 0 is variable 5, input 1 variable 2; 6 = 10 & !4.
  const Circuit s = read_aiger("aag 9 2 0 1 1\n10\n4\n6\n6 10 5\n", "s.aag");
  for (std::uint64_t p = 0; p < 4; ++p) CHECK(evaluate_pattern(s, p)[0] == (p == 1));
  // A sparse M does not allocate M entries.
  const Circuit big_m = read_aiger("aag 2000000000 1 0 1 0\n3999999998\n3999999999\n", "m.aag");
  CHECK(evaluate_pattern(big_m, 1)[0] == 0);
  // Binary: 64 inputs take no bytes.
  Builder b;
  std::vector<Lit> in;
  for (int i = 0; i < 64; ++i) in.push_back(b.add_input());
  Lit f[2] = {in[0], in[63]};
  std::int64_t w[2] = {1, 1};
  b.add_output(b.add_gate(f, w, 2));
  const Circuit wide = std::move(b).build();
  const Circuit back = read_aiger(write_aiger(wide, true), "w.aig");
  CHECK(back.num_inputs() == 64);
  for (std::uint64_t p : {0ull, 1ull, 1ull << 63, (1ull << 63) | 1, ~0ull}) {
    std::vector<std::uint8_t> bits(64);
    for (int i = 0; i < 64; ++i) bits[i] = (p >> i) & 1;
    CHECK(evaluate(back, bits) == evaluate(wide, bits));
  }
  CHECK(error_of([] { read_aiger("aag 1 1 0 0 0 1\n2\n2\n", "p.aag"); }).find("bad-state") != std::string::npos);
  CHECK(read_aiger("aag 1 1 0 1 0 0 0 0 0\n2\n2\n", "z.aag").num_inputs() == 1);
  CHECK(error_of([] { read_aiger("aag 2 2 0 0 0\n2\n2\n", "d.aag"); }).find("defined twice") != std::string::npos);
}

TEST_CASE("empty BLIF and .th files are refused; Verilog keywords are escaped", "[hardening][blif][th]") {
  CHECK(error_of([] { read_blif("", "e.blif"); }) == "e.blif:1:1: empty BLIF file (no .model, .inputs, .outputs or .names)");
  CHECK(error_of([] { read_blif("# only a comment\n", "e.blif"); }).find("empty BLIF") != std::string::npos);
  CHECK(error_of([] { read_th("", "e.th"); }).find("empty .th file") != std::string::npos);
  Builder b;
  Lit a = b.add_input("module"), c = b.add_input("wire");
  Lit f[2] = {a, c};
  std::int64_t w[2] = {1, 1};
  b.add_output(b.add_gate(f, w, 2), "assign");
  const std::string v = write_verilog(std::move(b).build());
  CHECK(v.find("\\module ") != std::string::npos);
  CHECK(v.find("\\wire ") != std::string::npos);
  CHECK(v.find("\\assign ") != std::string::npos);
  CHECK(v.find("input module;") == std::string::npos);
}

TEST_CASE("lowering sweeps the ANDs no output reads", "[hardening][lower]") {
  const Circuit m = read_tc("tcx-circuit 1\ninput a b c\ngate m = a + b + c >= 2\noutput m\n", "m.tc");
  lower_stats st;
  const Circuit l = lower_to_and_network(m, &st);
  CHECK(st.dead_removed > 0);
  // Every AND is read by an output or by another AND.
  std::vector<std::uint8_t> read(l.num_nodes(), 0);
  for (const Output& o : l.outputs()) read[o.lit.node()] = 1;
  for (gate_id g : l.gates())
    for (node_id f : l.fanins(g)) read[f] = 1;
  for (gate_id g : l.gates()) CHECK(read[l.gate_node(g)]);
  CHECK(equivalent_by_simulation(m, l).verdict == equiv_result::equal);
}
