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

  // Constant depth: the longest run of equal depths at the top end covers at least half the points.
  std::size_t start = p.size() - 1;
  while (start > 0 && p[start - 1].depth == p.back().depth) --start;
  const bool constant = (p.size() - start) * 2 >= p.size() && p.size() - start >= 2;
  std::string depth_text;
  if (constant) {
    g.depth_kind = "constant";
    g.constant_depth = p.back().depth;
    g.constant_from = p[start].n;
    depth_text = start == 0 ? fmt::format("depth is constant, {}", g.constant_depth)
                            : fmt::format("depth is constant, {}, from n = {} on", g.constant_depth, g.constant_from);
  } else {
    const bool log_better = g.depth_log.rms <= g.depth_linear.rms;
    g.depth_kind = log_better ? "logarithmic" : "linear";
    const linear_fit& best = log_better ? g.depth_log : g.depth_linear;
    const linear_fit& other = log_better ? g.depth_linear : g.depth_log;
    depth_text = fmt::format("depth grows like {:.3g}*{} {} {:.3g} (rms residual {:.3g}; the {} fit leaves {:.3g})", best.a,
                             log_better ? "log2(n)" : "n", best.b < 0 ? "-" : "+", std::abs(best.b), best.rms,
                             log_better ? "linear" : "logarithmic", other.rms);
  }
  // Polynomial size: the log-log line explains the gate counts at least as well as an exponential,
  // or the log-log slope stops steepening at the top of the range (an exponential's slope grows
  // with n at every step; irregular small counts, where gates merge, can favour the exponential
  // fit without growing like one).
  double top_slope = 0, steepest_before = -HUGE_VAL;
  for (std::size_t k = 1; k < p.size(); ++k) {
    const double slope = (loggates[k] - loggates[k - 1]) / (logn[k] - logn[k - 1]);
    if (k + 1 < p.size()) steepest_before = std::max(steepest_before, slope);
    else top_slope = slope;
  }
  const bool better_loglog = g.size_loglog.rms <= g.size_exp.rms + 0.05 || g.size_exp.a <= 0;
  const bool levelling = !better_loglog && top_slope <= steepest_before;
  g.size_polynomial = better_loglog || levelling;
  const std::string size_text =
      levelling ? fmt::format("size grows like n^{:.2f} (log-log rms residual {:.3g}; an exponential fits the counts better, "
                              "but the log-log slope levels off: {:.2f} at the top against {:.2f} before)",
                              g.size_loglog.a, g.size_loglog.rms, top_slope, steepest_before)
      : g.size_polynomial ? fmt::format("size grows like n^{:.2f} (log-log rms residual {:.3g})", g.size_loglog.a, g.size_loglog.rms)
                        : fmt::format("size grows faster than any fitted polynomial: gates ~ 2^({:.3g}*n) fits better "
                                      "(rms {:.3g} against {:.3g} for n^{:.2f})",
                                      g.size_exp.a, g.size_exp.rms, g.size_loglog.rms, g.size_loglog.a);
  g.consistent_with_tc0 = constant && g.size_polynomial;
  g.verdict = depth_text + "; " + size_text + ". Over " + range + " this is " +
              (g.consistent_with_tc0 ? "consistent with TC^0 (constant depth, polynomial size)"
                                     : std::string("not consistent with TC^0: ") +
                                           (constant ? "the size does not look polynomial" : "the depth grows with n")) +
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
                   {"size_polynomial", f.size_polynomial},
                   {"consistent_with_tc0", f.consistent_with_tc0},
                   {"verdict", f.verdict}};
  if (f.depth_kind == "constant") {
    j["constant_depth"] = f.constant_depth;
    j["constant_from"] = f.constant_from;
  }
  return j;
}

}  // namespace tcx
