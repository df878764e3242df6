// The float fast path of the separability check (separable_float.hpp).
//
// The LP is separable.cpp's phase 1, in double: columns (x, 1, 0) for the distinct true points
// and (-x, 0, 1) for the distinct false ones, right-hand side (0, 1, 1), one artificial per row at
// cost 1. A revised simplex keeps B^-1 dense (m = dims + 2 rows, a few dozen at most) and prices
// the thousands of columns through byte tables of the duals (a column's coordinates packed in 64
// bits). What comes out is only a proposal: a basis. Its dual gives a separator to round and
// check in integers; its support gives the few points on which the exact LP runs.
#include "provers/separable_float.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace tcx {

namespace {

constexpr double feas_tol = 1e-9;   // primal values and the ratio test (Harris' bound)
constexpr double pivot_tol = 1e-9;  // smallest pivot element taken
constexpr double cost_tol = 1e-9;   // reduced costs above -cost_tol count as optimal
constexpr double zero_obj = 1e-7;   // a phase-1 optimum below this is read as "the hulls meet"

// Distinct labelled rows of at most 64 coordinates, packed.
struct Columns {
  std::vector<std::uint64_t> key;
  std::vector<std::int8_t> sign;     // +1 true, -1 false
  std::vector<std::uint32_t> point;  // the first given point with this row and label
  bool both = false;                 // some row has both labels: (point_a, point_b)
  std::uint32_t point_a = 0, point_b = 0;
};

Columns distinct_columns(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels) {
  Columns c;
  std::unordered_map<std::uint64_t, std::uint32_t> seen[2];  // per label: key -> first point
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::uint64_t k = 0;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[i * dims + d]) k |= std::uint64_t(1) << d;
    const int l = labels[i] ? 1 : 0;
    if (!seen[l].emplace(k, static_cast<std::uint32_t>(i)).second) continue;
    const auto other = seen[1 - l].find(k);
    if (other != seen[1 - l].end()) {
      c.both = true;
      c.point_a = other->second;
      c.point_b = static_cast<std::uint32_t>(i);
      return c;
    }
    c.key.push_back(k);
    c.sign.push_back(l ? 1 : -1);
    c.point.push_back(static_cast<std::uint32_t>(i));
  }
  return c;
}

// Sums of a vector over the set bits of a packed key, a byte at a time.
template <class T>
struct ByteTables {
  std::vector<T> t;  // [byte][256]
  void build(const T* v, std::uint32_t dims) {
    const std::uint32_t bytes = (dims + 7) / 8;
    t.assign(std::size_t(bytes) * 256, T(0));
    for (std::uint32_t b = 0; b < bytes; ++b) {
      T* row = t.data() + std::size_t(b) * 256;
      for (std::uint32_t x = 1; x < 256; ++x) {
        const std::uint32_t bit = static_cast<std::uint32_t>(std::countr_zero(x));
        const std::uint32_t d = b * 8 + bit;
        row[x] = row[x & (x - 1)] + (d < dims ? v[d] : T(0));
      }
    }
  }
  T sum(std::uint64_t key, std::uint32_t dims) const {
    T s(0);
    const std::uint32_t bytes = (dims + 7) / 8;
    for (std::uint32_t b = 0; b < bytes; ++b) s += t[std::size_t(b) * 256 + ((key >> (8 * b)) & 0xffu)];
    return s;
  }
};

class FloatPhase1 {
public:
  FloatPhase1(const Columns& c, std::uint32_t dims) : c_(c), dims_(dims), m_(dims + 2), n_(c.key.size()) {}

  // Runs to an optimal basis; false on trouble (iteration cap, a singular basis).
  bool solve(std::uint64_t& pivots) {
    basis_.resize(m_);
    for (std::uint32_t i = 0; i < m_; ++i) basis_[i] = -1 - std::int64_t(i);
    in_basis_.assign(n_, 0);
    if (!refactor()) return false;
    const std::uint64_t cap = 50 * std::uint64_t(m_) + 2 * n_ + 200;
    std::uint32_t since_refactor = 0;
    std::vector<double> alpha(m_);
    for (std::uint64_t it = 0;; ++it) {
      if (it > cap) return false;
      duals();
      // Entering column: Bland's rule, the first with a negative reduced cost. Dantzig's rule
      // (the most negative) takes fewer pivots, but its certificates are larger (13 points
      // against 10.6 on A_5 n = 2) and weaker clauses cost ten times as many solver calls
      // (docs/perf.md); Bland's picks early patterns, like the exact LP.
      std::int64_t enter = -1;
      for (std::size_t j = 0; j < n_; ++j)
        if (!in_basis_[j] && -reduced_dot(j) < -cost_tol) {
          enter = static_cast<std::int64_t>(j);
          break;
        }
      if (enter < 0) {
        if (since_refactor == 0) return true;
        // Optimal on an updated inverse: confirm on a fresh one.
        if (!refactor()) return false;
        since_refactor = 0;
        continue;
      }
      column(static_cast<std::size_t>(enter), alpha);
      // Harris' two-pass ratio test.
      double bound = INFINITY;
      for (std::uint32_t i = 0; i < m_; ++i)
        if (alpha[i] > pivot_tol) bound = std::min(bound, (std::max(xb_[i], 0.0) + feas_tol) / alpha[i]);
      if (bound == INFINITY) return false;  // phase 1 is bounded: numerical trouble
      std::int64_t leave = -1;
      for (std::uint32_t i = 0; i < m_; ++i) {
        if (alpha[i] <= pivot_tol || std::max(xb_[i], 0.0) / alpha[i] > bound) continue;
        if (leave < 0) {
          leave = i;
          continue;
        }
        const auto l = static_cast<std::size_t>(leave);
        if (order(basis_[i]) < order(basis_[l])) leave = i;
      }
      const auto r = static_cast<std::size_t>(leave);
      const double theta = std::max(xb_[r], 0.0) / alpha[r];
      for (std::uint32_t i = 0; i < m_; ++i) xb_[i] -= theta * alpha[i];
      xb_[r] = theta;
      // B^-1 update: the pivot row scaled, the others cleared in the entering column.
      double* pr = &binv_[r * m_];
      const double inv = 1.0 / alpha[r];
      for (std::uint32_t k = 0; k < m_; ++k) pr[k] *= inv;
      for (std::uint32_t i = 0; i < m_; ++i) {
        if (i == r || alpha[i] == 0.0) continue;
        double* row = &binv_[std::size_t(i) * m_];
        const double f = alpha[i];
        for (std::uint32_t k = 0; k < m_; ++k) row[k] -= f * pr[k];
      }
      if (basis_[r] >= 0) in_basis_[static_cast<std::size_t>(basis_[r])] = 0;
      basis_[r] = enter;
      in_basis_[static_cast<std::size_t>(enter)] = 1;
      ++pivots;
      if (++since_refactor >= 64) {
        if (!refactor()) return false;
        since_refactor = 0;
      }
    }
  }

  double objective() const {
    double s = 0;
    for (std::uint32_t i = 0; i < m_; ++i)
      if (basis_[i] < 0) s += std::max(xb_[i], 0.0);
    return s;
  }
  // The duals of the last basis (y = c_B^T B^-1).
  const std::vector<double>& y() {
    duals();
    return y_;
  }
  std::vector<std::size_t> basic_columns() const {
    std::vector<std::size_t> out;
    for (std::int64_t b : basis_)
      if (b >= 0) out.push_back(static_cast<std::size_t>(b));
    return out;
  }

private:
  // Bland's order: structural columns first, then the artificials.
  std::int64_t order(std::int64_t b) const { return b >= 0 ? b : std::int64_t(n_) + (-1 - b); }

  void duals() {
    y_.assign(m_, 0.0);
    for (std::uint32_t i = 0; i < m_; ++i) {
      if (basis_[i] >= 0) continue;  // cost 1 on artificials only
      const double* row = &binv_[std::size_t(i) * m_];
      for (std::uint32_t k = 0; k < m_; ++k) y_[k] += row[k];
    }
    tables_.build(y_.data(), dims_);
  }
  // y . a_j
  double reduced_dot(std::size_t j) const {
    const double s = tables_.sum(c_.key[j], dims_);
    return c_.sign[j] > 0 ? s + y_[dims_] : -s + y_[dims_ + 1];
  }
  void dense_column(std::int64_t b, double* out) const {
    std::fill(out, out + m_, 0.0);
    if (b < 0) {
      out[-1 - b] = 1.0;
      return;
    }
    const auto j = static_cast<std::size_t>(b);
    const double s = c_.sign[j];
    for (std::uint32_t d = 0; d < dims_; ++d)
      if ((c_.key[j] >> d) & 1u) out[d] = s;
    out[s > 0 ? dims_ : dims_ + 1] = 1.0;
  }
  // alpha = B^-1 a_j
  void column(std::size_t j, std::vector<double>& alpha) const {
    const double s = c_.sign[j];
    const std::uint32_t extra = s > 0 ? dims_ : dims_ + 1;
    for (std::uint32_t i = 0; i < m_; ++i) {
      const double* row = &binv_[std::size_t(i) * m_];
      double v = row[extra];
      for (std::uint64_t k = c_.key[j]; k; k &= k - 1) v += s * row[std::countr_zero(k)];
      alpha[i] = v;
    }
  }
  // B^-1 from scratch (Gauss-Jordan, partial pivoting), then x_B = B^-1 b.
  bool refactor() {
    const std::size_t m = m_;
    std::vector<double> a(m * m), col(m);
    for (std::size_t i = 0; i < m; ++i) {
      dense_column(basis_[i], col.data());
      for (std::size_t r = 0; r < m; ++r) a[r * m + i] = col[r];
    }
    binv_.assign(m * m, 0.0);
    for (std::size_t i = 0; i < m; ++i) binv_[i * m + i] = 1.0;
    for (std::size_t k = 0; k < m; ++k) {
      std::size_t p = k;
      for (std::size_t r = k + 1; r < m; ++r)
        if (std::abs(a[r * m + k]) > std::abs(a[p * m + k])) p = r;
      if (std::abs(a[p * m + k]) < 1e-11) return false;
      if (p != k)
        for (std::size_t c = 0; c < m; ++c) {
          std::swap(a[p * m + c], a[k * m + c]);
          std::swap(binv_[p * m + c], binv_[k * m + c]);
        }
      const double inv = 1.0 / a[k * m + k];
      for (std::size_t c = 0; c < m; ++c) {
        a[k * m + c] *= inv;
        binv_[k * m + c] *= inv;
      }
      for (std::size_t r = 0; r < m; ++r) {
        if (r == k) continue;
        const double f = a[r * m + k];
        if (f == 0.0) continue;
        for (std::size_t c = 0; c < m; ++c) {
          a[r * m + c] -= f * a[k * m + c];
          binv_[r * m + c] -= f * binv_[k * m + c];
        }
      }
    }
    xb_.assign(m, 0.0);
    for (std::size_t i = 0; i < m; ++i) xb_[i] = binv_[i * m + dims_] + binv_[i * m + dims_ + 1];
    return true;
  }

  const Columns& c_;
  std::uint32_t dims_, m_;
  std::size_t n_;
  std::vector<std::int64_t> basis_;  // >= 0: a structural column; -1 - i: row i's artificial
  std::vector<std::uint8_t> in_basis_;
  std::vector<double> binv_, xb_, y_;
  ByteTables<double> tables_;
};

// The float dual as integer weights: w = -u / (a + c) scaled by 1, 2, 4, ... and rounded; the
// integer sums of the columns decide. Weights stay below 2^40, sums below 2^47: no overflow.
bool round_separator(const Columns& c, std::uint32_t dims, const std::vector<double>& y, separability_result& out) {
  const double gap = y[dims] + y[dims + 1];
  if (!(gap > 0) || !std::isfinite(gap)) return false;
  std::vector<double> w(dims);
  for (std::uint32_t d = 0; d < dims; ++d) w[d] = -y[d] / gap;
  std::vector<std::int64_t> W(dims);
  ByteTables<std::int64_t> tab;
  // With scale S > dims the rounding moves no sum by more than dims / 2 while the float
  // margin is S: a correct float dual always passes by then; smaller scales give small weights.
  const double last = 16.0 * (dims + 1);
  for (double S = 1; S <= last; S *= 2) {
    bool fits = true;
    for (std::uint32_t d = 0; d < dims; ++d) {
      const double v = w[d] * S;
      if (!(std::abs(v) < 0x1p40)) fits = false;
      else W[d] = std::llround(v);
    }
    if (!fits) return false;
    tab.build(W.data(), dims);
    std::int64_t min_true = INT64_MAX, max_false = INT64_MIN;
    for (std::size_t j = 0; j < c.key.size(); ++j) {
      const std::int64_t s = tab.sum(c.key[j], dims);
      if (c.sign[j] > 0) min_true = std::min(min_true, s);
      else max_false = std::max(max_false, s);
    }
    if (max_false >= min_true) continue;
    // Smallest form: divide by the weights' gcd (every sum is then a multiple of it).
    std::int64_t g = 0;
    for (std::int64_t x : W) g = std::gcd(g, x < 0 ? -x : x);
    if (g > 1) {
      for (std::int64_t& x : W) x /= g;
      min_true /= g;
    }
    out = {};
    out.separable = true;
    for (std::int64_t x : W) out.weights.emplace_back(static_cast<long>(x));
    out.threshold = static_cast<long>(min_true);
    return true;
  }
  return false;
}

}  // namespace

bool separates_all(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                   const separability_result& r) {
  mpz_class s;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    s = 0;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[i * dims + d]) s += r.weights[d];
    if ((s >= r.threshold) != (labels[i] != 0)) return false;
  }
  return true;
}

bool float_separable(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                     separability_result& out, separable_fast_stats* stats) {
  if (points.size() != labels.size() * dims) throw std::invalid_argument("float_separable: points and labels disagree in size");
  if (dims > 64) return false;
  const Columns c = distinct_columns(points, dims, labels);
  if (c.both) {
    out = {};
    out.certificate = {c.point_a, c.point_b};
    out.multiplicity = {1, 1};
    return certificate_valid(points, dims, labels, out);
  }
  const bool any_true = std::find(c.sign.begin(), c.sign.end(), 1) != c.sign.end();
  const bool any_false = std::find(c.sign.begin(), c.sign.end(), -1) != c.sign.end();
  if (!any_true || !any_false) return false;  // constants: the exact path answers at once
  if (stats) ++stats->float_lps;
  FloatPhase1 lp(c, dims);
  std::uint64_t pivots = 0;
  const bool solved = lp.solve(pivots);
  if (stats) stats->float_pivots += pivots;
  if (!solved) {
    if (stats) ++stats->float_unsolved;
    return false;
  }
  if (lp.objective() > zero_obj) {
    separability_result r;
    if (!round_separator(c, dims, lp.y(), r) || !separates_all(points, dims, labels, r)) {
      if (stats) ++stats->float_rejected;
      return false;
    }
    r.pivots = static_cast<std::uint32_t>(pivots);
    out = std::move(r);
    if (stats) ++stats->float_separators;
    return true;
  }
  // The hulls meet (in floats): the exact LP on the basic columns only.
  const std::vector<std::size_t> support = lp.basic_columns();
  std::vector<std::uint8_t> sub_points, sub_labels;
  for (std::size_t j : support) {
    const std::uint32_t p = c.point[j];
    sub_points.insert(sub_points.end(), points.begin() + std::ptrdiff_t(p) * dims, points.begin() + std::ptrdiff_t(p + 1) * dims);
    sub_labels.push_back(labels[p]);
  }
  separability_result sub = check_separable(sub_points, dims, sub_labels);
  if (sub.separable) {
    if (stats) ++stats->float_rejected;
    return false;
  }
  for (std::uint32_t& k : sub.certificate) k = c.point[support[k]];
  sub.pivots += static_cast<std::uint32_t>(pivots);
  if (!certificate_valid(points, dims, labels, sub)) return false;
  out = std::move(sub);
  if (stats) ++stats->float_certificates;
  return true;
}

separability_result check_separable_fast(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                                         separable_fast_stats* stats) {
  separability_result r;
  if (float_separable(points, dims, labels, r, stats)) return r;
  if (stats) ++stats->exact_lps;
  return check_separable(points, dims, labels);
}

bool certificate_independent(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                             std::span<const std::uint32_t> certificate) {
  constexpr std::int64_t p = 2147483647;  // 2^31 - 1, a prime
  const std::size_t m = std::size_t(dims) + 2, k = certificate.size();
  if (k > m) return false;
  // The columns as rows of a k x m matrix mod p; full row rank <=> independent (mod p).
  std::vector<std::int64_t> a(k * m, 0);
  for (std::size_t r = 0; r < k; ++r) {
    const std::uint32_t q = certificate[r];
    if (q >= labels.size()) return false;
    const bool t = labels[q] != 0;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[std::size_t(q) * dims + d]) a[r * m + d] = t ? 1 : p - 1;
    a[r * m + (t ? dims : dims + 1)] = 1;
  }
  auto inverse = [&](std::int64_t x) {  // x^(p-2) mod p
    std::int64_t result = 1, base = x % p;
    for (std::int64_t e = p - 2; e; e >>= 1) {
      if (e & 1) result = result * base % p;
      base = base * base % p;
    }
    return result;
  };
  std::size_t row = 0;
  for (std::size_t col = 0; col < m && row < k; ++col) {
    std::size_t piv = row;
    while (piv < k && a[piv * m + col] == 0) ++piv;
    if (piv == k) continue;
    for (std::size_t c = 0; c < m; ++c) std::swap(a[piv * m + c], a[row * m + c]);
    const std::int64_t inv = inverse(a[row * m + col]);
    for (std::size_t r = row + 1; r < k; ++r) {
      const std::int64_t f = a[r * m + col] * inv % p;
      if (!f) continue;
      for (std::size_t c = col; c < m; ++c) a[r * m + c] = ((a[r * m + c] - f * a[row * m + c]) % p + p) % p;
    }
    ++row;
  }
  return row == k;
}

}  // namespace tcx
