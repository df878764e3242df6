#include "compilers/family/growth.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace tcx {

namespace {

linear_fit least_squares(const std::vector<double>& x, const std::vector<double>& y) {
  const double m = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t k = 0; k < x.size(); ++k) sx += x[k], sy += y[k], sxx += x[k] * x[k], sxy += x[k] * y[k];
  linear_fit f;
  const double den = m * sxx - sx * sx;
  f.a = den == 0 ? 0 : (m * sxy - sx * sy) / den;
  f.b = (sy - f.a * sx) / m;
  double ss = 0;
  for (std::size_t k = 0; k < x.size(); ++k) ss += std::pow(y[k] - (f.a * x[k] + f.b), 2);
  f.rms = std::sqrt(ss / m);
  return f;
}

nlohmann::json fit_json(const linear_fit& f) { return {{"a", f.a}, {"b", f.b}, {"rms_residual", f.rms}}; }

}  // namespace

growth_fit fit_growth(std::span<const growth_point> p) {
  growth_fit g;
  g.points = p.size();
  const std::string range = p.empty() ? "no sizes" : fmt::format("n = {}..{} ({} size{})", p.front().n, p.back().n, p.size(), p.size() == 1 ? "" : "s");
  if (p.size() < 3) {
    g.depth_kind = "unknown";
    g.verdict = "too few sizes to fit a growth law (" + range + "); measure at least 3";
    return g;
  }
  std::vector<double> n, logn, depth, loggates;
  for (const growth_point& q : p) {
    n.push_back(static_cast<double>(q.n));
    logn.push_back(std::log2(static_cast<double>(q.n)));
    depth.push_back(static_cast<double>(q.depth));
    loggates.push_back(std::log2(std::max<double>(1.0, static_cast<double>(q.gates))));
  }
  g.depth_log = least_squares(logn, depth);
  g.depth_linear = least_squares(n, depth);
  g.size_loglog = least_squares(logn, loggates);
  g.size_exp = least_squares(n, loggates);

  // Constant depth: the run of equal depths at the top end spans at least a doubling of n and at
  // least half the range (on a log scale). A shorter run says little: a depth that grows like
  // c*log2(n) stays flat over less than a doubling (word_a5 from n = 9 to 16, by steps of one).
  std::size_t start = p.size() - 1;
  while (start > 0 && p[start - 1].depth == p.back().depth) --start;
  const double span = logn.back() - logn.front(), plateau = logn.back() - logn[start];
  const bool constant = p.size() - start >= 2 && plateau >= 1 && plateau * 2 >= span;
  const bool log_better = g.depth_log.rms <= g.depth_linear.rms;
  const linear_fit& best = log_better ? g.depth_log : g.depth_linear;
  std::string depth_text;
  if (constant) {
    g.depth_kind = "constant";
    g.constant_depth = p.back().depth;
    g.constant_from = p[start].n;
    depth_text = start == 0 ? fmt::format("depth is constant, {}", g.constant_depth)
                            : fmt::format("depth is constant, {}, from n = {} on", g.constant_depth, g.constant_from);
  } else if (best.a <= 0 || p.back().depth <= p.front().depth) {
    // Not growing, not flat long enough to call constant: a falling or wandering depth (a sweep
    // over a parameter that is not a size), or a flat one over less than a doubling.
    g.depth_kind = "unclear";
    const auto [lowest, highest] = std::minmax_element(p.begin(), p.end(), [](const growth_point& a, const growth_point& b) { return a.depth < b.depth; });
    depth_text = start == 0 ? fmt::format("depth is {} throughout, but over less than a doubling of n: too short a range to "
                                               "call it constant",
                                               p.back().depth)
                                 : fmt::format("depth does not grow with n: {} at n = {}, {} at n = {}, between {} and {} in the "
                                               "range (is n a size?)",
                                               p.front().depth, p.front().n, p.back().depth, p.back().n, lowest->depth, highest->depth);
  } else {
    g.depth_kind = log_better ? "logarithmic" : "linear";
    const linear_fit& other = log_better ? g.depth_linear : g.depth_log;
    depth_text = fmt::format("depth grows like {:.3g}*{} {} {:.3g} (rms residual {:.3g}; the {} fit leaves {:.3g})", best.a,
                             log_better ? "log2(n)" : "n", best.b < 0 ? "-" : "+", std::abs(best.b), best.rms,
                             log_better ? "linear" : "logarithmic", other.rms);
    if (start + 1 < p.size())  // a flat stretch at the top too short to call constant: say so
      depth_text += fmt::format(" (the same {} from n = {} on is too short a stretch to call constant)", p.back().depth, p[start].n);
  }
  // Size: polynomial, exponential or unclear (growth.hpp says how).
  const std::size_t mid = p.size() / 2;
  auto slope = [&](std::size_t i, std::size_t j) { return (loggates[j] - loggates[i]) / (logn[j] - logn[i]); };
  g.slope_lower = slope(0, mid);
  g.slope_upper = slope(mid, p.size() - 1);
  const bool loglog_fits = g.size_loglog.rms <= g.size_exp.rms + 0.05 || g.size_exp.a <= 0;
  g.size_kind = loglog_fits ? "polynomial" : g.slope_upper >= g.slope_lower + 1 ? "exponential" : "unclear";
  const std::string size_text =
      g.size_kind == "polynomial"
          ? fmt::format("size grows like n^{:.2f} (log-log rms residual {:.3g}{})", g.size_loglog.a, g.size_loglog.rms,
                        // a slope still climbing (word_s3: 1.23 to 1.94 over 2..128) is not the fit's one degree
                        std::abs(g.slope_upper - g.size_loglog.a) >= 0.15
                            ? fmt::format("; the slope is {:.2f} over the range's lower half and {:.2f} over its upper half, "
                                          "which the fit averages", g.slope_lower, g.slope_upper)
                            : std::string())
      : g.size_kind == "exponential"
          ? fmt::format("size grows faster than any fitted polynomial: gates ~ 2^({:.3g}*n) fits better (rms {:.3g} against "
                        "{:.3g} for n^{:.2f}), and the log-log slope climbs from {:.2f} to {:.2f} between the range's halves",
                        g.size_exp.a, g.size_exp.rms, g.size_loglog.rms, g.size_loglog.a, g.slope_lower, g.slope_upper)
          : fmt::format("size growth unclear: gates ~ 2^({:.3g}*n) fits better (rms {:.3g} against {:.3g} for n^{:.2f}), "
                        "but the log-log slope only goes from {:.2f} to {:.2f} between the range's halves, as a polynomial's "
                        "can; larger n would tell",
                        g.size_exp.a, g.size_exp.rms, g.size_loglog.rms, g.size_loglog.a, g.slope_lower, g.slope_upper);
  g.consistent_with_tc0 = constant && g.size_polynomial();
  // What the measurements say of this family of circuits: the function itself may have other,
  // constant-depth circuits (parity does), so a growing depth is not a lower bound.
  g.verdict = depth_text + "; " + size_text + ". Over " + range + " this family is " +
              (g.consistent_with_tc0 ? "consistent with TC^0 (constant depth, polynomial size)"
               : g.depth_kind == "unclear" ? "undecided: the depth neither grows nor stays constant over a long enough range"
               : !constant ? "not a TC^0 family: its depth grows with n (this construction's; other circuits for the same "
                             "function may have constant depth)"
               : g.size_kind == "exponential" ? "not a TC^0 family: its size does not look polynomial"
                                              : "undecided: the depth is constant, the size's growth not settled") +
              ". A finite range is evidence, not proof.";
  return g;
}

nlohmann::json to_json(const growth_fit& f) {
  nlohmann::json j{{"points", f.points},
                   {"depth_kind", f.depth_kind},
                   {"depth_log_fit", fit_json(f.depth_log)},
                   {"depth_linear_fit", fit_json(f.depth_linear)},
                   {"size_loglog_fit", fit_json(f.size_loglog)},
                   {"size_exponential_fit", fit_json(f.size_exp)},
                   {"size_kind", f.size_kind},
                   {"size_slope_lower_half", f.slope_lower},
                   {"size_slope_upper_half", f.slope_upper},
                   {"size_polynomial", f.size_polynomial()},
                   {"consistent_with_tc0", f.tc0_undecided() ? nlohmann::json() : nlohmann::json(f.consistent_with_tc0)},
                   {"verdict", f.verdict}};
  if (f.depth_kind == "constant") {
    j["constant_depth"] = f.constant_depth;
    j["constant_from"] = f.constant_from;
  }
  return j;
}

}  // namespace tcx
