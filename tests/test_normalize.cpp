// The normalizer (circuits/normalize.hpp) against the Builder's add_gate and against exhaustive
// evaluation of the request: random requests with negated, constant and repeated fan-ins,
// weights near the 32- and 64-bit limits, through the 64-bit, the GMP and the ladder entry.
#include <catch2/catch.hpp>

#include "circuits/builder.hpp"
#include "circuits/normalize.hpp"

#include <random>

using namespace tcx;

namespace {

constexpr std::uint32_t inputs = 6;

struct Request {
  std::vector<Lit> f;
  std::vector<std::int64_t> w;
  std::int64_t t = 0;
};

std::int64_t random_weight(std::mt19937_64& rng) {
  switch (rng() % 8) {
    case 0: return static_cast<std::int64_t>(rng() % 5) * ((std::int64_t(1) << 31) - 1) / 4 - ((std::int64_t(1) << 31) - 1) / 2;
    case 1: return static_cast<std::int64_t>(rng() % 3 + 1) * ((std::int64_t(1) << 40) + 3) * (rng() % 2 ? 1 : -1);
    case 2: return 6 * (static_cast<std::int64_t>(rng() % 7) - 3);  // a common factor
    default: return static_cast<std::int64_t>(rng() % 9) - 4;
  }
}

Request random_request(std::mt19937_64& rng) {
  Request r;
  const std::size_t k = rng() % 6;
  for (std::size_t i = 0; i < k; ++i) {
    r.f.push_back(Lit(static_cast<node_id>(rng() % (inputs + 1)), rng() % 2));  // node 0: a constant
    r.w.push_back(random_weight(rng));
  }
  std::int64_t span = 1;
  for (std::int64_t w : r.w) span += w < 0 ? -w : w;
  r.t = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(2 * span + 1)) - span;
  if (rng() % 16 == 0) r.t = (rng() % 2 ? 1 : -1) * (std::int64_t(1) << 62);
  return r;
}

// The request's value on an assignment of the inputs (bit i: input i), in exact arithmetic.
bool value_of(const Request& r, std::uint32_t assignment) {
  mpz_class sum = 0;
  for (std::size_t i = 0; i < r.f.size(); ++i) {
    const node_id n = r.f[i].node();
    const bool x = (n == 0 ? false : (assignment >> (n - 1)) & 1) != r.f[i].negated();
    if (x) sum += mpz_class(static_cast<long>(r.w[i]));
  }
  return sum >= mpz_class(static_cast<long>(r.t));
}

bool lit_value(Lit l, std::uint32_t assignment) {
  const bool x = l.node() == 0 ? false : (assignment >> (l.node() - 1)) & 1;
  return x != l.negated();
}

// A normalized gate's value: its stored sum against its threshold, complemented when negated.
bool gate_value(const normal_gate& g, bool negated, std::uint32_t assignment) {
  mpz_class sum = 0;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    if ((assignment >> (g.nodes[i] - 1)) & 1)
      sum += g.small() ? mpz_class(static_cast<long>(g.w32[i])) : g.big->weights[i];
  const mpz_class t = g.small() ? mpz_class(static_cast<long>(g.t64)) : g.big->threshold;
  return (sum >= t) != negated;
}

std::vector<mpz_class> big_weights(const std::vector<std::int64_t>& w) {
  std::vector<mpz_class> out;
  for (std::int64_t x : w) out.emplace_back(static_cast<long>(x));
  return out;
}

}  // namespace

TEST_CASE("the normalizer gives the Builder's gates and the request's function", "[builder][normalize]") {
  std::mt19937_64 rng(21);
  for (int round = 0; round < 3000; ++round) {
    const Request r = random_request(rng);
    GateBatch batch, by_gmp;
    batch.reset(1 + inputs);
    by_gmp.reset(1 + inputs);
    normalize_gate(batch, r.f, r.w, r.t);
    normalize_gate(by_gmp, r.f, big_weights(r.w), mpz_class(static_cast<long>(r.t)));
    REQUIRE(batch.size() == 1);
    REQUIRE(by_gmp.size() == 1);
    CHECK(batch.stats().gates_requested == 1);

    builder_params p;
    p.structural_hashing = false;
    Builder b(p);
    b.add_inputs(inputs);
    const Lit built = b.add_gate(r.f, r.w, r.t);

    // Exhaustively the same function as the request.
    for (std::uint32_t a = 0; a < (1u << inputs); ++a) {
      const bool want = value_of(r, a);
      if (batch.is_folded(0)) REQUIRE(lit_value(batch.lit(0), a) == want);
      else REQUIRE(gate_value(batch.gate(0), batch.lit(0).negated(), a) == want);
    }
    // The GMP entry normalizes alike, to the same fingerprint.
    REQUIRE(batch.is_folded(0) == by_gmp.is_folded(0));
    if (batch.is_folded(0)) {
      CHECK(batch.lit(0) == by_gmp.lit(0));
      CHECK(built == batch.lit(0));
      CHECK(b.num_gates() == 0);
      continue;
    }
    const normal_gate g = batch.gate(0), h = by_gmp.gate(0);
    CHECK(batch.lit(0) == by_gmp.lit(0));
    CHECK(g.hash == h.hash);
    CHECK(g.check == h.check);
    CHECK(g.small() == h.small());
    CHECK(std::equal(g.nodes.begin(), g.nodes.end(), h.nodes.begin(), h.nodes.end()));
    // The normal form: sorted distinct fan-ins, at least two, the first weight positive.
    CHECK(g.nodes.size() >= 2);
    CHECK(std::adjacent_find(g.nodes.begin(), g.nodes.end(), [](node_id x, node_id y) { return x >= y; }) == g.nodes.end());
    // The Builder stored the same gate, with the same sign.
    REQUIRE(b.num_gates() == 1);
    CHECK(built == Lit(b.num_nodes() - 1, batch.lit(0).negated()));
    const Circuit c = std::move(b).build_all();
    const auto fanins = c.fanins(gate_id(0));
    CHECK(std::equal(fanins.begin(), fanins.end(), g.nodes.begin(), g.nodes.end()));
    CHECK(c.is_big(gate_id(0)) == !g.small());
    if (g.small()) {
      CHECK(g.w32[0] > 0);
      const auto w = c.small_weights(gate_id(0));
      CHECK(std::equal(w.begin(), w.end(), g.w32.begin(), g.w32.end()));
      CHECK(c.small_threshold(gate_id(0)) == g.t64);
      std::uint64_t abs_sum = 0;
      std::uint32_t max_abs = 0;
      for (std::int32_t x : g.w32) {
        abs_sum += static_cast<std::uint64_t>(x < 0 ? -std::int64_t(x) : x);
        max_abs = std::max<std::uint32_t>(max_abs, static_cast<std::uint32_t>(x < 0 ? -std::int64_t(x) : x));
      }
      CHECK(g.abs_sum == abs_sum);
      CHECK(g.max_abs == max_abs);
    } else {
      CHECK(sgn(g.big->weights[0]) > 0);
      CHECK(c.big(gate_id(0)).weights == g.big->weights);
      CHECK(c.big(gate_id(0)).threshold == g.big->threshold);
      CHECK(h.big->weights == g.big->weights);
    }
  }
}

TEST_CASE("a ladder normalizes as one gate per threshold", "[builder][normalize]") {
  std::mt19937_64 rng(22);
  for (int round = 0; round < 1000; ++round) {
    Request r = random_request(rng);
    std::vector<std::int64_t> thresholds;
    for (int k = 0; k < 5; ++k) thresholds.push_back(random_request(rng).t);
    thresholds.push_back(r.t);
    GateBatch ladder, one;
    ladder.reset(1 + inputs);
    one.reset(1 + inputs);
    normalize_ladder(ladder, r.f, r.w, thresholds);
    for (std::int64_t t : thresholds) normalize_gate(one, r.f, r.w, t);
    REQUIRE(ladder.size() == one.size());
    CHECK(ladder.stats().gates_requested == thresholds.size());
    CHECK(ladder.stats().constant_gates == one.stats().constant_gates);
    CHECK(ladder.stats().buffer_gates == one.stats().buffer_gates);
    for (std::size_t k = 0; k < ladder.size(); ++k) {
      REQUIRE(ladder.is_folded(k) == one.is_folded(k));
      CHECK(ladder.lit(k) == one.lit(k));
      if (ladder.is_folded(k)) continue;
      const normal_gate g = ladder.gate(k), h = one.gate(k);
      CHECK(g.hash == h.hash);
      CHECK(g.check == h.check);
      CHECK(std::equal(g.nodes.begin(), g.nodes.end(), h.nodes.begin(), h.nodes.end()));
      if (g.small()) {
        CHECK(std::equal(g.w32.begin(), g.w32.end(), h.w32.begin(), h.w32.end()));
        CHECK(g.t64 == h.t64);
      } else {
        CHECK(g.big->weights == h.big->weights);
        CHECK(g.big->threshold == h.big->threshold);
      }
    }
  }
}

TEST_CASE("the normalizer refuses what add_gate refuses", "[builder][normalize]") {
  GateBatch batch;
  batch.reset(3);  // the constant and two inputs
  const std::vector<Lit> f{Lit(1, false), Lit(3, false)};
  const std::vector<std::int64_t> w{1, 1};
  CHECK_THROWS_AS(normalize_gate(batch, f, w, 1), std::invalid_argument);  // node 3 does not exist
  const std::vector<std::int64_t> one{1};
  CHECK_THROWS_AS(normalize_gate(batch, f, one, 1), std::invalid_argument);  // counts differ
  CHECK(batch.size() == 0);
  batch.defer();
  CHECK(batch.is_deferred(0));
}
