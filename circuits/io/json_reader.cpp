// Reading tcx's JSON circuits (circuits/io/json_format.hpp), as to_json writes them. Syntax
// errors carry file:line:col; a well-formed document that is not a circuit is named by the JSON
// pointer of the offending value ("file: /gates/3/weights/1: not an integer").
#include <algorithm>
#include <string>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/json_format.hpp"
#include "circuits/names.hpp"

namespace tcx {

namespace {

using nlohmann::json;

class JsonCircuitReader {
public:
  JsonCircuitReader(const json& doc, const std::string& path) : doc_(doc), path_(path) {}

  Circuit read() {
    if (!doc_.is_object()) fail("", "not a JSON object");
    if (!doc_.contains("format") || doc_["format"] != "tcx-circuit") fail("/format", "not \"tcx-circuit\": not a tcx JSON circuit");
    // The version the writer puts, as the .tc reader checks its header: a later format is refused.
    if (!doc_.contains("version")) fail("/version", "missing (this reader takes version " + std::to_string(json_circuit_version) + ")");
    if (!doc_["version"].is_number_unsigned() || doc_["version"].get<std::uint64_t>() != static_cast<std::uint64_t>(json_circuit_version))
      fail("/version", "unsupported format version " + doc_["version"].dump(-1).substr(0, 40) + " (this reader takes version " +
                           std::to_string(json_circuit_version) + ")");
    const json& inputs = array_at(doc_, "inputs", "");
    const json& gates = array_at(doc_, "gates", "");
    const json& outputs = array_at(doc_, "outputs", "");
    Builder b;
    // Node ids as the writer numbers them: 0 the constant, then the inputs, then the gates, each
    // fan-in an earlier node. lit_of[id] is the node's literal in the circuit built.
    std::vector<Lit> lit_of{lit_false};
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const std::string at = "/inputs/" + std::to_string(i);
      expect_id(inputs[i], at, lit_of.size());
      const std::string name = name_at(inputs[i], at);
      try {
        lit_of.push_back(b.add_input(name));
      } catch (const std::invalid_argument&) {
        fail(at + "/name", "\"" + printable(name) + "\" names another node already");
      }
    }
    std::vector<Lit> fanins;
    std::vector<mpz_class> weights;
    for (std::size_t g = 0; g < gates.size(); ++g) {
      const std::string at = "/gates/" + std::to_string(g);
      const json& gate = gates[g];
      expect_id(gate, at, lit_of.size());
      const json& f = array_at(gate, "fanins", at);
      const json& w = array_at(gate, "weights", at);
      if (f.size() != w.size()) fail(at, "fanins and weights differ in length");
      fanins.clear();
      weights.clear();
      for (std::size_t k = 0; k < f.size(); ++k) {
        const std::size_t src = node_at(f[k], at + "/fanins/" + std::to_string(k), lit_of.size());
        fanins.push_back(lit_of[src]);
        weights.push_back(integer_at(w[k], at + "/weights/" + std::to_string(k)));
      }
      if (!gate.contains("threshold")) fail(at, "no threshold");
      const Lit out = b.add_gate(fanins, weights, integer_at(gate["threshold"], at + "/threshold"));
      lit_of.push_back(out);
      const std::string name = name_at(gate, at);
      if (!name.empty() && !out.negated() && out.node() != 0) try_name(b, out.node(), name, at);
    }
    for (std::size_t o = 0; o < outputs.size(); ++o) {
      const std::string at = "/outputs/" + std::to_string(o);
      const json& out = outputs[o];
      if (!out.is_object()) fail(at, "not an object");
      if (!out.contains("node")) fail(at, "no node");
      const Lit lit = lit_of[node_at(out["node"], at + "/node", lit_of.size())];
      bool negated = false;
      if (out.contains("negated")) {
        if (!out["negated"].is_boolean()) fail(at + "/negated", "not true or false");
        negated = out["negated"].get<bool>();
      }
      b.add_output(negated ? !lit : lit, name_at(out, at));
    }
    return std::move(b).build();
  }

private:
  [[noreturn]] void fail(const std::string& at, const std::string& message) const {
    throw IoError(path_ + ": " + (at.empty() ? "" : at + ": ") + message);
  }

  const json& array_at(const json& obj, const char* key, const std::string& at) const {
    if (!obj.is_object()) fail(at, "not an object");
    if (!obj.contains(key)) fail(at, std::string("no \"") + key + "\" array");
    const json& a = obj[key];
    if (!a.is_array()) fail(at + "/" + key, "not an array");
    return a;
  }

  // The node's own id must be the next one: the numbering is part of the format.
  void expect_id(const json& node, const std::string& at, std::size_t next) const {
    if (!node.is_object()) fail(at, "not an object");
    if (!node.contains("id") || !node["id"].is_number_unsigned() || node["id"].get<std::uint64_t>() != next)
      fail(at + "/id", "expected " + std::to_string(next) + " (0 is the constant, then the inputs, then the gates in order)");
  }

  // A reference to an earlier node.
  std::size_t node_at(const json& v, const std::string& at, std::size_t known) const {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() >= known)
      fail(at, "not the id of an earlier node (0.." + std::to_string(known - 1) + ")");
    return static_cast<std::size_t>(v.get<std::uint64_t>());
  }

  // A number, or a decimal string for integers beyond 2^53 (as the writer puts them).
  mpz_class integer_at(const json& v, const std::string& at) const {
    if (v.is_number_integer()) return v.is_number_unsigned() ? mpz_class(std::to_string(v.get<std::uint64_t>()))
                                                             : mpz_class(std::to_string(v.get<std::int64_t>()));
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      const std::size_t digits = s.size() - (!s.empty() && s[0] == '-');
      const bool decimal = digits > 0 && std::all_of(s.end() - static_cast<std::ptrdiff_t>(digits), s.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (decimal && digits > 100000) fail(at, "an integer of " + std::to_string(digits) + " digits; the limit is 100000");
      if (decimal) return mpz_class(s);
    }
    fail(at, "not an integer (a JSON integer, or a decimal string)");
  }

  std::string name_at(const json& node, const std::string& at) const {
    if (!node.contains("name")) return {};
    if (!node["name"].is_string()) fail(at + "/name", "not a string");
    const std::string name = node["name"].get<std::string>();
    try {
      check_name_text(name);
    } catch (const std::invalid_argument& e) {
      fail(at + "/name", e.what());
    }
    return name;
  }

  void try_name(Builder& b, node_id node, const std::string& name, const std::string& at) const {
    try {
      b.set_name(node, name);
    } catch (const std::invalid_argument&) {
      fail(at + "/name", "\"" + printable(name) + "\" names another node already");
    }
  }

  const json& doc_;
  const std::string& path_;
};

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& path) {
  auto at_byte = [&](std::size_t end, const std::string& message) {  // file:line:col of a byte
    std::uint32_t line = 1, col = 1;
    end = std::min(end, text.size());
    for (std::size_t k = 0; k < end; ++k) {
      if (text[k] == '\n') ++line, col = 1;
      else ++col;
    }
    return ParseError(path, line, col, message);
  };
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's message names its own position; ours is file:line:col of the byte it stopped at.
    const std::string what = e.what();
    const std::size_t cut = what.find(": ", what.find("parse error"));
    throw at_byte(e.byte ? e.byte - 1 : 0, "invalid JSON" + (cut == std::string::npos ? std::string() : printable(what.substr(cut), 160)));
  } catch (const json::out_of_range& e) {
    // a number past a double ("number overflow parsing '1e400'"): placed at the number's first occurrence
    const std::string what = e.what();
    const std::size_t q = what.find('\''), q2 = q == std::string::npos ? q : what.find('\'', q + 1);
    const std::size_t at = q2 == std::string::npos ? 0 : text.find(what.substr(q + 1, q2 - q - 1));
    throw at_byte(at == std::string::npos ? 0 : at, "invalid JSON: a number too large for a double" +
                                                        (q2 == std::string::npos ? std::string() : " (" + printable(what.substr(q + 1, q2 - q - 1), 80) + ")"));
  }
}

Circuit read_json_circuit(const std::string& text, const std::string& path) {
  const json doc = parse_json_text(text, path);
  return JsonCircuitReader(doc, path).read();
}

}  // namespace tcx
