// Exact linear separability by a phase-1 simplex over the rationals.
//
// The LP asks for a point in both convex hulls: lambda >= 0 on the true points, mu >= 0 on the
// false ones, with
//     sum lambda_p x_p - sum mu_q x_q = 0   (one row per coordinate)
//     sum lambda_p = 1,  sum mu_q = 1.
// Feasible: the basic solution is a certificate (at most dims + 2 points). Infeasible: phase 1
// ends with a positive optimum, and its dual y = (u, a, c) satisfies u.x_p + a <= 0 on true
// points, -u.x_q + c <= 0 on false ones and a + c > 0, so w = -u, t = a separates them.
#include "provers/separable.hpp"

#include <map>
#include <stdexcept>

namespace tcx {

namespace {

mpz_class lcm_of_denominators(const std::vector<mpq_class>& v) {
  mpz_class l = 1;
  for (const mpq_class& q : v) mpz_lcm(l.get_mpz_t(), l.get_mpz_t(), q.get_den_mpz_t());
  return l;
}

}  // namespace

separability_result check_separable(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                                    const std::function<bool()>& give_up) {
  const std::size_t count = labels.size();
  if (points.size() != count * dims) throw std::invalid_argument("check_separable: points and labels disagree in size");
  separability_result r;
  // Distinct rows per label: the first index of each. A row with both labels is a certificate.
  std::map<std::vector<std::uint8_t>, std::pair<std::int64_t, std::int64_t>> seen;  // row -> (first false, first true)
  std::vector<std::uint32_t> cols;  // the point behind each LP column
  for (std::size_t i = 0; i < count; ++i) {
    std::vector<std::uint8_t> row(points.begin() + static_cast<std::ptrdiff_t>(i * dims),
                                  points.begin() + static_cast<std::ptrdiff_t>((i + 1) * dims));
    auto [it, fresh] = seen.try_emplace(std::move(row), -1, -1);
    std::int64_t& mine = labels[i] ? it->second.second : it->second.first;
    const std::int64_t other = labels[i] ? it->second.first : it->second.second;
    if (mine >= 0) continue;
    mine = static_cast<std::int64_t>(i);
    if (other >= 0) {
      r.certificate = {static_cast<std::uint32_t>(other), static_cast<std::uint32_t>(i)};
      r.multiplicity = {1, 1};
      return r;
    }
    cols.push_back(static_cast<std::uint32_t>(i));
  }
  bool any_true = false, any_false = false;
  for (std::uint32_t c : cols) (labels[c] ? any_true : any_false) = true;
  if (!any_true || !any_false) {  // a constant
    r.separable = true;
    r.weights.assign(dims, 0);
    r.threshold = any_true ? 0 : 1;
    return r;
  }
  // Tableau: m rows, N structural columns, m artificial columns, the right-hand side.
  const std::size_t m = dims + 2, N = cols.size(), width = N + m + 1, rhs = N + m;
  std::vector<mpq_class> T(m * width);
  auto at = [&](std::size_t i, std::size_t j) -> mpq_class& { return T[i * width + j]; };
  for (std::size_t j = 0; j < N; ++j) {
    const std::uint32_t p = cols[j];
    const bool is_true = labels[p];
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[std::size_t(p) * dims + d]) at(d, j) = is_true ? 1 : -1;
    at(dims + (is_true ? 0 : 1), j) = 1;
  }
  for (std::size_t i = 0; i < m; ++i) at(i, N + i) = 1;
  at(dims, rhs) = 1;
  at(dims + 1, rhs) = 1;
  std::vector<std::size_t> basis(m);
  for (std::size_t i = 0; i < m; ++i) basis[i] = N + i;
  // Reduced costs of phase 1 (minimize the sum of artificials): c_j - sum_i T[i][j].
  std::vector<mpq_class> cost(width);
  for (std::size_t j = 0; j < width; ++j) {
    mpq_class s = j >= N && j < rhs ? 1 : 0;
    for (std::size_t i = 0; i < m; ++i) s -= at(i, j);
    cost[j] = s;  // cost[rhs] = -(objective value)
  }
  for (;;) {
    // Bland's rule (smallest index in, smallest basic index out): no cycling on these highly
    // degenerate LPs.
    std::size_t enter = width;
    for (std::size_t j = 0; j < rhs && enter == width; ++j)
      if (sgn(cost[j]) < 0) enter = j;
    if (enter == width) break;
    if (give_up && give_up()) {
      r.decided = false;
      return r;
    }
    std::size_t leave = m;
    mpq_class best;
    for (std::size_t i = 0; i < m; ++i) {
      if (sgn(at(i, enter)) <= 0) continue;
      mpq_class ratio = at(i, rhs) / at(i, enter);
      if (leave == m || ratio < best || (ratio == best && basis[i] < basis[leave])) {
        leave = i;
        best = ratio;
      }
    }
    if (leave == m) throw std::logic_error("check_separable: phase 1 cannot be unbounded");
    ++r.pivots;
    const mpq_class piv = at(leave, enter);
    for (std::size_t j = 0; j < width; ++j)
      if (sgn(at(leave, j))) at(leave, j) /= piv;
    std::vector<std::size_t> nz;
    for (std::size_t j = 0; j < width; ++j)
      if (sgn(at(leave, j))) nz.push_back(j);
    for (std::size_t i = 0; i < m; ++i) {
      if (i == leave || !sgn(at(i, enter))) continue;
      if (give_up && give_up()) {  // also within a pivot: on big LPs one pivot can take seconds
        r.decided = false;
        return r;
      }
      const mpq_class f = at(i, enter);
      for (std::size_t j : nz) at(i, j) -= f * at(leave, j);
    }
    if (sgn(cost[enter])) {
      const mpq_class f = cost[enter];
      for (std::size_t j : nz) cost[j] -= f * at(leave, j);
    }
    basis[leave] = enter;
  }
  if (sgn(cost[rhs]) == 0) {
    // Feasible: the hulls meet; the basic structural variables are the certificate.
    std::vector<mpq_class> vals;
    for (std::size_t i = 0; i < m; ++i)
      if (basis[i] < N && sgn(at(i, rhs)) > 0) {
        r.certificate.push_back(cols[basis[i]]);
        vals.push_back(at(i, rhs));
      }
    const mpz_class l = lcm_of_denominators(vals);
    for (const mpq_class& v : vals) r.multiplicity.push_back(mpz_class(v * l));
    if (!certificate_valid(points, dims, labels, r)) throw std::logic_error("check_separable: invalid certificate");
    return r;
  }
  // Infeasible: y_i = 1 - (reduced cost of artificial i); w = -u, t = a.
  std::vector<mpq_class> y(m);
  for (std::size_t i = 0; i < m; ++i) y[i] = 1 - cost[N + i];
  std::vector<mpq_class> wt(y.begin(), y.begin() + dims);
  wt.push_back(y[dims]);
  const mpz_class l = lcm_of_denominators(wt);
  r.separable = true;
  for (std::uint32_t d = 0; d < dims; ++d) r.weights.push_back(mpz_class(-wt[d] * l));
  r.threshold = mpz_class(wt[dims] * l);
  // Exact check on every point.
  for (std::size_t i = 0; i < count; ++i) {
    mpz_class s = 0;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[i * dims + d]) s += r.weights[d];
    if ((s >= r.threshold) != (labels[i] != 0)) throw std::logic_error("check_separable: the dual does not separate");
  }
  return r;
}

bool certificate_valid(std::span<const std::uint8_t> points, std::uint32_t dims, std::span<const std::uint8_t> labels,
                       const separability_result& r) {
  if (r.separable || r.certificate.empty() || r.certificate.size() != r.multiplicity.size()) return false;
  std::vector<mpz_class> balance(dims + 1, 0);  // coordinate sums (true minus false), then the totals
  for (std::size_t k = 0; k < r.certificate.size(); ++k) {
    const std::uint32_t p = r.certificate[k];
    if (p >= labels.size() || sgn(r.multiplicity[k]) <= 0) return false;
    const int s = labels[p] ? 1 : -1;
    for (std::uint32_t d = 0; d < dims; ++d)
      if (points[std::size_t(p) * dims + d]) balance[d] += s * r.multiplicity[k];
    balance[dims] += s * r.multiplicity[k];
  }
  for (const mpz_class& b : balance)
    if (sgn(b)) return false;
  return true;
}

}  // namespace tcx
