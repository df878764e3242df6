#pragma once
// Plots drawn as SVG text by tcx itself: deterministic bytes (the same data give the same file),
// self-contained (no fonts, scripts or links), small enough to inline in the HTML report, and no
// plotting program needed. A figure is a row of panels; each line is labelled at its right end
// (labels pushed apart so they never overlap), with the fitted law under its label; colours are
// the Okabe-Ito palette (safe for the common colour-vision deficiencies) and every line has a
// marker too, so nothing depends on colour alone.
#include <cstdint>
#include <string>
#include <vector>

namespace tcx::report {

enum class scale { linear, log2, log10 };

struct axis {
  std::string label;
  scale kind = scale::linear;
  double lo = 0, hi = 0;  // lo == hi: from the data (log axes to whole powers, linear padded)
  bool integer_ticks = false;
};

// How one point is drawn: filled, hollow, an open arrow "at least here", or a cross.
enum class mark { filled, hollow, at_least, cross };

struct plot_point {
  double x = 0, y = 0;
  mark style = mark::filled;
  bool joined = true;  // drawn into the series' line (false: the marker alone)
};

struct plot_series {
  std::string label;  // at the line's right end
  std::string law;    // a second, smaller line under the label (the fitted law), may be empty
  std::vector<plot_point> points;
  int colour = -1, marker = -1;  // -1: by position in the panel
  bool dashed = false, markers = true;
  double x_offset = 0;  // in data units of a linear x axis: side by side series at equal x
};

// A horizontal or vertical reference line with a label at its end.
struct plot_rule {
  bool vertical = false;
  double at = 0;
  std::string label;
};

struct plot_panel {
  std::string title;
  axis x, y;
  std::vector<plot_series> series;
  std::vector<plot_rule> rules;
  bool end_labels = true;  // false: lines are named by the figure's key instead
};

struct key_item {  // an entry of a figure's key (for the meaning of marks or colours)
  std::string text;
  mark style = mark::filled;
  int colour = 6, marker = 0;
};

struct plot_figure {
  std::vector<plot_panel> panels;
  std::vector<key_item> key;
  int panel_width = 420, panel_height = 320;  // in SVG units; the HTML scales them
  int columns = 0;                            // panels per row of the SVG file (0: up to 3)
};

// One panel as a standalone <svg> element (viewBox, no fixed size: it scales to its container).
std::string panel_svg(const plot_figure& f, std::size_t panel);
// The key alone as a standalone <svg> (empty string when the figure has none).
std::string key_svg(const plot_figure& f);
// The whole figure as one SVG document: the key on top, the panels side by side.
std::string figure_svg(const plot_figure& f, const std::string& title);

// The palette: Okabe-Ito without its yellow (too light on white), ordered so neighbours differ.
const std::vector<std::string>& palette();
// XML text escaping (&, <, >, ").
std::string xml_escape(const std::string& s);

}  // namespace tcx::report
