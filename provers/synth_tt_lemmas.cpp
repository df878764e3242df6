// Eager weight-order axioms and certificate reuse for the tt method (synth_tt_lemmas.hpp).
#include "provers/synth_tt_lemmas.hpp"

namespace tcx::synth_detail {

std::uint64_t add_weight_order_axioms(Cnf& cnf, std::uint32_t n, std::span<const CnfLit> pol, std::span<CnfLit> order) {
  std::vector<std::uint32_t> read;
  for (std::uint32_t i = 0; i < n; ++i)
    if (pol[i]) read.push_back(i);
  for (std::size_t x = 0; x < read.size(); ++x)
    for (std::size_t y = x + 1; y < read.size(); ++y) {
      CnfLit& o = order[std::size_t(read[x]) * n + read[y]];
      if (!o) o = cnf.new_var();
    }
  // o(i, j) as a literal: true means w_i >= w_j when i < j and w_i > w_j when i > j, so o(i, j)
  // and o(j, i) are complements and the relation is a strict-or-not total order (transitive: a
  // chain i -> j -> k with i > k has a strict step, since i < j < k is then impossible).
  auto o = [&](std::uint32_t i, std::uint32_t j) -> CnfLit {
    return i < j ? order[std::size_t(i) * n + j] : -order[std::size_t(j) * n + i];
  };
  std::uint64_t added = 0;
  for (std::uint32_t i : read)
    for (std::uint32_t j : read) {
      if (j == i) continue;
      // Signs: pol = [w >= 0], so w_i >= 0 > w_j gives w_i > w_j.
      cnf.add({-pol[i], pol[j], o(i, j)});
      ++added;
      for (std::uint32_t k : read) {
        if (k == i || k == j || j < i) continue;  // each unordered {i, j} once as the first step, both directions below
        cnf.add({-o(i, j), -o(j, k), o(i, k)});
        cnf.add({-o(j, i), -o(i, k), o(j, k)});
        added += 2;
      }
    }
  return added;
}

std::vector<std::size_t> interchangeable_gates(std::size_t g, std::span<const std::uint32_t> layer, const std::vector<bool>& output) {
  std::vector<std::size_t> out;
  if (output[g]) return out;
  for (std::size_t h = 0; h < layer.size(); ++h)
    if (h != g && !output[h] && layer[h] == layer[g]) out.push_back(h);
  return out;
}


bool quick_separator(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                     std::uint32_t max_epochs, separability_result& out) {
  const std::size_t K = labels.size();
  // w.x + b >= 1 on true points, <= -1 on false ones: then [w.x >= 1 - b] separates them.
  std::vector<std::int64_t> w(dims, 0);
  std::int64_t b = 0;
  for (std::uint32_t epoch = 0; epoch < max_epochs; ++epoch) {
    bool clean = true;
    for (std::size_t k = 0; k < K; ++k) {
      const std::uint8_t* x = points.data() + k * dims;
      std::int64_t s = b;
      for (std::uint32_t d = 0; d < dims; ++d) s += x[d] ? w[d] : 0;
      const bool want = labels[k] != 0;
      if (want ? s >= 1 : s <= -1) continue;
      clean = false;
      const std::int64_t step = want ? 1 : -1;
      for (std::uint32_t d = 0; d < dims; ++d)
        if (x[d]) w[d] += step;
      b += step;
    }
    if (!clean) continue;
    // A clean pass: every point on its side. Checked once more, exactly as the result is read.
    const std::int64_t t = 1 - b;
    for (std::size_t k = 0; k < K; ++k) {
      const std::uint8_t* x = points.data() + k * dims;
      std::int64_t s = 0;
      for (std::uint32_t d = 0; d < dims; ++d) s += x[d] ? w[d] : 0;
      if ((s >= t) != (labels[k] != 0)) return false;
    }
    out = {};
    out.separable = true;
    out.weights.reserve(dims);
    for (std::int64_t v : w) out.weights.emplace_back(static_cast<long>(v));
    out.threshold = static_cast<long>(t);
    return true;
  }
  return false;
}

}  // namespace tcx::synth_detail
