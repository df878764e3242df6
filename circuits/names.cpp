#include "circuits/names.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace tcx {

void check_name_text(std::string_view name) {
  for (std::size_t k = 0; k < name.size(); ++k)
    if (static_cast<unsigned char>(name[k]) < 0x20 || name[k] == 0x7f) {
      static const char* hex = "0123456789abcdef";
      const auto c = static_cast<unsigned char>(name[k]);
      throw std::invalid_argument(std::string("a name may not hold a control character (byte 0x") + hex[c >> 4] + hex[c & 15] + " at " +
                                  std::to_string(k) + ")");
    }
}

namespace {
std::uint64_t hash_name(std::string_view name) {
  std::uint64_t x = std::hash<std::string_view>{}(name);  // then splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

std::size_t NameTable::slot_by_name(std::string_view name, std::uint64_t hash) const {
  const std::size_t mask = by_name_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  std::size_t s = hash & mask;
  for (; by_name_[s].entry != 0; s = (s + 1) & mask)
    if (by_name_[s].tag == tag && text(entries_[by_name_[s].entry - 1]) == name) break;
  return s;
}

void NameTable::rebuild_name_index(std::size_t slots) {
  by_name_.assign(slots, NameSlot{0, 0});
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    by_name_[slot_by_name(text(e), e.hash)] = NameSlot{static_cast<std::uint32_t>(e.hash >> 32), static_cast<std::uint32_t>(i + 1)};
  }
}

bool NameTable::add(node_id node, std::string_view name) {
  if (name.size() > UINT32_MAX) throw std::invalid_argument("name longer than 2^32 characters");
  check_name_text(name);
  if (entries_.size() >= UINT32_MAX / 4) throw std::length_error("more than 2^30 names");
  if (2 * (entries_.size() + 1) > by_name_.size()) rebuild_name_index(std::max<std::size_t>(16, 2 * by_name_.size()));
  const std::uint64_t hash = hash_name(name);
  const std::size_t at_name = slot_by_name(name, hash);
  if (by_name_[at_name].entry != 0) {
    if (entries_[by_name_[at_name].entry - 1].node == node) return true;
    throw std::invalid_argument("name '" + std::string(name) + "' is already used by another node");
  }
  if (node < by_node_.size() && by_node_[node] != 0) return false;
  entries_.push_back(Entry{node, static_cast<std::uint32_t>(name.size()), chars_.size(), hash});
  chars_.append(name);
  const auto e = static_cast<std::uint32_t>(entries_.size());
  by_name_[at_name] = NameSlot{static_cast<std::uint32_t>(hash >> 32), e};
  if (node >= by_node_.size()) {
    if (node >= by_node_.capacity()) by_node_.reserve(std::max<std::size_t>(node + 1, 2 * by_node_.capacity()));
    by_node_.resize(std::size_t(node) + 1, 0);
  }
  by_node_[node] = e;
  return true;
}

std::string_view NameTable::name(node_id node) const {
  if (node >= by_node_.size() || by_node_[node] == 0) return {};
  return text(entries_[by_node_[node] - 1]);
}

std::optional<node_id> NameTable::find(std::string_view name) const {
  if (entries_.empty()) return std::nullopt;
  const std::uint32_t e = by_name_[slot_by_name(name, hash_name(name))].entry;
  if (e == 0) return std::nullopt;
  return entries_[e - 1].node;
}

NameTable NameTable::renumbered(std::span<const node_id> map) const {
  NameTable t;
  for (const Entry& e : entries_)
    if (e.node < map.size() && map[e.node] != no_node) t.add(map[e.node], text(e));
  return t;
}

bool operator==(const NameTable& a, const NameTable& b) {
  if (a.size() != b.size()) return false;
  for (const NameTable::Entry& e : a.entries_)
    if (b.name(e.node) != a.text(e)) return false;
  return true;
}

}  // namespace tcx
