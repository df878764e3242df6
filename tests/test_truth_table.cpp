// circuits/truth_table.hpp against a plain reference: a std::vector<bool> of 2^n values, every
// operation written out pattern by pattern. Random tables at every size from 0 to 10 inputs
// (below one word, exactly one word at 6, several words, and inputs >= 6 that select words).
#include <catch2/catch.hpp>

#include <random>
#include <unordered_set>

#include "circuits/truth_table.hpp"

using namespace tcx;

namespace {

using Ref = std::vector<bool>;

Ref random_ref(std::uint32_t n, std::mt19937_64& rng, int density) {
  Ref r(std::size_t(1) << n);
  for (std::size_t p = 0; p < r.size(); ++p) r[p] = static_cast<int>(rng() % 4) < density;
  return r;
}

truth_table from_ref(std::uint32_t n, const Ref& r) {
  truth_table t(n);
  for (std::size_t p = 0; p < r.size(); ++p)
    if (r[p]) set_bit(t, p);
  return t;
}

void require_equal(const truth_table& t, const Ref& r) {
  REQUIRE(t.num_bits() == r.size());
  for (std::size_t p = 0; p < r.size(); ++p) REQUIRE(get_bit(t, p) == r[p]);
  // Nothing past the patterns: the tail of the last word is zero.
  if (t.num_vars() < 6) REQUIRE((t.words()[0] >> r.size()) == 0);
}

// Row p as the hex numbers print it: the most significant digit is rows 4d+3..4d.
std::string ref_hex(const Ref& r) {
  const std::size_t digits = r.size() >= 4 ? r.size() / 4 : 1;
  std::string s;
  for (std::size_t d = digits; d-- > 0;) {
    unsigned v = 0;
    for (unsigned b = 0; b < 4; ++b)
      if (4 * d + b < r.size() && r[4 * d + b]) v |= 1u << b;
    s += "0123456789abcdef"[v];
  }
  return s;
}

}  // namespace

TEST_CASE("truth_table: bits, counts and constructors against a vector<bool>", "[truth_table]") {
  std::mt19937_64 rng(1);
  for (std::uint32_t n = 0; n <= 10; ++n)
    for (int density : {0, 1, 2, 4}) {
      INFO("n " << n << " density " << density);
      const Ref r = random_ref(n, rng, density);
      const truth_table t = from_ref(n, r);
      REQUIRE(t.num_vars() == n);
      REQUIRE(t.num_words() == (n <= 6 ? 1u : std::size_t(1) << (n - 6)));
      require_equal(t, r);
      std::uint64_t ones = 0;
      for (bool b : r) ones += b;
      REQUIRE(count_ones(t) == ones);
      REQUIRE(is_const0(t) == (ones == 0));
      REQUIRE(make_truth_table(n, [&](std::uint64_t p) { return r[p]; }) == t);
      std::vector<std::uint64_t> seen;
      for_each_one(t, [&](std::uint64_t p) { seen.push_back(p); });
      std::vector<std::uint64_t> want;
      for (std::size_t p = 0; p < r.size(); ++p)
        if (r[p]) want.push_back(p);
      REQUIRE(seen == want);
      // Clearing and setting single bits.
      truth_table u = t;
      const std::uint64_t p = rng() % t.num_bits();
      clear_bit(u, p);
      Ref ru = r;
      ru[p] = false;
      require_equal(u, ru);
      set_bit(u, p, true);
      ru[p] = true;
      require_equal(u, ru);
    }
}

TEST_CASE("truth_table: Boolean operations mask the tail", "[truth_table]") {
  std::mt19937_64 rng(2);
  for (std::uint32_t n = 0; n <= 9; ++n)
    for (int trial = 0; trial < 4; ++trial) {
      INFO("n " << n);
      const Ref a = random_ref(n, rng, 2), b = random_ref(n, rng, 1), c = random_ref(n, rng, 3);
      const truth_table ta = from_ref(n, a), tb = from_ref(n, b), tc = from_ref(n, c);
      Ref r_and(a.size()), r_or(a.size()), r_xor(a.size()), r_not(a.size()), r_maj(a.size());
      for (std::size_t p = 0; p < a.size(); ++p) {
        r_and[p] = a[p] && b[p];
        r_or[p] = a[p] || b[p];
        r_xor[p] = a[p] != b[p];
        r_not[p] = !a[p];
        r_maj[p] = (a[p] + b[p] + c[p]) >= 2;
      }
      require_equal(ta & tb, r_and);
      require_equal(ta | tb, r_or);
      require_equal(ta ^ tb, r_xor);
      require_equal(~ta, r_not);  // the complement of a 2-pattern table has 2 bits, not 64
      REQUIRE(count_ones(~ta) + count_ones(ta) == ta.num_bits());
      require_equal(ternary_operation(ta, tb, tc, [](std::uint64_t x, std::uint64_t y, std::uint64_t z) {
                      return (x & y) | (x & z) | (y & z);
                    }),
                    r_maj);
    }
  CHECK_THROWS_AS(truth_table(3) & truth_table(4), std::invalid_argument);
}

TEST_CASE("truth_table: projections, flips, dependence and symmetry", "[truth_table]") {
  std::mt19937_64 rng(3);
  for (std::uint32_t n = 1; n <= 9; ++n)
    for (int trial = 0; trial < 3; ++trial) {
      const Ref r = random_ref(n, rng, 2);
      const truth_table t = from_ref(n, r);
      for (std::uint32_t i = 0; i < n; ++i) {
        INFO("n " << n << " input " << i);
        Ref var(r.size()), flipped(r.size());
        bool depends = false;
        for (std::size_t p = 0; p < r.size(); ++p) {
          var[p] = (p >> i) & 1u;
          flipped[p] = r[p ^ (std::size_t(1) << i)];
          depends = depends || r[p] != flipped[p];
        }
        require_equal(nth_var(n, i), var);
        require_equal(flip(t, i), flipped);
        REQUIRE(has_var(t, i) == depends);
        for (std::uint32_t j = 0; j < n; ++j) {
          bool symmetric = true;
          for (std::size_t p = 0; p < r.size(); ++p) {
            const std::size_t bi = (p >> i) & 1u, bj = (p >> j) & 1u;
            const std::size_t q = (p & ~((std::size_t(1) << i) | (std::size_t(1) << j))) | (bi << j) | (bj << i);
            symmetric = symmetric && r[p] == r[q];
          }
          REQUIRE(symmetric_in(t, i, j) == symmetric);
        }
      }
    }
  // Functions that do have the properties (random ones rarely are symmetric): parity and a
  // threshold function are symmetric in every pair; x0 AND NOT x7 depends on exactly 0 and 7.
  for (std::uint32_t n : {2u, 5u, 6u, 8u}) {
    const truth_table parity = make_truth_table(n, [](std::uint64_t p) { return __builtin_popcountll(p) & 1; });
    const truth_table at_least = make_truth_table(n, [n](std::uint64_t p) { return 2u * __builtin_popcountll(p) >= n; });
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::uint32_t j = 0; j < n; ++j) {
        CHECK(symmetric_in(parity, i, j));
        CHECK(symmetric_in(at_least, i, j));
      }
  }
  const truth_table f = nth_var(8, 0) & ~nth_var(8, 7);
  for (std::uint32_t i = 0; i < 8; ++i) CHECK(has_var(f, i) == (i == 0 || i == 7));
  CHECK_FALSE(symmetric_in(f, 0, 7));
  CHECK_THROWS_AS(flip(truth_table(3), 3), std::invalid_argument);
  CHECK_THROWS_AS(nth_var(6, 6), std::invalid_argument);
}

TEST_CASE("truth_table: hex both ways", "[truth_table]") {
  std::mt19937_64 rng(4);
  for (std::uint32_t n = 0; n <= 9; ++n) {
    const Ref r = random_ref(n, rng, 2);
    const truth_table t = from_ref(n, r);
    INFO("n " << n);
    REQUIRE(to_hex(t) == ref_hex(r));
    REQUIRE(from_hex(n, to_hex(t)) == t);
  }
  CHECK(to_hex(make_truth_table(2, [](std::uint64_t p) { return __builtin_popcountll(p) & 1; })) == "6");
  CHECK(to_hex(make_truth_table(4, [](std::uint64_t p) { return __builtin_popcountll(p) & 1; })) == "6996");
  CHECK(from_hex(4, "6") == make_truth_table(4, [](std::uint64_t p) { return p == 1 || p == 2; }));  // zero-extended
  CHECK(from_hex(3, "E8") == from_hex(3, "e8"));
  CHECK(from_hex(1, "2") == nth_var(1, 0));
  CHECK(from_hex(0, "1") == ~truth_table(0));
  CHECK_THROWS_WITH(from_hex(2, "66"), "needs at most 1 hex digits for 2 inputs");
  CHECK_THROWS_WITH(from_hex(2, "6g"), "is not hexadecimal");
  CHECK_THROWS_WITH(from_hex(2, "0x6"), "is not hexadecimal digits alone (leave out the 0x)");
  CHECK_THROWS_WITH(from_hex(2, "-6"), "is not hexadecimal");
  CHECK_THROWS_WITH(from_hex(3, "6g"), "is not hexadecimal");
  CHECK_THROWS_WITH(from_hex(1, "4"), "has rows beyond 2^inputs");
  CHECK_THROWS_WITH(from_hex(0, "2"), "has rows beyond 2^inputs");
  CHECK_THROWS_WITH(from_hex(3, ""), "needs at most 2 hex digits for 3 inputs");
  CHECK_THROWS_AS(truth_table(33), std::invalid_argument);
}

TEST_CASE("truth_table: equality and hashing", "[truth_table]") {
  std::mt19937_64 rng(5);
  std::unordered_set<truth_table> set;
  std::vector<truth_table> all;
  for (std::uint32_t n = 0; n <= 8; ++n)
    for (int trial = 0; trial < 20; ++trial) {
      truth_table t = from_ref(n, random_ref(n, rng, 2));
      set.insert(t);
      all.push_back(std::move(t));
    }
  // Each table found by an equal copy, and equal tables hash alike.
  for (const truth_table& t : all) {
    const truth_table copy = t;
    CHECK(set.count(copy) == 1);
    CHECK(std::hash<truth_table>{}(copy) == std::hash<truth_table>{}(t));
  }
  // The same words over different numbers of inputs are different functions.
  CHECK(truth_table(3) != truth_table(4));
  CHECK(hash_value(truth_table(3)) != hash_value(truth_table(4)));
  CHECK(truth_table() == truth_table(0));
}
