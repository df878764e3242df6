// Each normalization rule of the Builder, one by one.
#include <catch2/catch.hpp>

#include "circuits/builder.hpp"
#include "circuits/evaluate.hpp"

#include <map>
#include <random>
#include <thread>

using namespace tcx;

namespace {
struct Abc {
  Builder b;
  Lit a, bb, c;
  Abc() : a(b.add_input("a")), bb(b.add_input("b")), c(b.add_input("c")) {}
  Lit gate(std::vector<Lit> f, std::vector<std::int64_t> w, std::int64_t t) { return b.add_gate(f, w, t); }
};
// The stored gate behind a literal, as (fan-ins, weights, threshold).
struct Stored {
  std::vector<node_id> f;
  std::vector<std::int64_t> w;
  std::int64_t t;
};
// A builder with `inputs` inputs, in counting mode or not: tests that build one circuit two ways
// keep two of them in step.
Builder with_inputs(bool counting, std::uint32_t inputs) {
  Builder b = counting ? Builder(CountingStore{}, builder_params{}) : Builder(builder_params{});
  b.add_inputs(inputs);
  return b;
}
Stored stored(const Builder& b, Lit l) {
  const Circuit& c = b.peek();
  REQUIRE(c.is_gate(l.node()));
  const gate_id g = c.gate_of(l.node());
  Stored s;
  for (node_id n : c.fanins(g)) s.f.push_back(n);
  for (std::int32_t w : c.small_weights(g)) s.w.push_back(w);
  s.t = c.small_threshold(g);
  return s;
}
}  // namespace

TEST_CASE("negated fan-ins fold into weights and threshold", "[builder]") {
  Abc x;
  Lit g = x.gate({!x.a, x.bb}, {1, 1}, 2);  // !a & b
  // stored as the complement of [a - b >= 0]
  CHECK(g.negated());
  Stored s = stored(x.b, g);
  CHECK(s.f == std::vector<node_id>{1, 2});
  CHECK(s.w == std::vector<std::int64_t>{1, -1});
  CHECK(s.t == 0);
  Circuit c = std::move(x.b).build();
  (void)c;
}

TEST_CASE("constant fan-ins fold away", "[builder]") {
  Abc x;
  CHECK(x.gate({x.a, lit_true, lit_false}, {1, 1, 5}, 2) == x.a);   // a + 1 >= 2  ->  a
  CHECK(x.gate({x.a, x.bb, lit_false}, {1, 1, 7}, 2) == x.gate({x.a, x.bb}, {1, 1}, 2));
  CHECK(x.b.num_gates() == 1);
}

TEST_CASE("fan-ins are sorted, duplicates merged, zero weights dropped", "[builder]") {
  Abc x;
  Lit g = x.gate({x.bb, x.a, x.c, x.a}, {1, 1, 1, 1}, 2);  // 2a + b + c >= 2
  Stored s = stored(x.b, g);
  CHECK(s.f == std::vector<node_id>{1, 2, 3});
  CHECK(s.w == std::vector<std::int64_t>{2, 1, 1});
  CHECK(s.t == 2);
  Lit h = x.gate({x.c, x.bb, x.a}, {1, 0, 1}, 1);  // a | c
  CHECK(stored(x.b, h).f == std::vector<node_id>{1, 3});
  CHECK(x.gate({x.a, x.a, x.bb}, {1, -1, 1}, 1) == x.bb);  // a - a cancels
  CHECK(x.gate({x.a, !x.a}, {1, 1}, 1) == lit_true);         // a + !a = 1
}

TEST_CASE("constant gates are detected", "[builder]") {
  Abc x;
  CHECK(x.gate({x.a, x.bb}, {1, 1}, 3) == lit_false);
  CHECK(x.gate({x.a, x.bb}, {1, 1}, 0) == lit_true);
  CHECK(x.gate({x.a, x.bb}, {-1, -1}, -2) == lit_true);
  CHECK(x.gate({x.a, x.bb}, {-1, -1}, 1) == lit_false);
  CHECK(x.gate({}, {}, 0) == lit_true);
  CHECK(x.gate({}, {}, 1) == lit_false);
  CHECK(x.b.num_gates() == 0);
  CHECK(x.b.stats().constant_gates == 6);
}

TEST_CASE("weights are divided by their gcd, threshold rounded up", "[builder]") {
  Abc x;
  Lit g = x.gate({x.a, x.bb}, {2, 2}, 3);  // 2a + 2b >= 3  ==  a + b >= 2
  Stored s = stored(x.b, g);
  CHECK(s.w == std::vector<std::int64_t>{1, 1});
  CHECK(s.t == 2);
  Lit h = x.gate({x.a, x.bb, x.c}, {2, 2, -2}, -1);  // ceil(-1/2) = 0
  Stored sh = stored(x.b, h);
  CHECK(sh.w == std::vector<std::int64_t>{1, 1, -1});
  CHECK(sh.t == 0);
}

TEST_CASE("canonical sign makes a gate and its complement one node", "[builder]") {
  Abc x;
  Lit nand = x.gate({x.a, x.bb}, {-1, -1}, -1);
  Lit land = x.gate({x.a, x.bb}, {1, 1}, 2);
  CHECK(nand == !land);
  CHECK(x.b.num_gates() == 1);
  CHECK(x.b.stats().hash_hits == 1);
}

TEST_CASE("single fan-in gates are buffers or inverters", "[builder]") {
  Abc x;
  CHECK(x.gate({x.a}, {3}, 2) == x.a);
  CHECK(x.gate({x.a}, {-3}, -1) == !x.a);
  CHECK(x.gate({!x.c}, {5}, 1) == !x.c);
  CHECK(x.gate({x.a, x.bb}, {1, 2}, 2) == x.bb);          // y decides alone
  CHECK(x.gate({x.a, x.bb, x.c}, {1, 1, -4}, 0) == !x.c);  // c = 1 forces false, c = 0 forces true
  CHECK(x.b.num_gates() == 0);
}

TEST_CASE("structural hashing creates an identical gate once, and can be turned off", "[builder]") {
  for (bool hashing : {true, false}) {
    Builder b(builder_params{hashing});
    Lit a = b.add_input(), c = b.add_input(), d = b.add_input();
    std::vector<Lit> f{a, c, d};
    std::vector<std::int64_t> w{1, 1, 1};
    Lit g1 = b.add_gate(f, w, 2);
    std::vector<Lit> f2{d, a, c};
    Lit g2 = b.add_gate(f2, w, 2);
    CHECK((g1 == g2) == hashing);
    CHECK(b.num_gates() == (hashing ? 1u : 2u));
  }
}

TEST_CASE("hashing survives table growth", "[builder]") {
  Builder b;
  b.add_inputs(20);
  std::vector<Lit> first;
  std::uint32_t gates_after_first_round = 0;
  std::size_t k = 0;
  for (int rep = 0; rep < 2; ++rep) {
    if (rep == 1) gates_after_first_round = b.num_gates();
    for (std::uint32_t i = 0; i < 20; ++i)
      for (std::uint32_t j = i + 1; j < 20; ++j)
        for (std::int64_t t = 1; t <= 8; ++t) {
          std::vector<Lit> f{b.input(i), b.input(j)};
          std::vector<std::int64_t> w{3, 5};
          Lit l = b.add_gate(f, w, t);
          if (rep == 0) first.push_back(l);
          else CHECK(l == first[k++]);
        }
  }
  // Repeating every request adds no gate: each one is found again (or folds again).
  CHECK(b.stats().gates_requested == 2 * 190 * 8);
  CHECK(b.num_gates() == gates_after_first_round);
  CHECK(b.num_gates() > 100);
}

TEST_CASE("levels are kept on append", "[builder]") {
  Builder b;
  Lit a = b.add_input(), c = b.add_input(), d = b.add_input();
  std::vector<std::int64_t> w{1, 1};
  Lit g1 = b.add_gate(std::vector<Lit>{a, c}, w, 2);
  Lit g2 = b.add_gate(std::vector<Lit>{g1, d}, w, 1);
  Lit g3 = b.add_gate(std::vector<Lit>{g2, a}, w, 2);
  CHECK(b.level(a) == 0);
  CHECK(b.level(g1) == 1);
  CHECK(b.level(g2) == 2);
  CHECK(b.level(g3) == 3);
  b.add_output(g2);
  Circuit circ = std::move(b).build();
  CHECK(circ.depth() == 2);  // g3 is not an output
}

TEST_CASE("misuse is reported, not undefined", "[builder]") {
  Builder b;
  Lit a = b.add_input();
  std::vector<std::int64_t> w{1, 1};
  CHECK_THROWS_AS(b.add_gate(std::vector<Lit>{a, Lit(9, false)}, w, 1), std::invalid_argument);
  CHECK_THROWS_AS(b.add_gate(std::vector<Lit>{a}, w, 1), std::invalid_argument);
  Lit c = b.add_input();
  b.add_gate(std::vector<Lit>{a, c}, w, 2);
  CHECK_THROWS_AS(b.add_input(), std::invalid_argument);
  CHECK(b.set_name(1, "a"));
  CHECK_THROWS_AS(b.set_name(2, "a"), std::invalid_argument);
}

TEST_CASE("gates with weights beyond 64 bits are exact", "[builder][gmp]") {
  Builder b;
  Lit x = b.add_input("x"), y = b.add_input("y"), z = b.add_input("z");
  mpz_class big = (mpz_class(1) << 70) + 1;  // > 2^64, odd so no gcd reduction
  std::vector<Lit> f{x, y, z};
  std::vector<mpz_class> w{big, big - 2, mpz_class(-3)};
  // x*big + y*(big-2) - 3z >= big - 2 + 1 - 3 = big - 4 ... choose t = big - 4
  mpz_class t = big - 4;
  Lit g = b.add_gate(f, w, t);
  b.add_output(g);
  CHECK(b.stats().big_gates == 1);
  Circuit c = std::move(b).build();
  REQUIRE(c.is_big(gate_id(0)));
  for (std::uint64_t p = 0; p < 8; ++p) {
    mpz_class sum = 0;
    for (int i = 0; i < 3; ++i)
      if ((p >> i) & 1) sum += w[i];
    CHECK(evaluate_pattern(c, p)[0] == (sum >= t));
  }
  // With every weight a multiple of 2^70 the gcd brings it back to a small gate.
  Builder b2;
  Lit u = b2.add_input(), v = b2.add_input();
  mpz_class p70 = mpz_class(1) << 70;
  std::vector<mpz_class> w2{p70, p70};
  b2.add_output(b2.add_gate(std::vector<Lit>{u, v}, w2, p70 + 1));  // == [u + v >= 2]
  Circuit c2 = std::move(b2).build();
  CHECK_FALSE(c2.is_big(gate_id(0)));
  CHECK(c2.small_threshold(gate_id(0)) == 2);
}

TEST_CASE("int64 inputs that overflow during folding fall back to GMP", "[builder][gmp]") {
  Builder b;
  Lit x = b.add_input(), y = b.add_input();
  std::vector<std::int64_t> w{INT64_MAX, INT64_MAX};
  // !x and !y fold 2*INT64_MAX into the threshold: beyond 64 bits, must stay exact.
  Lit g = b.add_gate(std::vector<Lit>{!x, !y}, w, INT64_MIN);
  b.add_output(g);
  Circuit c = std::move(b).build();
  // INT64_MAX*(!x + !y) >= INT64_MIN is always true
  CHECK(g == lit_true);
  Builder b3;
  Lit p = b3.add_input(), q = b3.add_input(), r = b3.add_input();
  std::vector<std::int64_t> w3{INT64_MAX, INT64_MAX, 1};
  Lit h = b3.add_gate(std::vector<Lit>{!p, !q, r}, w3, INT64_MAX);
  b3.add_output(h);
  Circuit c3 = std::move(b3).build();
  for (std::uint64_t pat = 0; pat < 8; ++pat) {
    mpz_class sum = 0;
    if (!(pat & 1)) sum += INT64_MAX;
    if (!(pat & 2)) sum += INT64_MAX;
    if (pat & 4) sum += 1;
    CHECK(evaluate_pattern(c3, pat)[0] == (sum >= INT64_MAX));
  }
}

TEST_CASE("the wire bound stops runaway builds with a clear error", "[builder]") {
  builder_params p;
  p.max_wires = 20;  // 160 bytes
  Builder b(p);
  b.add_inputs(8);
  std::vector<Lit> f;
  for (std::uint32_t i = 0; i < 8; ++i) f.push_back(b.input(i));
  std::vector<std::int64_t> w(8, 1);
  b.add_gate(f, w, 4);  // 8 wires (64 bytes) and the gate's 32: fine
  w[0] = 2;
  // 8 more wires: the wire arrays regrown to 16 need 128 bytes beside the gate arrays' 32.
  CHECK_THROWS_AS(b.add_gate(f, w, 4), std::length_error);
}

TEST_CASE("layers of gates build the same circuit as adding them one by one", "[builder]") {
  // Random layers of gates that do not read one another, each one GateLayer (one batch), with
  // repeats (hash hits inside and across batches), constants and literals among the results, and
  // a table that grows while a batch is inserted; in building and in counting mode.
  for (const bool counting : {false, true}) {
    Builder one = with_inputs(counting, 12), staged = with_inputs(counting, 12);
    std::mt19937_64 rng(11);
    std::vector<Lit> avail_one, avail_staged;
    for (std::uint32_t i = 0; i < 12; ++i) avail_one.push_back(one.input(i)), avail_staged.push_back(staged.input(i));
    for (int layer = 0; layer < 30; ++layer) {
      const std::size_t width = 1 + rng() % 200, seen = avail_one.size();
      std::vector<Lit> out_one, out_staged;
      GateLayer layer_of(staged, out_staged);
      struct Spec {
        std::vector<Lit> f_one, f_staged;
        std::vector<std::int64_t> w;
        std::int64_t t;
      };
      std::vector<Spec> specs;
      for (std::size_t g = 0; g < width; ++g) {
        if (!specs.empty() && rng() % 4 == 0) {  // a repeat: the same gate again
          const Spec& r = specs[rng() % specs.size()];
          out_one.push_back(one.add_gate(r.f_one, r.w, r.t));
          layer_of.add(r.f_staged, r.w, r.t);
          continue;
        }
        const std::size_t fanin = 1 + rng() % 4;
        std::vector<Lit> f_one, f_staged;
        std::vector<std::int64_t> w;
        for (std::size_t k = 0; k < fanin; ++k) {
          const std::size_t pick = rng() % std::min<std::size_t>(seen, 16) + (seen > 16 ? rng() % (seen - 15) : 0);
          const bool neg = rng() & 1;
          f_one.push_back(neg ? !avail_one[pick] : avail_one[pick]);
          f_staged.push_back(neg ? !avail_staged[pick] : avail_staged[pick]);
          w.push_back(static_cast<std::int64_t>(rng() % 7) - 3);
        }
        const std::int64_t t = static_cast<std::int64_t>(rng() % 7) - 3;
        out_one.push_back(one.add_gate(f_one, w, t));
        layer_of.add(f_staged, w, t);
        specs.push_back(Spec{f_one, f_staged, w, t});
      }
      layer_of.finish();
      REQUIRE(out_staged.size() == width);
      for (std::size_t g = 0; g < width; ++g) {
        REQUIRE(out_one[g] == out_staged[g]);
        avail_one.push_back(out_one[g]);
        avail_staged.push_back(out_staged[g]);
      }
    }
    CHECK(one.stats().hash_hits > 0);
    CHECK(one.stats().constant_gates + one.stats().buffer_gates > 0);
    CHECK(one.num_gates() == staged.num_gates());
    CHECK(one.num_wires() == staged.num_wires());
    if (!counting) CHECK(structurally_equal(std::move(one).build(), std::move(staged).build()));
  }
  // A layer's gates read only the nodes that existed when it began.
  Builder b;
  b.add_inputs(2);
  const std::vector<Lit> f{b.input(0), b.input(1)};
  const std::vector<std::int64_t> w{1, 1};
  std::vector<Lit> out;
  GateLayer layer(b, out);
  layer.add(f, w, 1);
  const Lit g = b.add_gate(f, w, 2);
  const std::vector<Lit> with_g{b.input(0), g};
  CHECK_THROWS_AS(layer.add(with_g, w, 1), std::invalid_argument);
  layer.finish();
  CHECK(out == std::vector<Lit>{b.add_gate(f, w, 1)});
}

TEST_CASE("a ladder of thresholds builds what one gate per threshold builds", "[builder]") {
  // Random sums (negated, constant and repeated fan-ins, weights with a common factor, and
  // weights up to 2^40 that take the 128-bit path) against runs of thresholds that cover the
  // constant, literal and real-gate cases and repeat; in building and in counting mode. Then the
  // ladder's gates against a plain evaluation of the sum on every input.
  for (const bool counting : {false, true}) {
    Builder one = with_inputs(counting, 8), ladder = with_inputs(counting, 8);
    std::mt19937_64 rng(23);
    std::vector<Lit> avail;
    for (std::uint32_t i = 0; i < 8; ++i) avail.push_back(one.input(i));
    for (int round = 0; round < 400; ++round) {
      const std::size_t fanin = 1 + rng() % 6;
      std::vector<Lit> f;
      std::vector<std::int64_t> w;
      const std::int64_t scale = round % 3 == 0 ? 3 : 1;
      const bool wide = round % 7 == 0;
      for (std::size_t k = 0; k < fanin; ++k) {
        const Lit x = rng() % 9 == 0 ? lit_true : avail[rng() % avail.size()];
        f.push_back(rng() & 1 ? !x : x);
        w.push_back(scale * ((static_cast<std::int64_t>(rng() % 9) - 4) << (wide ? 38 : 0)));
      }
      std::vector<std::int64_t> t;
      const std::size_t rungs = 1 + rng() % 20;
      for (std::size_t k = 0; k < rungs; ++k)
        t.push_back(((static_cast<std::int64_t>(rng() % 41) - 20) * scale) << (wide ? 37 : 0));
      std::vector<Lit> by_one, by_ladder(rungs);
      for (std::int64_t tk : t) by_one.push_back(one.add_gate(f, w, tk));
      ladder.add_gates(f, w, t, by_ladder);  // the same node ids: both builders are in step
      REQUIRE(by_one == by_ladder);
      // A rung asked for again, one gate at a time, is found in the table (in both builders).
      const std::size_t again = rng() % rungs;
      const std::uint32_t gates = ladder.num_gates();
      REQUIRE(ladder.add_gate(f, w, t[again]) == by_ladder[again]);
      REQUIRE(one.add_gate(f, w, t[again]) == by_one[again]);
      REQUIRE(ladder.num_gates() == gates);
      if (!counting && rng() % 2) avail.push_back(by_one[rng() % rungs]);
    }
    CHECK(one.stats().hash_hits > 0);
    CHECK(one.stats().constant_gates > 0);
    CHECK(one.stats().buffer_gates > 0);
    CHECK(one.num_gates() == ladder.num_gates());
    CHECK(one.num_wires() == ladder.num_wires());
    if (!counting) CHECK(structurally_equal(std::move(one).build(), std::move(ladder).build()));
  }
  // Semantics, independently of add_gate: [3a - 2b + c + 2 !d >= t] for t = -6..6 on all inputs.
  Builder b;
  b.add_inputs(4);
  const std::vector<Lit> f{b.input(0), b.input(1), b.input(2), !b.input(3)};
  const std::vector<std::int64_t> w{3, -2, 1, 2}, t{-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6};
  std::vector<Lit> out(t.size());
  b.add_gates(f, w, t, out);
  for (std::size_t k = 0; k < t.size(); ++k) b.add_output(out[k]);
  const Circuit c = std::move(b).build();
  for (unsigned x = 0; x < 16; ++x) {
    const std::vector<std::uint8_t> in{std::uint8_t(x & 1), std::uint8_t(x >> 1 & 1), std::uint8_t(x >> 2 & 1), std::uint8_t(x >> 3 & 1)};
    const std::int64_t sum = 3 * in[0] - 2 * in[1] + in[2] + 2 * (1 - in[3]);
    const std::vector<std::uint8_t> y = evaluate(c, in);
    for (std::size_t k = 0; k < t.size(); ++k) CHECK(bool(y[k]) == (sum >= t[k]));
  }
  Builder e;
  e.add_inputs(1);
  std::vector<Lit> two(2);
  const std::vector<Lit> x{e.input(0)};
  const std::vector<std::int64_t> one_w{1}, one_t{1};
  CHECK_THROWS_AS(e.add_gates(x, one_w, one_t, two), std::invalid_argument);  // one output per threshold
}

TEST_CASE("a GateLayer gives the literals of one add_gate per gate, in order", "[builder]") {
  Builder one, layered;
  one.add_inputs(6);
  layered.add_inputs(6);
  std::mt19937_64 rng(5);
  for (int round = 0; round < 20; ++round) {
    std::vector<Lit> by_one, by_layer{lit_true};  // what out held before stays in place
    GateLayer layer(layered, by_layer);
    for (int g = 0; g < 1 + round * 3; ++g) {
      std::vector<Lit> f;
      std::vector<std::int64_t> w;
      for (int k = 0; k < 3; ++k) {
        const Lit x = one.input(static_cast<std::uint32_t>(rng() % 6));
        f.push_back(rng() & 1 ? !x : x);
        w.push_back(static_cast<std::int64_t>(rng() % 5) - 2);
      }
      const std::int64_t t = static_cast<std::int64_t>(rng() % 5) - 2;
      by_one.push_back(one.add_gate(f, w, t));
      layer.add(f, w, t);
    }
    layer.finish();
    REQUIRE(by_layer.size() == by_one.size() + 1);
    CHECK(by_layer[0] == lit_true);
    CHECK(std::equal(by_one.begin(), by_one.end(), by_layer.begin() + 1));
  }
  CHECK(structurally_equal(std::move(one).build(), std::move(layered).build()));
}

TEST_CASE("NameTable agrees with two std::maps on random names, clashes and renames", "[builder][names]") {
  std::mt19937_64 rng(99);
  NameTable t;
  std::map<node_id, std::string> names;
  std::map<std::string, node_id> nodes;
  for (int step = 0; step < 20000; ++step) {
    const node_id node = 1 + static_cast<node_id>(rng() % 3000);
    const std::string name = "n" + std::to_string(rng() % 4000);
    auto other = nodes.find(name);
    if (other != nodes.end() && other->second != node) {
      CHECK_THROWS_AS(t.add(node, name), std::invalid_argument);
      continue;
    }
    const bool expected = other != nodes.end() || !names.count(node);
    CHECK(t.add(node, name) == expected);
    if (expected && other == nodes.end()) {
      names[node] = name;
      nodes[name] = node;
    }
  }
  CHECK(t.size() == names.size());
  for (node_id n = 0; n < 3100; ++n) CHECK(t.name(n) == (names.count(n) ? names[n] : std::string()));
  for (int k = 0; k < 4100; ++k) {
    const std::string name = "n" + std::to_string(k);
    CHECK(t.find(name) == (nodes.count(name) ? std::optional<node_id>(nodes[name]) : std::nullopt));
  }
  NameTable copy;  // the same pairs added in reverse order compare equal; one name changed does not
  for (auto it = names.rbegin(); it != names.rend(); ++it) copy.add(it->first, it->second);
  CHECK(copy == t);
  NameTable changed = copy;
  changed.add(5000, "extra");
  CHECK_FALSE(changed == t);
}

TEST_CASE("batches, normalized on several threads, build what add_gate builds", "[builder]") {
  // Random layers split into parts, each part normalized into its own batch on its own thread,
  // added part by part while later parts are still being normalized: repeats (hash hits within
  // and across batches), constants and literals, weights near 2^40 (GMP gates), and places
  // deferred to the caller;
  // in building and counting mode. Literals, stats and the circuits must equal one add_gate per
  // gate in order.
  for (const bool counting : {false, true}) {
    Builder one = with_inputs(counting, 10), prepared = with_inputs(counting, 10);
    std::mt19937_64 rng(31);
    std::vector<Lit> avail;
    for (std::uint32_t i = 0; i < 10; ++i) avail.push_back(one.input(i));
    struct Spec {
      std::vector<Lit> f;
      std::vector<std::int64_t> w;
      std::int64_t t;
      bool deferred;
    };
    for (int layer = 0; layer < 25; ++layer) {
      const std::size_t width = 1 + rng() % 300;
      std::vector<Spec> specs;
      for (std::size_t g = 0; g < width; ++g) {
        if (!specs.empty() && rng() % 5 == 0) {
          specs.push_back(specs[rng() % specs.size()]);
          continue;
        }
        Spec s;
        const bool wide = rng() % 13 == 0;
        for (std::size_t k = 0, fanin = 1 + rng() % 5; k < fanin; ++k) {
          const Lit x = rng() % 11 == 0 ? lit_true : avail[rng() % avail.size()];
          s.f.push_back(rng() & 1 ? !x : x);
          const std::int64_t small = static_cast<std::int64_t>(rng() % 7) - 3;
          s.w.push_back(wide ? (small << 40) + static_cast<std::int64_t>(rng() % 3) - 1 : small);
        }
        s.t = wide ? (static_cast<std::int64_t>(rng() % 7) - 3) << 39 : static_cast<std::int64_t>(rng() % 7) - 3;
        s.deferred = rng() % 17 == 0;
        specs.push_back(s);
      }
      std::vector<Lit> by_one;
      for (const Spec& s : specs) by_one.push_back(one.add_gate(s.f, s.w, s.t));
      // Parts of up to 40 gates, prepared on one thread each.
      const std::size_t parts = (width + 39) / 40;
      std::vector<GateBatch> batches(parts);
      for (GateBatch& batch : batches) prepared.start(batch);
      std::vector<std::thread> threads;
      for (std::size_t p = 0; p < parts; ++p)
        threads.emplace_back([&, p] {
          for (std::size_t g = 40 * p; g < std::min(width, 40 * p + 40); ++g) {
            if (specs[g].deferred) batches[p].defer();
            else normalize_gate(batches[p], specs[g].f, specs[g].w, specs[g].t);
          }
        });
      // Each batch is added as soon as its thread is done, while later ones are still prepared.
      std::vector<Lit> by_prepared(width);
      for (std::size_t p = 0; p < parts; ++p) {
        threads[p].join();
        const std::span<Lit> out(by_prepared.data() + 40 * p, batches[p].size());
        for (std::size_t k = 0; (k = prepared.add_batch(batches[p], k, out)) < out.size(); ++k) {
          const Spec& s = specs[40 * p + k];
          out[k] = prepared.add_gate(s.f, s.w, s.t);
        }
      }
      REQUIRE(by_one == by_prepared);
      for (std::size_t k = 0; k < 3; ++k) avail.push_back(by_one[rng() % width]);
    }
    CHECK(one.stats().hash_hits > 0);
    CHECK(one.stats().big_gates > 0);
    CHECK(one.stats().constant_gates > 0);
    CHECK(one.stats().buffer_gates > 0);
    CHECK(one.stats().gates_requested == prepared.stats().gates_requested);
    CHECK(one.stats().hash_hits == prepared.stats().hash_hits);
    CHECK(one.stats().constant_gates == prepared.stats().constant_gates);
    CHECK(one.stats().buffer_gates == prepared.stats().buffer_gates);
    CHECK(one.stats().big_gates == prepared.stats().big_gates);
    CHECK(one.num_wires() == prepared.num_wires());
    if (!counting) CHECK(structurally_equal(std::move(one).build(), std::move(prepared).build()));
  }
  Builder b;
  b.add_inputs(2);
  const std::vector<Lit> f{b.input(0), b.input(1)};
  const std::vector<std::int64_t> w{1, 1};
  GateBatch batch;
  b.start(batch);
  normalize_gate(batch, f, w, 2);
  {  // a batch reads only the nodes that existed at start()
    GateBatch early;
    Builder e;
    e.add_inputs(2);
    e.start(early);
    const Lit g = e.add_gate(f, w, 2);
    const std::vector<Lit> with_g{e.input(0), g};
    CHECK_THROWS_AS(normalize_gate(early, with_g, w, 1), std::invalid_argument);
    Builder smaller;  // and goes only into a builder that has those nodes
    std::vector<Lit> out(early.size());
    CHECK_THROWS_AS(smaller.add_batch(early, 0, out), std::invalid_argument);
  }
  std::vector<Lit> none;
  CHECK_THROWS_AS(b.add_batch(batch, 0, none), std::invalid_argument);  // one output per gate
  std::vector<Lit> one_out(1);
  CHECK(b.add_batch(batch, 0, one_out) == 1);
  CHECK(one_out[0] == b.add_gate(f, w, 2));
  b.start(batch);
  CHECK(batch.size() == 0);
}

TEST_CASE("a counting store's links: wide gates, long gaps and unread gates count as analyze() does", "[builder][reachable]") {
  // 70,000 gates of the first level, then gates reading many of them: one reads all (70,000 link
  // bytes, past the 16-bit count), one every 997th (gaps of two bytes), one a few far apart
  // (gaps of three bytes); some gates no output reads. The counting builder's figures must
  // equal analyze() of the circuit build() keeps.
  Builder one = with_inputs(false, 400), count = with_inputs(true, 400);
  std::vector<Lit> first;  // [a x_i + b x_j >= a + b] over distinct pairs i < j: distinct gates
  for (std::uint32_t i = 0; i < 400 && first.size() < 70000; ++i)
    for (std::uint32_t j = i + 1; j < 400 && first.size() < 70000; ++j) {
      const std::vector<Lit> f{one.input(i), one.input(j)};
      const std::vector<std::int64_t> w{static_cast<std::int64_t>(1 + j % 3), static_cast<std::int64_t>(1 + i % 5)};
      const Lit a = one.add_gate(f, w, w[0] + w[1]), b = count.add_gate(f, w, w[0] + w[1]);
      REQUIRE(a == b);
      first.push_back(a);
    }
  REQUIRE(one.num_gates() == 70000);
  auto both = [&](const std::vector<Lit>& f, const std::vector<std::int64_t>& w, std::int64_t t) {
    const Lit a = one.add_gate(f, w, t), b = count.add_gate(f, w, t);
    REQUIRE(a == b);
    return a;
  };
  std::vector<Lit> every, sparse;
  for (std::size_t i = 0; i < first.size(); i += 997) every.push_back(first[i]);
  for (std::size_t i : {std::size_t(3), std::size_t(40000), std::size_t(69999)}) sparse.push_back(first[i]);
  const std::vector<Lit> most(first.begin(), first.begin() + 69000);  // the last 1000 read only here and there
  std::vector<std::int64_t> w_all(most.size());
  for (std::size_t i = 0; i < w_all.size(); ++i) w_all[i] = static_cast<std::int64_t>(i % 3) + 1;
  const Lit all = both(most, w_all, 50000);
  const Lit some = both(every, std::vector<std::int64_t>(every.size(), 1), 20);
  const Lit far = both(sparse, {2, -1, 3}, 2);
  both({some, far}, {1, 1}, 2);  // read by no output
  const Lit top = both({all, some, far, first[12345]}, {1, 2, 3, -1}, 3);
  for (Builder* b : {&one, &count}) {
    b->add_output(top);
    b->add_output(!first[7]);
  }
  circuit_stats counted = count.count_stats(), built = one.count_stats();
  const Circuit c = std::move(one).build();
  circuit_stats analyzed = analyze(c);
  analyzed.critical_path.clear();
  for (const circuit_stats* s : {&counted, &built}) {
    CHECK(s->gates == analyzed.gates);
    CHECK(s->wires == analyzed.wires);
    CHECK(s->depth == analyzed.depth);
    CHECK(s->output_depth == analyzed.output_depth);
    CHECK(s->max_fanin == analyzed.max_fanin);
    CHECK(s->max_weight_bits == analyzed.max_weight_bits);
    CHECK(s->max_threshold_bits == analyzed.max_threshold_bits);
    CHECK(s->sum_abs_weights == analyzed.sum_abs_weights);
    CHECK(s->gates_per_level == analyzed.gates_per_level);
  }
  CHECK(analyzed.gates > 69000);
  CHECK(analyzed.gates < count.num_gates());  // some gates are read by no output
  CHECK(c.num_gates() == analyzed.gates);
  CHECK_THROWS_AS(count.peek(), std::logic_error);
}
