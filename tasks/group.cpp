#include "tasks/group.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

namespace tcx {

perm_group::perm_group(std::vector<Perm> elements) : elements_(std::move(elements)) {
  const std::size_t n = elements_.size();
  if (n == 0 || n > max_order) throw std::invalid_argument("perm_group: between 1 and " + std::to_string(max_order) + " elements");
  const std::size_t k = elements_[0].size();
  std::map<Perm, std::uint32_t> index;
  for (std::uint32_t i = 0; i < n; ++i) {
    Perm sorted = elements_[i];
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t e = 0; e < sorted.size(); ++e)
      if (sorted[e] != e || elements_[i].size() != k) throw std::invalid_argument("perm_group: not permutations of one set");
    if (!index.emplace(elements_[i], i).second) throw std::invalid_argument("perm_group: an element listed twice");
  }
  for (std::size_t e = 0; e < k; ++e)
    if (elements_[0][e] != e) throw std::invalid_argument("perm_group: the identity must come first");
  table_.resize(n * n);
  inverse_.resize(n);
  Perm c(k);
  for (std::uint32_t a = 0; a < n; ++a)
    for (std::uint32_t b = 0; b < n; ++b) {
      for (std::size_t e = 0; e < k; ++e) c[e] = elements_[a][elements_[b][e]];
      const auto at = index.find(c);
      if (at == index.end()) throw std::invalid_argument("perm_group: not closed under composition");
      table_[a * n + b] = at->second;
      if (at->second == 0) inverse_[a] = b;
    }
}

std::uint32_t perm_group::power(std::uint32_t a, std::uint32_t e) const {
  std::uint32_t r = 0;
  while (e--) r = after(a, r);
  return r;
}

namespace {

using Members = std::vector<std::uint32_t>;

// A few elements generating `members` (greedily: each one not yet in the span of the others).
std::vector<std::uint32_t> generators(const perm_group& g, const Members& members) {
  std::vector<std::uint32_t> gens;
  std::vector<char> in_span(g.order(), 0);
  in_span[0] = 1;
  std::vector<std::uint32_t> span{0};
  for (const std::uint32_t u : members) {
    if (in_span[u]) continue;
    gens.push_back(u);
    for (std::size_t i = 0; i < span.size(); ++i)  // close the span under the generators
      for (const std::uint32_t s : gens)
        if (const std::uint32_t v = g.after(s, span[i]); !in_span[v]) in_span[v] = 1, span.push_back(v);
  }
  return gens;
}

// Every homomorphism of `members` into Z_m other than zero, as values per element of G (0 off
// `members`): values on
// the generators, spread along the Cayley graph and checked on each of its edges (so
// phi(s x) = phi(s) + phi(x) for every generator s, and by induction for every element).
std::vector<std::vector<std::uint32_t>> homomorphisms_into(const perm_group& g, const Members& members, std::uint32_t m) {
  const std::vector<std::uint32_t> gens = generators(g, members);
  std::vector<std::vector<std::uint32_t>> out;
  std::uint64_t assignments = 1;
  for (std::size_t i = 0; i < gens.size(); ++i) {
    assignments *= m;
    if (assignments > (1u << 20)) throw std::invalid_argument("solvable_series: too many generators to search");
  }
  constexpr std::uint32_t unset = ~0u;
  for (std::uint64_t a = 1; a < assignments; ++a) {
    std::vector<std::uint32_t> on_gen(gens.size());
    for (std::uint64_t rest = a, i = 0; i < gens.size(); ++i, rest /= m) on_gen[i] = static_cast<std::uint32_t>(rest % m);
    std::vector<std::uint32_t> value(g.order(), unset);
    value[0] = 0;
    std::vector<std::uint32_t> queue{0};
    bool consistent = true;
    for (std::size_t q = 0; q < queue.size() && consistent; ++q)
      for (std::size_t i = 0; i < gens.size() && consistent; ++i) {
        const std::uint32_t y = g.after(gens[i], queue[q]), v = (value[queue[q]] + on_gen[i]) % m;
        if (value[y] == unset) value[y] = v, queue.push_back(y);
        else consistent = value[y] == v;
      }
    if (!consistent) continue;
    for (std::uint32_t& v : value) v = v == unset ? 0 : v;  // off the subgroup: 0
    out.push_back(std::move(value));
  }
  return out;
}

bool abelian(const perm_group& g, const Members& members) {
  const std::vector<std::uint32_t> gens = generators(g, members);
  for (const std::uint32_t a : gens)
    for (const std::uint32_t b : gens)
      if (g.after(a, b) != g.after(b, a)) return false;
  return true;
}

// An element of value 1 (the quotient is onto, so there is one).
std::uint32_t lift_of(const cyclic_quotient& q) {
  for (const std::uint32_t u : q.members)
    if (q.value[u] == 1) return u;
  throw std::logic_error("cyclic_quotient: not onto");
}

Members kernel(const Members& members, const std::vector<std::uint32_t>& value) {
  Members k;
  for (const std::uint32_t u : members)
    if (value[u] == 0) k.push_back(u);
  return k;
}

// An abelian group's coordinates: homomorphisms onto cyclic groups whose kernels meet in the
// identity, each taken when it shrinks the common kernel, largest images first.
std::vector<cyclic_quotient> abelian_coordinates(const perm_group& g, const Members& members) {
  std::uint32_t exponent = 1;
  for (const std::uint32_t u : members) {
    std::uint32_t order = 1;
    for (std::uint32_t v = u; v != 0; v = g.after(u, v)) ++order;
    exponent = std::lcm(exponent, order);
  }
  std::vector<cyclic_quotient> candidates;
  for (std::vector<std::uint32_t>& value : homomorphisms_into(g, members, exponent)) {
    std::uint32_t d = exponent;
    for (const std::uint32_t u : members) d = std::gcd(d, value[u]);
    for (std::uint32_t& v : value) v /= d;
    candidates.push_back({members, exponent / d, std::move(value), 0});
  }
  std::stable_sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.modulus > b.modulus; });
  std::vector<cyclic_quotient> chosen;
  Members common = members;
  for (cyclic_quotient& c : candidates) {
    if (common.size() == 1) break;
    Members k = kernel(common, c.value);
    if (k.size() == common.size()) continue;
    common = std::move(k);
    c.lift = lift_of(c);
    chosen.push_back(std::move(c));
  }
  return chosen;
}

struct series_search {
  const perm_group& g;
  std::map<Members, std::optional<solvable_series>> memo;

  std::optional<solvable_series> best(const Members& members) {
    if (auto at = memo.find(members); at != memo.end()) return at->second;
    std::optional<solvable_series> result;
    if (abelian(g, members)) {
      result = solvable_series{{}, abelian_coordinates(g, members)};
    } else {
      const auto size = static_cast<std::uint32_t>(members.size());
      std::map<Members, bool> tried;
      for (std::uint32_t p = 2; p <= size; ++p) {
        bool prime = size % p == 0;
        for (std::uint32_t d = 2; prime && d * d <= p; ++d) prime = p % d != 0;
        if (!prime) continue;
        for (std::vector<std::uint32_t>& value : homomorphisms_into(g, members, p)) {
          Members k = kernel(members, value);
          if (tried[k]) continue;  // one homomorphism per kernel: the others are multiples
          tried[k] = true;
          std::optional<solvable_series> below = best(k);
          if (!below || (result && below->steps.size() + 1 >= result->steps.size())) continue;
          cyclic_quotient step{members, p, std::move(value), 0};
          step.lift = lift_of(step);
          below->steps.insert(below->steps.begin(), std::move(step));
          result = std::move(below);
        }
      }
    }
    return memo[members] = result;
  }
};

}  // namespace

std::optional<solvable_series> solvable_series_of(const perm_group& g) {
  Members all(g.order());
  std::iota(all.begin(), all.end(), 0u);
  return series_search{g, {}}.best(all);
}

std::vector<Perm> dihedral_elements(unsigned m) {
  if (m < 3 || m > 128) throw std::invalid_argument("dihedral_elements: m in 3..128");
  std::vector<Perm> out;
  for (unsigned reflect = 0; reflect < 2; ++reflect)
    for (unsigned shift = 0; shift < m; ++shift) {
      Perm p(m);
      for (unsigned e = 0; e < m; ++e) p[e] = static_cast<std::uint8_t>(((reflect ? m - e : e) + shift) % m);
      out.push_back(std::move(p));
    }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace tcx
