// The quick four-point certificates of provers/separable_pairs.hpp against the exact LP and a
// published fact: for at most 8 inputs a Boolean function is threshold exactly when it is
// 2-asummable (Muroga, Toda and Takasu 1961), so on all 65536 functions of 4 inputs the quick
// test finds a certificate for exactly the 65536 - 1882 that are not threshold.
#include <catch2/catch.hpp>

#include <random>

#include "provers/separable.hpp"
#include "provers/separable_pairs.hpp"

using namespace tcx;

TEST_CASE("four-point certificates: exactly the non-threshold functions of 4 inputs, each valid", "[provers][tt]") {
  std::vector<std::uint8_t> pts;
  for (std::uint32_t q = 0; q < 16; ++q)
    for (std::uint32_t i = 0; i < 4; ++i) pts.push_back((q >> i) & 1u);
  std::size_t none = 0;
  std::vector<std::uint8_t> labels(16);
  for (std::uint32_t f = 0; f < 65536; ++f) {
    for (std::uint32_t q = 0; q < 16; ++q) labels[q] = (f >> q) & 1u;
    const auto r = two_point_pair_certificate(pts, 4, labels);
    if (!r) {
      ++none;
      continue;
    }
    REQUIRE(!r->separable);
    REQUIRE(r->certificate.size() <= 4);
    REQUIRE(certificate_valid(pts, 4, labels, *r));
  }
  CHECK(none == 1882);
}

TEST_CASE("four-point certificates on random point sets agree with the LP where they answer", "[provers][tt]") {
  std::mt19937_64 rng(7);
  std::size_t found = 0;
  for (int round = 0; round < 400; ++round) {
    const std::uint32_t dims = 3 + rng() % 10, K = 4 + rng() % 40;
    std::vector<std::uint8_t> pts(std::size_t(K) * dims), labels(K);
    for (auto& x : pts) x = rng() & 1u;
    for (auto& l : labels) l = rng() & 1u;
    const auto quick = two_point_pair_certificate(pts, dims, labels);
    const separability_result exact = check_separable(pts, dims, labels);
    if (quick) {
      ++found;
      CHECK(!exact.separable);
      CHECK(certificate_valid(pts, dims, labels, *quick));
    }
    if (exact.separable) CHECK(!quick);
  }
  CHECK(found > 100);
}
