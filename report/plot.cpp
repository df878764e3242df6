#include "report/plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace tcx::report {

namespace {

constexpr const char* font = "system-ui,-apple-system,'Segoe UI','DejaVu Sans',Arial,sans-serif";
constexpr double title_size = 14, label_size = 12.5, law_size = 11, tick_size = 11.5;

// Darker shades of the palette for text, so thin letters keep their contrast on white.
const std::vector<std::string>& text_palette() {
  static const std::vector<std::string> p{"#0072B2", "#C04F00", "#007A5A", "#A8538A", "#9A6500", "#2A7FB0", "#000000"};
  return p;
}

// A generous estimate of a text's width: DejaVu Sans, the widest common fallback, averages 0.6 em.
double text_width(const std::string& s, double size) {
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;  // UTF-8 code points
  return static_cast<double>(chars) * size * 0.6;
}

std::string num(double v) { return fmt::format("{:.1f}", v); }

double fwd(scale s, double v) {
  switch (s) {
    case scale::log2: return std::log2(v);
    case scale::log10: return std::log10(v);
    default: return v;
  }
}

struct range {
  double lo, hi;
};

// The axis range: the given one, or the data's (log axes widened to whole powers).
range axis_range(const axis& a, double dmin, double dmax) {
  if (a.lo != a.hi) return {a.lo, a.hi};
  if (!(dmin <= dmax)) dmin = 0, dmax = 1;
  if (a.kind != scale::linear) {
    const double base = a.kind == scale::log2 ? 2 : 10;
    dmin = std::max(dmin, 1e-9);
    dmax = std::max(dmax, dmin);
    double lo = std::pow(base, std::floor(std::log(dmin) / std::log(base) + 1e-9));
    double hi = std::pow(base, std::ceil(std::log(dmax) / std::log(base) - 1e-9));
    if (hi <= lo) hi = lo * base;
    return {lo, hi};
  }
  if (dmax - dmin < 1e-9) return {dmin - 1, dmax + 1};
  const double pad = (dmax - dmin) * 0.06;
  return {dmin - pad, dmax + pad};
}

std::string tick_text(double v) {
  if (std::fabs(v) >= 1e6 && std::fmod(v, 1e6) == 0) return fmt::format("{}M", static_cast<long long>(v / 1e6));
  if (std::fabs(v) >= 1e4 && std::fmod(v, 1e3) == 0) return fmt::format("{}k", static_cast<long long>(v / 1e3));
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{}", static_cast<long long>(std::round(v)));
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::vector<double> ticks(const axis& a, range r) {
  std::vector<double> t;
  if (a.kind == scale::log2) {
    for (double v = r.lo; v <= r.hi * 1.0001; v *= 2) t.push_back(v);
    if (t.size() > 9) {
      std::vector<double> every_other;
      for (std::size_t i = 0; i < t.size(); i += 2) every_other.push_back(t[i]);
      t = every_other;
    }
    return t;
  }
  if (a.kind == scale::log10) {
    const double decades = std::log10(r.hi / r.lo);
    for (double v = r.lo; v <= r.hi * 1.0001; v *= 10) {
      t.push_back(v);
      if (decades <= 2)
        for (double m : {2.0, 5.0})
          if (v * m < r.hi * 0.999) t.push_back(v * m);
    }
    std::sort(t.begin(), t.end());
    return t;
  }
  const double raw = (r.hi - r.lo) / 5;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag * 1.0001) {
      step = m * mag;
      break;
    }
  if (a.integer_ticks) step = r.hi - r.lo <= 10 ? 1.0 : std::max(1.0, std::round(step));
  for (double v = std::ceil(r.lo / step - 1e-9) * step; v <= r.hi + 1e-9; v += step) t.push_back(std::fabs(v) < 1e-12 ? 0 : v);
  return t;
}

// The outline of marker `m` at (x, y), filled with `fill`.
std::string marker_svg(int m, double x, double y, const std::string& colour, const std::string& fill) {
  const double s = 3.8;
  const std::string style = fmt::format(R"( fill="{}" stroke="{}" stroke-width="1.4")", fill, colour);
  switch (m % 6) {
    case 0: return fmt::format(R"(<circle cx="{}" cy="{}" r="{}"{}/>)", num(x), num(y), num(s), style);
    case 1: return fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}"{}/>)", num(x - s * 0.9), num(y - s * 0.9), num(s * 1.8), num(s * 1.8), style);
    case 2:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}Z"{}/>)", num(x), num(y - s * 1.15), num(x + s * 1.1), num(y + s * 0.8),
                         num(x - s * 1.1), num(y + s * 0.8), style);
    case 3:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}L{} {}Z"{}/>)", num(x), num(y - s * 1.25), num(x + s * 1.05), num(y), num(x),
                         num(y + s * 1.25), num(x - s * 1.05), num(y), style);
    case 4:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}Z"{}/>)", num(x), num(y + s * 1.15), num(x + s * 1.1), num(y - s * 0.8),
                         num(x - s * 1.1), num(y - s * 0.8), style);
    default:
      return fmt::format(R"(<path d="M{} {}L{} {}L{} {}L{} {}L{} {}L{} {}L{} {}L{} {}Z"{}/>)", num(x - s), num(y - s * 0.35),
                         num(x - s * 0.35), num(y - s * 0.35), num(x - s * 0.35), num(y - s), num(x + s * 0.35), num(y - s),
                         num(x + s * 0.35), num(y - s * 0.35), num(x + s), num(y - s * 0.35), num(x + s), num(y + s * 0.35),
                         num(x - s), num(y + s * 0.35), style);
  }
}

std::string mark_svg(mark style, int m, double x, double y, const std::string& colour) {
  switch (style) {
    case mark::filled: return marker_svg(m, x, y, colour, colour);
    case mark::hollow: return marker_svg(m, x, y, colour, "#fff");
    case mark::cross:
      return fmt::format(R"(<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{}" stroke-width="2" fill="none"/>)", num(x - 4), num(y - 4),
                         num(x + 4), num(y + 4), num(x - 4), num(y + 4), num(x + 4), num(y - 4), colour);
    case mark::at_least:  // a bar at the bound and an arrow up from it: "at least this"
      return fmt::format(R"(<path d="M{} {}H{}M{} {}V{}M{} {}L{} {}L{} {}" stroke="{}" stroke-width="1.8" fill="none"/>)", num(x - 4.5),
                         num(y), num(x + 4.5), num(x), num(y), num(y - 13), num(x - 4), num(y - 8.5), num(x), num(y - 13.5), num(x + 4),
                         num(y - 8.5), colour);
  }
  return {};
}

struct label_box {
  double want, top = 0, height = 0;  // want: the y of the line's end
  std::size_t series = 0;
};

// Pushes label boxes apart (sorted by the y they want) and into [lo, hi].
void spread(std::vector<label_box>& boxes, double lo, double hi) {
  std::sort(boxes.begin(), boxes.end(), [](const label_box& a, const label_box& b) { return a.want < b.want; });
  for (std::size_t i = 0; i < boxes.size(); ++i) {
    boxes[i].top = std::max(boxes[i].want - 7, lo);
    if (i) boxes[i].top = std::max(boxes[i].top, boxes[i - 1].top + boxes[i - 1].height);
  }
  for (std::size_t i = boxes.size(); i-- > 0;) {
    const double limit = i + 1 < boxes.size() ? boxes[i + 1].top : hi;
    boxes[i].top = std::min(boxes[i].top, limit - boxes[i].height);
  }
}

struct frame {
  double left, top, right, bottom;  // the plot area in panel pixels
  range xr, yr;
  const plot_panel* p;
  double px(double v) const { return left + (fwd(p->x.kind, v) - fwd(p->x.kind, xr.lo)) / (fwd(p->x.kind, xr.hi) - fwd(p->x.kind, xr.lo)) * (right - left); }
  double py(double v) const { return bottom - (fwd(p->y.kind, v) - fwd(p->y.kind, yr.lo)) / (fwd(p->y.kind, yr.hi) - fwd(p->y.kind, yr.lo)) * (bottom - top); }
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out{""};
  for (char c : text) c == '\n' ? out.push_back("") : out.back().push_back(c);
  return out;
}

double label_height(const plot_series& s) { return 15.0 * static_cast<double>(lines_of(s.label).size()) + (s.law.empty() ? 1 : 14); }

// Text for SVG: escaped, and "^2.07" raised as a superscript.
std::string svg_text(const std::string& text) {
  const std::string e = xml_escape(text);
  const std::size_t hat = e.find('^');
  if (hat == std::string::npos || hat + 1 == e.size()) return e;
  std::size_t end = hat + 1;
  while (end < e.size() && (std::isdigit(static_cast<unsigned char>(e[end])) || e[end] == '.' || e[end] == '-')) ++end;
  return e.substr(0, hat) + R"(<tspan dy="-4" font-size="0.8em">)" + e.substr(hat + 1, end - hat - 1) + "</tspan>" +
         (end < e.size() ? R"(<tspan dy="4">)" + e.substr(end) + "</tspan>" : std::string());
}

int colour_of(const plot_series& s, std::size_t i) { return s.colour >= 0 ? s.colour : static_cast<int>(i % palette().size()); }
int marker_of(const plot_series& s, std::size_t i) { return s.marker >= 0 ? s.marker : static_cast<int>(i % 6); }

// The panel's content at (0, 0) with size w x h.
std::string panel_body(const plot_panel& p, double w, double h) {
  double dx0 = std::numeric_limits<double>::infinity(), dx1 = -dx0, dy0 = dx0, dy1 = -dx0;
  for (const plot_series& s : p.series)
    for (const plot_point& q : s.points) {
      dx0 = std::min(dx0, q.x + s.x_offset), dx1 = std::max(dx1, q.x + s.x_offset);
      dy0 = std::min(dy0, q.y), dy1 = std::max(dy1, q.y);
    }
  for (const plot_rule& r : p.rules) {
    double& lo = r.vertical ? dx0 : dy0;
    double& hi = r.vertical ? dx1 : dy1;
    lo = std::min(lo, r.at), hi = std::max(hi, r.at);
  }
  frame f{};
  f.p = &p;
  f.xr = axis_range(p.x, dx0, dx1);
  f.yr = axis_range(p.y, dy0, dy1);
  double label_w = 0;
  if (p.end_labels)
    for (const plot_series& s : p.series) {
      for (const std::string& l : lines_of(s.label)) label_w = std::max(label_w, text_width(l, label_size) + 14);
      label_w = std::max(label_w, text_width(s.law, law_size) + 14);
    }
  const std::vector<double> yt = ticks(p.y, f.yr), xt = ticks(p.x, f.xr);
  double tick_w = 0;
  for (double v : yt) tick_w = std::max(tick_w, text_width(tick_text(v), tick_size));
  f.left = 22 + tick_w + 8;
  f.top = 34;
  f.right = w - (p.end_labels ? std::min(label_w + 12, w * 0.5) : 14);
  f.bottom = h - 40;
  std::string out;
  out += fmt::format(R"(<text x="{}" y="18" font-size="{}" font-weight="600" fill="#222">{}</text>)", num(f.left), title_size, xml_escape(p.title));
  // Grid and ticks.
  for (double v : yt) {
    const double y = f.py(v);
    if (y < f.top - 0.5 || y > f.bottom + 0.5) continue;
    out += fmt::format(R"(<path d="M{} {}H{}" stroke="#e4e4e4" stroke-width="1"/>)", num(f.left), num(y), num(f.right));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="#555">{}</text>)", num(f.left - 6), num(y + 3.8), tick_size,
                       tick_text(v));
  }
  for (double v : xt) {
    const double x = f.px(v);
    if (x < f.left - 0.5 || x > f.right + 0.5) continue;
    out += fmt::format(R"(<path d="M{} {}V{}" stroke="#efefef" stroke-width="1"/>)", num(x), num(f.top), num(f.bottom));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#555">{}</text>)", num(x), num(f.bottom + 15), tick_size,
                       tick_text(v));
  }
  out += fmt::format(R"(<path d="M{} {}V{}H{}" stroke="#888" stroke-width="1" fill="none"/>)", num(f.left), num(f.top), num(f.bottom), num(f.right));
  const auto scale_note = [](scale s) { return s == scale::log2 ? " (log\u2082 scale)" : s == scale::log10 ? " (log scale)" : ""; };
  out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="#333">{}</text>)", num((f.left + f.right) / 2), num(h - 8),
                     label_size, xml_escape(p.x.label + scale_note(p.x.kind)));
  out += fmt::format(R"x(<text transform="translate(13 {}) rotate(-90)" font-size="{}" text-anchor="middle" fill="#333">{}</text>)x",
                     num((f.top + f.bottom) / 2), label_size, xml_escape(p.y.label + scale_note(p.y.kind)));
  // Reference lines.
  int verticals = 0;
  for (const plot_rule& r : p.rules) {
    if (r.vertical) {
      const double x = f.px(r.at);
      out += fmt::format(R"(<path d="M{} {}V{}" stroke="#666" stroke-width="1.2" stroke-dasharray="4 3"/>)", num(x), num(f.top), num(f.bottom));
      // Staggered down, and on the left of the line when another rule is close on its right, so
      // that neighbouring rules' labels cross no line.
      bool crowded = false;
      for (const plot_rule& o : p.rules)
        if (o.vertical && o.at > r.at && f.px(o.at) - x < text_width(r.label, law_size) + 8) crowded = true;
      out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" fill="#444"{}>{}</text>)", num(crowded ? x - 4 : x + 4),
                         num(f.bottom - 8 - 14 * verticals++), law_size, crowded ? R"( text-anchor="end")" : "", xml_escape(r.label));
    } else {
      const double y = f.py(r.at);
      out += fmt::format(R"(<path d="M{} {}H{}" stroke="#666" stroke-width="1.2" stroke-dasharray="4 3"/>)", num(f.left), num(y), num(f.right));
      out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="end" fill="#444">{}</text>)", num(f.right - 3), num(y - 4), law_size,
                         xml_escape(r.label));
    }
  }
  // Lines, then markers on top.
  std::vector<label_box> boxes;
  for (std::size_t i = 0; i < p.series.size(); ++i) {
    const plot_series& s = p.series[i];
    const std::string colour = palette()[colour_of(s, i) % palette().size()];
    std::string d;
    bool pen = false;
    for (const plot_point& q : s.points) {
      if (!q.joined) {
        pen = false;
        continue;
      }
      d += fmt::format("{}{} {}", pen ? "L" : "M", num(f.px(q.x + s.x_offset)), num(f.py(q.y)));
      pen = true;
    }
    if (!d.empty())
      out += fmt::format(R"(<path d="{}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round"{}/>)", d, colour,
                         s.dashed ? R"( stroke-dasharray="6 4")" : "");
    if (p.end_labels && !s.label.empty() && !s.points.empty()) boxes.push_back({f.py(s.points.back().y), 0, label_height(s), i});
  }
  for (std::size_t i = 0; i < p.series.size(); ++i) {
    const plot_series& s = p.series[i];
    const std::string colour = palette()[colour_of(s, i) % palette().size()];
    if (s.markers)
      for (const plot_point& q : s.points) out += mark_svg(q.style, marker_of(s, i), f.px(q.x + s.x_offset), f.py(q.y), colour);
  }
  // End labels: a swatch of the marker, the name, the law under it; a leader when moved.
  spread(boxes, f.top - 6, f.bottom + 12);
  const double lx = f.right + 14;
  for (const label_box& b : boxes) {
    const plot_series& s = p.series[b.series];
    const std::size_t c = colour_of(s, b.series) % palette().size();
    const double ex = f.px(s.points.back().x + s.x_offset), ey = b.want, ty = b.top + 7;
    out += fmt::format(R"(<path d="M{} {}L{} {}H{}" stroke="{}" stroke-width="0.8" fill="none" opacity="0.7"/>)", num(ex + 5), num(ey),
                       num(lx - 6), num(ty), num(lx - 3), palette()[c]);
    double y = ty + 4;
    for (const std::string& l : lines_of(s.label)) {
      out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" fill="{}">{}</text>)", num(lx), num(y), label_size, text_palette()[c], svg_text(l));
      y += 15;
    }
    if (!s.law.empty())
      out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" fill="#444">{}</text>)", num(lx), num(y - 2), law_size, svg_text(s.law));
  }
  return out;
}

double panel_height(const plot_figure& f, const plot_panel& p) {
  double labels = 0;
  if (p.end_labels)
    for (const plot_series& s : p.series) labels += label_height(s);
  return std::max<double>(f.panel_height, labels + 34 + 40 + 6);
}

double figure_height(const plot_figure& f) {
  double h = 0;
  for (const plot_panel& p : f.panels) h = std::max(h, panel_height(f, p));
  return h;
}

std::string key_body(const plot_figure& f, double& width) {
  std::string out;
  double x = 4;
  for (const key_item& k : f.key) {
    const std::string colour = palette()[k.colour % palette().size()];
    out += mark_svg(k.style, k.marker, x + 6, k.style == mark::at_least ? 17 : 11, colour);
    out += fmt::format(R"(<text x="{}" y="{}" font-size="{}" fill="#333">{}</text>)", num(x + 16), num(15), label_size, xml_escape(k.text));
    x += 16 + text_width(k.text, label_size) + 18;
  }
  width = x;
  return out;
}

std::string svg_open(double w, double h, const std::string& role_label) {
  return fmt::format(R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" font-family="{}" role="img" aria-label="{}">)", num(w), num(h),
                     font, xml_escape(role_label));
}

}  // namespace

const std::vector<std::string>& palette() {
  static const std::vector<std::string> p{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
  return p;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  return out;
}

std::string panel_svg(const plot_figure& f, std::size_t i) {
  const plot_panel& p = f.panels.at(i);
  const double w = f.panel_width, h = figure_height(f);
  return svg_open(w, h, p.title) + panel_body(p, w, h) + "</svg>";
}

std::string key_svg(const plot_figure& f) {
  if (f.key.empty()) return {};
  double w = 0;
  const std::string body = key_body(f, w);
  std::string svg = svg_open(w, 24, "key");
  svg.insert(svg.find(" viewBox"), fmt::format(R"( width="{}" height="24")", num(w)));  // its natural size, not its container's
  return svg + body + "</svg>";
}

std::string figure_svg(const plot_figure& f, const std::string& title) {
  const double ph = figure_height(f), kh = f.key.empty() ? 0 : 28;
  const std::size_t cols = f.columns > 0 ? static_cast<std::size_t>(f.columns) : std::min<std::size_t>(3, std::max<std::size_t>(1, f.panels.size()));
  const std::size_t rows = (f.panels.size() + cols - 1) / cols;
  // The key sits on one line above the panels: the figure is at least as wide as the key (a
  // long key over one narrow panel was cut off on the right).
  double kw = 0;
  const std::string key = f.key.empty() ? std::string() : key_body(f, kw);
  const double w = std::max(static_cast<double>(f.panel_width * std::min(cols, f.panels.size())), f.key.empty() ? 0.0 : 10 + kw),
               h = kh + ph * static_cast<double>(rows);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg_open(w, h, title);
  out.insert(out.find(" viewBox"), fmt::format(R"( width="{}" height="{}")", num(w), num(h)));
  out += fmt::format(R"(<rect width="{}" height="{}" fill="#fff"/>)", num(w), num(h));
  if (!f.key.empty()) out += fmt::format(R"x(<g transform="translate(10 2)">{}</g>)x", key);
  for (std::size_t i = 0; i < f.panels.size(); ++i)
    out += fmt::format(R"x(<g transform="translate({} {})">{}</g>)x", f.panel_width * (i % cols), num(kh + ph * static_cast<double>(i / cols)),
                       panel_body(f.panels[i], f.panel_width, ph));
  return out + "</svg>\n";
}

}  // namespace tcx::report
