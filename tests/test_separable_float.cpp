// The float fast path of the separability check (provers/separable_float.hpp) against the exact
// LP and brute force, on complete cubes and on random labelled point sets (degenerate ones
// included); every witness is checked here again, apart from the code under test.
#include <catch2/catch.hpp>

#include <random>

#include "provers/separable.hpp"
#include "provers/separable_float.hpp"

using namespace tcx;

namespace {

// Integer weights separate the labelled points: w.x >= t exactly on the true ones.
bool separates(const std::vector<std::uint8_t>& pts, std::uint32_t dims, const std::vector<std::uint8_t>& labels,
               const separability_result& r) {
  if (r.weights.size() != dims) return false;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    mpz_class s = 0;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (pts[i * dims + d]) s += r.weights[d];
    if ((s >= r.threshold) != (labels[i] != 0)) return false;
  }
  return true;
}

// Balanced multisets, recomputed here: equal totals and equal coordinate sums.
bool balanced(const std::vector<std::uint8_t>& pts, std::uint32_t dims, const std::vector<std::uint8_t>& labels,
              const separability_result& r) {
  if (r.certificate.empty() || r.certificate.size() != r.multiplicity.size()) return false;
  std::vector<mpz_class> bal(dims + 1, 0);
  bool t = false, f = false;
  for (std::size_t k = 0; k < r.certificate.size(); ++k) {
    const std::uint32_t p = r.certificate[k];
    if (p >= labels.size() || r.multiplicity[k] <= 0) return false;
    (labels[p] ? t : f) = true;
    const int s = labels[p] ? 1 : -1;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (pts[std::size_t(p) * dims + d]) bal[d] += s * r.multiplicity[k];
    bal[dims] += s * r.multiplicity[k];
  }
  for (const auto& b : bal)
    if (b != 0) return false;
  return t && f;
}

// The answer of the fast path, its witness checked, and its agreement with the exact LP.
bool check_against_exact(const std::vector<std::uint8_t>& pts, std::uint32_t dims, const std::vector<std::uint8_t>& labels,
                         separable_fast_stats& stats) {
  const separability_result fast = check_separable_fast(pts, dims, labels, &stats);
  const separability_result exact = check_separable(pts, dims, labels);
  REQUIRE(fast.separable == exact.separable);
  if (fast.separable) {
    REQUIRE(separates(pts, dims, labels, fast));
  } else {
    REQUIRE(balanced(pts, dims, labels, fast));
    REQUIRE(certificate_valid(pts, dims, labels, fast));
    // A basic solution's support: independent, hence minimal; every point is needed.
    CHECK(certificate_independent(pts, dims, labels, fast.certificate));
    if (fast.certificate.size() > 2)
      for (std::size_t drop = 0; drop < fast.certificate.size(); ++drop) {
        std::vector<std::uint8_t> sp, sl;
        for (std::size_t k = 0; k < fast.certificate.size(); ++k) {
          if (k == drop) continue;
          const std::uint32_t p = fast.certificate[k];
          sp.insert(sp.end(), pts.begin() + std::ptrdiff_t(p) * dims, pts.begin() + std::ptrdiff_t(p + 1) * dims);
          sl.push_back(labels[p]);
        }
        CHECK(check_separable(sp, dims, sl).separable);
      }
  }
  return exact.separable;
}

std::vector<std::uint8_t> cube(std::uint32_t k) {
  std::vector<std::uint8_t> pts;
  for (std::uint32_t p = 0; p < (1u << k); ++p)
    for (std::uint32_t i = 0; i < k; ++i) pts.push_back((p >> i) & 1u);
  return pts;
}

}  // namespace

TEST_CASE("float separability: all functions of 3 and 4 inputs, 1882 threshold functions of 4", "[separable_float][tt]") {
  separable_fast_stats stats;
  for (std::uint32_t k : {3u, 4u}) {
    const auto pts = cube(k);
    std::uint32_t count = 0, verified = 0;
    for (std::uint32_t f = 0; f < (1u << (1u << k)); ++f) {
      std::vector<std::uint8_t> labels(1u << k);
      for (std::uint32_t p = 0; p < labels.size(); ++p) labels[p] = (f >> p) & 1u;
      separability_result r;
      const bool answered = float_separable(pts, k, labels, r, &stats);
      if (answered) {
        ++verified;
        if (r.separable) REQUIRE(separates(pts, k, labels, r));
        else REQUIRE(balanced(pts, k, labels, r));
      }
      const separability_result full = check_separable_fast(pts, k, labels);
      if (answered) REQUIRE(full.separable == r.separable);
      count += full.separable;
      if (k == 3) REQUIRE(full.separable == check_separable(pts, k, labels).separable);
    }
    CHECK(count == (k == 3 ? 104u : 1882u));  // published counts
    // The float path answers nearly everything itself (constants go to the exact path).
    CHECK(verified + 2 >= (1u << (1u << k)) * 99 / 100);
  }
}

TEST_CASE("float separability: random labelled point sets against the exact LP", "[separable_float][tt]") {
  std::mt19937_64 rng(20261205);
  separable_fast_stats stats;
  std::uint64_t separable = 0, not_separable = 0;
  for (int round = 0; round < 900; ++round) {
    const std::uint32_t dims = 2 + rng() % 18;
    const std::size_t count = 1 + rng() % (round % 3 == 0 ? 300 : 60);
    const int kind = round % 6;
    std::vector<std::uint8_t> pts(count * dims), labels(count);
    // Points: dense random, sparse random, few free coordinates (the rest constant or copies of
    // free ones: a low-dimensional, collinear-ish set), or many repeats of a few rows.
    const std::uint32_t free = 1 + rng() % 3;
    std::vector<std::vector<std::uint8_t>> rows;
    for (std::size_t i = 0; i < count; ++i) {
      std::uint8_t* x = &pts[i * dims];
      if (kind == 3) {
        for (std::uint32_t d = 0; d < dims; ++d) x[d] = d < free ? rng() & 1u : (d % 2 ? x[d % free] : 1);
      } else if (kind == 4 && !rows.empty() && rng() % 4) {
        const auto& r = rows[rng() % rows.size()];
        std::copy(r.begin(), r.end(), x);
      } else {
        const unsigned density = kind == 1 ? 5 : 2;  // 1 in `density` coordinates set
        for (std::uint32_t d = 0; d < dims; ++d) x[d] = rng() % density == 0;
        rows.emplace_back(x, x + dims);
      }
    }
    // Labels: a random threshold function (separable unless a row repeats with both labels),
    // a threshold function with a few labels flipped, or random ones.
    std::vector<std::int64_t> w(dims);
    for (auto& v : w) v = std::int64_t(rng() % 11) - 5;
    const std::int64_t t = std::int64_t(rng() % 7) - 2;
    for (std::size_t i = 0; i < count; ++i) {
      std::int64_t s = 0;
      for (std::uint32_t d = 0; d < dims; ++d) s += pts[i * dims + d] * w[d];
      labels[i] = s >= t;
      if ((round / 6) % 3 == 1 && rng() % 10 == 0) labels[i] ^= 1u;
      if ((round / 6) % 3 == 2) labels[i] = rng() & 1u;
    }
    INFO("round " << round << " dims " << dims << " count " << count);
    (check_against_exact(pts, dims, labels, stats) ? separable : not_separable) += 1;
  }
  INFO("float LPs " << stats.float_lps << " unsolved " << stats.float_unsolved << " rejected " << stats.float_rejected);
  CHECK(separable > 200);
  CHECK(not_separable > 200);
  // The float path decides nearly all of them itself (constants and rows with both labels need
  // no LP at all).
  CHECK(stats.float_lps > 400);
  CHECK(stats.float_unsolved + stats.float_rejected <= stats.float_lps / 50);
  CHECK(stats.float_separators + stats.float_certificates + stats.float_unsolved + stats.float_rejected == stats.float_lps);
}

TEST_CASE("float separability: repeated points with both labels, constants, a point set too wide", "[separable_float][tt]") {
  separable_fast_stats stats;
  const std::vector<std::uint8_t> twice{1, 0, 1, 1, 0, 1, 1, 0, 1}, lab{1, 1, 0};
  check_against_exact(twice, 3, lab, stats);
  const separability_result r = check_separable_fast(twice, 3, lab);
  REQUIRE(!r.separable);
  CHECK(r.certificate.size() == 2);
  const auto pts = cube(3);
  check_against_exact(pts, 3, std::vector<std::uint8_t>(8, 1), stats);
  check_against_exact(pts, 3, std::vector<std::uint8_t>(8, 0), stats);
  // 70 coordinates: no packed key, the exact LP answers.
  std::vector<std::uint8_t> wide(2 * 70, 0), wl{1, 0};
  wide[3] = 1;
  separable_fast_stats s2;
  const separability_result w = check_separable_fast(wide, 70, wl, &s2);
  CHECK(w.separable);
  CHECK(separates(wide, 70, wl, w));
  CHECK(s2.exact_lps == 1);
}

TEST_CASE("certificate independence: a basic support passes, a union of two certificates does not", "[separable_float][tt]") {
  // XOR on coordinates 0,1 and on coordinates 2,3 of 6, sharing the false point 000000: two
  // 4-point certificates, 7 distinct columns in 8 rows, dependent (two solutions of one system).
  const std::uint32_t dims = 6;
  std::vector<std::uint8_t> pts, labels;
  auto add = [&](std::uint32_t bits, bool label) {
    for (std::uint32_t d = 0; d < dims; ++d) pts.push_back((bits >> d) & 1u);
    labels.push_back(label);
  };
  add(0b0000, false), add(0b0011, false), add(0b0001, true), add(0b0010, true);
  add(0b1100, false), add(0b0100, true), add(0b1000, true);
  const std::vector<std::uint32_t> first{0, 1, 2, 3}, second{0, 4, 5, 6}, both{0, 1, 2, 3, 4, 5, 6};
  for (const auto& c : {first, second}) {
    separability_result r;
    r.certificate = c;
    r.multiplicity.assign(4, 1);
    REQUIRE(certificate_valid(pts, dims, labels, r));
    CHECK(certificate_independent(pts, dims, labels, c));
  }
  separability_result u;
  u.certificate = both;
  u.multiplicity.assign(7, 1);
  u.multiplicity[0] = 2;
  REQUIRE(certificate_valid(pts, dims, labels, u));
  CHECK(!certificate_independent(pts, dims, labels, both));
  // Every certificate either LP returns passes.
  const separability_result a = check_separable(pts, dims, labels), b = check_separable_fast(pts, dims, labels);
  REQUIRE(!a.separable);
  REQUIRE(!b.separable);
  CHECK(certificate_independent(pts, dims, labels, a.certificate));
  CHECK(certificate_independent(pts, dims, labels, b.certificate));
}
