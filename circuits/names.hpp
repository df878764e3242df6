#pragma once
// NameTable: the optional names of a circuit's nodes, both ways (node -> name, name -> node).
//
// Flat: every name's characters in one string, one 16-byte entry per name and two
// open-addressing indexes of 4-byte slots. A circuit with a million named inputs would otherwise
// hold two million hash-map nodes and strings, whose allocation, rehashing and freeing took more
// time than compiling the circuit.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/lit.hpp"

namespace tcx {

// Every text format writes a name on one line: a newline, a NUL or another control character
// would make a file that does not read back. std::invalid_argument for such a name.
void check_name_text(std::string_view name);

class NameTable {
public:
  // Names `node`. Returns false (and changes nothing) when the node already has a name; true
  // when it gets this one or already has it. Throws std::invalid_argument when another node has it.
  bool add(node_id node, std::string_view name);
  std::string_view name(node_id node) const;  // empty when unnamed
  std::optional<node_id> find(std::string_view name) const;
  bool empty() const { return entries_.empty(); }
  std::size_t size() const { return entries_.size(); }
  // The names moved to new node ids: map[node] is the node's new id, or no_node to drop its name.
  static constexpr node_id no_node = 0xFFFFFFFFu;
  NameTable renumbered(std::span<const node_id> map) const;
  // The same (node, name) pairs, in any order.
  friend bool operator==(const NameTable& a, const NameTable& b);

private:
  struct Entry {
    node_id node;
    std::uint32_t length;
    std::uint64_t offset;  // into chars_
    std::uint64_t hash;    // of the name
  };
  struct NameSlot {
    std::uint32_t tag;    // the hash's high half: most mismatches end without reading the entry
    std::uint32_t entry;  // entry index + 1; 0 = empty
  };
  std::string_view text(const Entry& e) const { return std::string_view(chars_).substr(e.offset, e.length); }
  std::size_t slot_by_name(std::string_view name, std::uint64_t hash) const;  // holding it, or empty
  void rebuild_name_index(std::size_t slots);

  std::string chars_;
  std::vector<Entry> entries_;
  // node -> entry index + 1 (0: unnamed), directly indexed up to the highest named node: names are
  // looked up for every node a writer prints, so one array read beats any hashing. Nodes only
  // get names once they exist, so this is at most 4 bytes per node of the circuit.
  std::vector<std::uint32_t> by_node_;
  std::vector<NameSlot> by_name_;  // open addressing, power-of-two size, at most half full
};

}  // namespace tcx
