#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>
#include <vector>

#include "circuits/builder.hpp"
#include "circuits/graph.hpp"
#include "circuits/io/file.hpp"
#include "circuits/io/tc_format.hpp"

namespace tcx {

namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '[' || c == ']' || c == '$';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_keyword(std::string_view s) {
  return s == "input" || s == "inputs" || s == "gate" || s == "output" || s == "true" || s == "false";
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// A cursor over the text that knows its line and column (1-based, in bytes).
class Cursor {
public:
  Cursor(std::string_view text, const std::string& file) : text_(text), file_(&file) {}

  [[noreturn]] void fail(const std::string& msg) const { throw ParseError(*file_, line_, col(), msg); }
  [[noreturn]] void fail_at(std::size_t pos, const std::string& msg) const {
    throw ParseError(*file_, line_, static_cast<std::uint32_t>(pos - line_start_ + 1), msg);
  }
  std::uint32_t col() const { return static_cast<std::uint32_t>(pos_ - line_start_ + 1); }
  std::uint32_t line() const { return line_; }
  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\n' : text_[pos_]; }

  // Skips blanks and a comment, stopping at the end of the line.
  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\r')) ++pos_;
    if (!at_end() && text_[pos_] == '#')
      while (!at_end() && text_[pos_] != '\n') ++pos_;
  }
  bool at_line_end() {
    skip_space();
    return at_end() || text_[pos_] == '\n';
  }
  void next_line() {
    skip_space();
    if (at_end()) return;
    if (text_[pos_] != '\n') fail(describe_here("end of line"));
    ++pos_;
    ++line_;
    line_start_ = pos_;
  }
  bool accept(char c) {
    skip_space();
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  bool accept(std::string_view s) {
    skip_space();
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  void expect(std::string_view s) {
    if (!accept(s)) fail(describe_here("'" + std::string(s) + "'"));
  }
  std::string describe_here(const std::string& wanted) {
    skip_space();
    if (at_end()) return "expected " + wanted + ", found end of file";
    if (text_[pos_] == '\n') return "expected " + wanted + ", found end of line";
    char c = text_[pos_];
    if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126)
      return "expected " + wanted + ", found byte 0x" + fmt_hex(static_cast<unsigned char>(c));
    return "expected " + wanted + ", found '" + std::string(1, c) + "'";
  }
  static std::string fmt_hex(unsigned v) {
    const char* d = "0123456789abcdef";
    return std::string{d[v >> 4], d[v & 15]};
  }

  // A bare name or a quoted "..." name; nullopt (nothing consumed) when neither starts here.
  std::optional<std::string> name() {
    skip_space();
    if (peek() == '"') return quoted();
    if (!is_name_start(peek())) return std::nullopt;
    std::size_t start = pos_;
    while (!at_end() && is_name_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  std::string quoted() {
    std::size_t start = pos_++;
    std::string s;
    while (true) {
      if (at_end() || text_[pos_] == '\n') fail_at(start, "unterminated quoted name");
      if (static_cast<unsigned char>(text_[pos_]) < 0x20 || text_[pos_] == 0x7f)
        fail_at(pos_, "a control character (byte 0x" + fmt_hex(static_cast<unsigned char>(text_[pos_])) + ") in a name");
      char c = text_[pos_++];
      if (c == '"') break;
      if (c == '\\') {
        if (at_end() || (text_[pos_] != '"' && text_[pos_] != '\\')) fail("only \\\" and \\\\ may follow \\ in a name");
        c = text_[pos_++];
      }
      s += c;
    }
    if (s.empty()) fail_at(start, "empty name");
    return s;
  }
  // Decimal digits (no sign), at most max_digits of them.
  std::string_view digits(std::size_t max_digits) {
    skip_space();
    std::size_t start = pos_;
    while (!at_end() && is_digit(text_[pos_])) {
      ++pos_;
      if (pos_ - start > max_digits)
        fail_at(start, "integer literal longer than " + std::to_string(max_digits) + " digits");
    }
    return text_.substr(start, pos_ - start);
  }
  // Moves to the first statement of the next non-empty line; false at end of file.
  bool next_statement() {
    while (true) {
      skip_space();
      if (at_end()) return false;
      if (text_[pos_] != '\n') return true;
      next_line();
    }
  }
  // Skips one character, or one quoted name (used by the error-path scan).
  void skip_token() {
    skip_space();
    if (peek() == '"') quoted();
    else if (!at_end() && text_[pos_] != '\n') ++pos_;
  }

private:
  std::string_view text_;
  const std::string* file_;
  std::size_t pos_ = 0, line_start_ = 0;
  std::uint32_t line_ = 1;
};

// Parses an unsigned integer from digits; into int64 when it fits.
bool small_value(std::string_view d, std::int64_t& out) {
  if (d.size() > 18) return false;
  std::from_chars(d.data(), d.data() + d.size(), out);
  return true;
}

class TcReader {
public:
  TcReader(std::string_view text, const std::string& file, const tc_reader_params& p)
      : text_(text), file_(file), p_(p), cur_(text, file) {}

  Circuit read() {
    header();
    while (cur_.next_statement()) {
      std::size_t start = cur_.pos();
      auto kw = cur_.name();
      if (!kw) cur_.fail(cur_.describe_here("a statement (input, inputs, gate, output)"));
      if (*kw == "input") input_names();
      else if (*kw == "inputs") input_count();
      else if (*kw == "gate") gate();
      else if (*kw == "output") output();
      else if (*kw == "end") return finish();
      else cur_.fail_at(start, "unknown statement '" + *kw + "' (expected input, inputs, gate, output or end)");
      cur_.next_line();
    }
    if (version_ >= 2)
      cur_.fail("the file ends without its closing 'end' line: it was cut short (a version " +
                std::to_string(version_) + " file ends with 'end')");
    return std::move(b_).build_all();
  }

private:
  void header() {
    if (!cur_.next_statement()) cur_.fail("empty file: expected the header 'tcx-circuit " +
                                          std::to_string(tc_format_version) + "'");
    if (!cur_.accept("tcx-circuit")) cur_.fail("expected the header 'tcx-circuit " + std::to_string(tc_format_version) + "'");
    std::uint32_t col = cur_.col();
    auto d = cur_.digits(9);
    if (d.empty()) cur_.fail(cur_.describe_here("a format version number"));
    std::int64_t v = 0;
    small_value(d, v);
    if (v < tc_oldest_version || v > tc_format_version)
      throw ParseError(file_, cur_.line(), col + 1,
                       "unsupported format version " + std::string(d) + " (this tcx reads versions " +
                           std::to_string(tc_oldest_version) + " to " + std::to_string(tc_format_version) + ")");
    version_ = static_cast<int>(v);
    cur_.next_line();
  }

  // `end` closes the file: nothing but blank lines and comments may follow it.
  Circuit finish() {
    cur_.next_line();
    if (cur_.next_statement()) cur_.fail("a statement after 'end' (the file's last statement)");
    return std::move(b_).build_all();
  }

  void no_gates_yet(std::size_t pos) {
    if (b_.num_gates() > 0 || saw_gate_) cur_.fail_at(pos, "inputs must be declared before the first gate");
  }

  void input_names() {
    bool any = false;
    while (!cur_.at_line_end()) {
      std::size_t pos = cur_.pos();
      no_gates_yet(pos);
      auto n = cur_.name();
      if (!n) cur_.fail(cur_.describe_here("an input name"));
      check_new_name(*n, pos);
      if (b_.num_inputs() >= p_.max_inputs)
        cur_.fail_at(pos, "more than " + std::to_string(p_.max_inputs) + " inputs (the reader's limit)");
      define(*n, b_.add_input(*n));
      any = true;
    }
    if (!any) cur_.fail(cur_.describe_here("an input name"));
  }

  void input_count() {
    std::size_t pos = cur_.pos();
    no_gates_yet(pos);
    auto d = cur_.digits(12);
    if (d.empty()) cur_.fail(cur_.describe_here("an input count"));
    std::int64_t n = 0;
    small_value(d, n);
    if (n > static_cast<std::int64_t>(p_.max_inputs) - static_cast<std::int64_t>(b_.num_inputs()))
      cur_.fail_at(pos + 1, "declares " + std::string(d) + " inputs; the reader's limit is " +
                                std::to_string(p_.max_inputs) + " in all");
    b_.add_inputs(static_cast<std::uint32_t>(n));
  }

  void check_new_name(const std::string& n, std::size_t pos) {
    if (is_keyword(n)) cur_.fail_at(pos, "'" + n + "' is a keyword and cannot be a name");
    auto it = where_.find(n);
    if (it != where_.end())
      cur_.fail_at(pos, "'" + n + "' is already defined at line " + std::to_string(it->second));
  }
  void define(const std::string& n, Lit l) {
    symbols_.emplace(n, l);
    where_.emplace(n, cur_.line());
  }

  // REF := NAME | "@" INT | true | false, with an optional leading '!'
  Lit literal() {
    bool neg = false;
    while (cur_.accept('!')) neg = !neg;
    cur_.skip_space();
    std::size_t pos = cur_.pos();
    if (cur_.accept('@')) {
      auto d = cur_.digits(10);
      if (d.empty()) cur_.fail(cur_.describe_here("a node number after '@'"));
      std::int64_t id = 0;
      small_value(d, id);
      if (id >= b_.num_nodes())
        cur_.fail_at(pos, "node @" + std::string(d) + " is not defined yet (there are " +
                              std::to_string(b_.num_nodes()) + " nodes so far)");
      return Lit(static_cast<node_id>(id), neg);
    }
    auto n = cur_.name();
    if (!n) cur_.fail(cur_.describe_here("a name, @number, true or false"));
    if (*n == "true") return lit_true ^ neg;
    if (*n == "false") return lit_false ^ neg;
    auto it = symbols_.find(*n);
    if (it == symbols_.end()) explain_undefined(*n, pos);
    return it->second ^ neg;
  }

  // gate DEF = sum >= INT
  void gate() {
    saw_gate_ = true;
    cur_.skip_space();
    std::size_t def_pos = cur_.pos();
    std::string def;
    bool anonymous = false;
    if (cur_.accept('@')) {
      auto d = cur_.digits(10);
      std::int64_t id = -1;
      if (!d.empty()) small_value(d, id);
      if (id != static_cast<std::int64_t>(b_.num_nodes()))
        cur_.fail_at(def_pos, "an anonymous gate must be numbered with its node id, @" + std::to_string(b_.num_nodes()));
      anonymous = true;
    } else {
      auto n = cur_.name();
      if (!n) cur_.fail(cur_.describe_here("a gate name or @number"));
      def = *n;
      check_new_name(def, def_pos);
    }
    cur_.expect("=");
    lits_.clear();
    w64_.clear();
    wbig_.clear();
    big_ = false;
    bool first = true;
    while (true) {
      cur_.skip_space();
      if (cur_.accept(">=")) break;
      bool negative = false;
      if (cur_.accept('-')) negative = true;
      else if (!cur_.accept('+') && !first) cur_.fail(cur_.describe_here("'+', '-' or '>='"));
      first = false;
      term(negative);
    }
    cur_.skip_space();
    bool negative = cur_.accept('-');
    auto d = cur_.digits(p_.max_integer_digits);
    if (d.empty()) cur_.fail(cur_.describe_here("a threshold (integer)"));
    Lit out;
    const std::uint32_t nodes_before = b_.num_nodes();
    std::int64_t t64 = 0;
    if (!big_ && small_value(d, t64)) {
      out = b_.add_gate(lits_, w64_, negative ? -t64 : t64);
    } else {
      to_big();
      mpz_class t(std::string(d), 10);  // base 10: the default base 0 would read "012" as octal
      if (negative) t = -t;
      out = b_.add_gate(lits_, wbig_, t);
    }
    if (anonymous) {
      if (out != Lit(nodes_before, false) || b_.num_nodes() != nodes_before + 1)
        cur_.fail_at(def_pos, "anonymous gate @" + std::to_string(nodes_before) +
                                  " is not in normal form (it simplifies to another literal); give it a name instead");
      return;
    }
    // A name goes on the node only when the node computes exactly this gate (not its
    // complement); otherwise it stays an alias known to this reader.
    if (!out.negated() && !out.is_constant() && b_.is_gate(out.node()) && b_.name(out.node()).empty())
      b_.set_name(out.node(), def);
    define(def, out);
  }

  // term := INT ['*'] LIT | INT | LIT
  void term(bool negative) {
    cur_.skip_space();
    auto d = cur_.digits(p_.max_integer_digits);
    Lit l = lit_true;  // a bare integer is a constant term: weight * true
    if (!d.empty()) {
      cur_.accept('*');
      cur_.skip_space();
      char c = cur_.peek();
      if (c == '!' || c == '@' || c == '"' || is_name_start(c)) l = literal();
    } else {
      l = literal();
    }
    std::int64_t w = 1;
    if (!d.empty() && (big_ || !small_value(d, w))) {
      to_big();
      mpz_class wb(std::string(d), 10);
      lits_.push_back(l);
      wbig_.push_back(negative ? mpz_class(-wb) : wb);
      return;
    }
    lits_.push_back(l);
    if (big_) wbig_.push_back(negative ? -w : w);
    else w64_.push_back(negative ? -w : w);
  }

  void to_big() {
    if (big_) return;
    big_ = true;
    wbig_.clear();
    for (std::int64_t w : w64_) wbig_.emplace_back(static_cast<long>(w));
  }

  // output [NAME =] LIT
  void output() {
    cur_.skip_space();
    std::string name;
    // Look ahead: a name followed by '=' names the output.
    Cursor probe = cur_;
    auto n = probe.name();
    if (n && probe.accept('=')) {
      if (is_keyword(*n)) cur_.fail("'" + *n + "' is a keyword and cannot be a name");
      name = *n;
      cur_ = probe;
    }
    Lit l = literal();
    b_.add_output(l, name);
  }

  // An undefined name: say whether it is defined later (and whether that makes a cycle).
  [[noreturn]] void explain_undefined(const std::string& n, std::size_t pos) {
    auto [def_line, graph] = scan_definitions(n);
    if (def_line == 0) cur_.fail_at(pos, "undefined name '" + n + "'");
    // Gate dependencies of the whole file, by name, to tell a cycle from a wrong order.
    if (auto cycle = find_cycle(static_cast<std::uint32_t>(graph.names.size()), graph.edges)) {
      std::string path;
      for (std::uint32_t v : *cycle) path += (path.empty() ? "" : " -> ") + graph.names[v];
      cur_.fail_at(pos, "cycle: " + path + " (a circuit must be acyclic)");
    }
    cur_.fail_at(pos, "'" + n + "' is used before its definition at line " + std::to_string(def_line) +
                          " (gates must be listed in topological order)");
  }

  struct NameGraph {
    std::vector<std::string> names;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> edges;  // used name -> defined gate
  };

  // A light second pass over the whole text (only on error): gate definitions and the names they use.
  std::pair<std::uint32_t, NameGraph> scan_definitions(const std::string& wanted) {
    NameGraph g;
    std::unordered_map<std::string, std::uint32_t> id;
    auto vertex = [&](const std::string& s) {
      auto [it, fresh] = id.emplace(s, static_cast<std::uint32_t>(g.names.size()));
      if (fresh) g.names.push_back(s);
      return it->second;
    };
    std::uint32_t def_line = 0;
    Cursor c(text_, file_);
    try {
      while (c.next_statement()) {
        auto kw = c.name();
        if (kw && (*kw == "gate")) {
          auto def = c.name();
          if (def && c.accept('=')) {
            if (*def == wanted && def_line == 0) def_line = c.line();
            std::uint32_t to = vertex(*def);
            while (!c.at_line_end()) {
              auto used = c.name();
              if (used) {
                if (!is_keyword(*used)) g.edges.emplace_back(vertex(*used), to);
              } else {
                c.skip_token();
              }
            }
          }
        } else if (kw && (*kw == "input")) {
          while (!c.at_line_end()) {
            auto n = c.name();
            if (!n) break;
            if (*n == wanted && def_line == 0) def_line = c.line();
          }
        }
        while (!c.at_line_end()) c.skip_token();
        c.next_line();
      }
    } catch (const ParseError&) {
      // The scan is best effort: a later syntax error only shortens it.
    }
    return {def_line, std::move(g)};
  }

  std::string_view text_;
  const std::string& file_;
  tc_reader_params p_;
  Cursor cur_;
  Builder b_;
  bool saw_gate_ = false;
  int version_ = tc_format_version;
  std::unordered_map<std::string, Lit, StringHash, std::equal_to<>> symbols_;
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> where_;
  std::vector<Lit> lits_;
  std::vector<std::int64_t> w64_;
  std::vector<mpz_class> wbig_;
  bool big_ = false;
};

}  // namespace

Circuit read_tc(std::string_view text, const std::string& filename, const tc_reader_params& params) {
  return TcReader(text, filename, params).read();
}

Circuit read_tc_file(const std::string& path, const tc_reader_params& params) {
  std::string text = read_file(path, params.max_file_bytes, [&](std::string_view head) { require_text_head(head, path); });
  return read_tc(text, path, params);
}

bool is_plain_name(std::string_view name) {
  if (name.empty() || !is_name_start(name[0]) || is_keyword(name)) return false;
  return std::all_of(name.begin(), name.end(), is_name_char);
}

}  // namespace tcx
