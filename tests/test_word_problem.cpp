// Word problems with one output: the groups' element lists, hand counts, natural circuits
// against the reference solvers on every input.
#include <catch2/catch.hpp>

#include "circuits/simulate.hpp"
#include "tasks/task.hpp"
#include "tasks/word_problem.hpp"

using namespace tcx;

namespace {
std::uint64_t identity_words(const Task& t, std::int64_t n) {
  const TaskParams p = t.resolve({{"n", n}});
  const std::uint32_t bits = t.input_bits(p);
  std::uint64_t count = 0;
  for (std::uint64_t q = 0; q < (std::uint64_t(1) << bits); ++q) {
    Bits x(bits);
    for (std::uint32_t i = 0; i < bits; ++i) x[i] = (q >> i) & 1u;
    count += t.solve(p, x)[0];
  }
  return count;
}
}  // namespace

TEST_CASE("group element lists", "[tasks][word]") {
  CHECK(group_elements(3, false).size() == 6);
  CHECK(group_elements(5, true).size() == 60);
  CHECK(group_elements(5, false).size() == 120);
  const auto s3 = group_elements(3, false);
  CHECK(s3[0] == std::vector<std::uint8_t>{0, 1, 2});  // the identity first
  CHECK(s3[3] == std::vector<std::uint8_t>{1, 2, 0});
  CHECK(s3[5] == std::vector<std::uint8_t>{2, 1, 0});
  const auto a5 = group_elements(5, true);
  CHECK(a5[1] == std::vector<std::uint8_t>{0, 1, 3, 4, 2});  // the first 3-cycle in lexicographic order
  CHECK(find_task("word_s3")->input_bits({{"n", 4}}) == 12);
  CHECK(find_task("word_a5")->input_bits({{"n", 3}}) == 18);
  CHECK(find_task("word_s5")->input_bits({{"n", 3}}) == 21);
}

TEST_CASE("word problems: hand counts of identity products", "[tasks][word]") {
  // n = 2: a product is the identity when the second element is the first's inverse. The
  // identity has 1 + (2^b - order) codes (the unused codes stand for it), every other element one.
  CHECK(identity_words(*find_task("word_s3"), 1) == 3);                  // codes 0, 6, 7
  CHECK(identity_words(*find_task("word_s3"), 2) == 3 * 3 + 5);          // 14
  CHECK(identity_words(*find_task("word_a5"), 2) == 5 * 5 + 59);         // 84
  CHECK(identity_words(*find_task("word_s5"), 2) == 9 * 9 + 119);        // 200
  // S_3, n = 3, by hand: of the 36 triples with product 1, all three the identity (3^3 = 27 code
  // triples), exactly one the identity (3 * 5 triples, 3 codes each: 45), none (25 - 5 = 20): 92.
  const auto s3 = group_elements(3, false);
  std::uint64_t expect = 0;
  auto codes = [](std::size_t g) { return g == 0 ? 3u : 1u; };
  for (std::size_t a = 0; a < 6; ++a)
    for (std::size_t b = 0; b < 6; ++b)
      for (std::size_t c = 0; c < 6; ++c) {
        bool id = true;  // apply a, then b, then c
        for (unsigned e = 0; e < 3; ++e) id = id && s3[c][s3[b][s3[a][e]]] == e;
        if (id) expect += codes(a) * codes(b) * codes(c);
      }
  CHECK(expect == 92);
  CHECK(identity_words(*find_task("word_s3"), 3) == expect);
}

TEST_CASE("word problems: natural circuits equal the reference solvers on every input", "[tasks][word]") {
  struct Case { const char* task; std::int64_t n; };
  for (const Case c : {Case{"word_s3", 1}, Case{"word_s3", 2}, Case{"word_s3", 3}, Case{"word_s3", 5}, Case{"word_a5", 1},
                       Case{"word_a5", 2}, Case{"word_s5", 1}, Case{"word_s5", 2}}) {
    INFO(c.task << " n=" << c.n);
    const Task& t = *find_task(c.task);
    const TaskParams p = t.resolve({{"n", c.n}});
    const Circuit circ = t.natural_circuit(p);
    const std::uint32_t bits = t.input_bits(p);
    REQUIRE(circ.num_inputs() == bits);
    const auto rows = truth_tables(circ);
    for (std::uint64_t q = 0; q < (std::uint64_t(1) << bits); ++q) {
      Bits x(bits);
      for (std::uint32_t i = 0; i < bits; ++i) x[i] = (q >> i) & 1u;
      REQUIRE(get_bit(rows[0], q) == t.solve(p, x)[0]);
    }
  }
}
