// report.html: one self-contained file (figures inline as SVG, CSS and a few lines of JS inline, no
// network), readable from phone to laptop width, printable to PDF. Every number shown carries
// data-json, the JSON pointer of its value in data.json.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/render.hpp"
#include "report/sections.hpp"

namespace tcx::report {

namespace {

constexpr const char* css = R"CSS(
:root{--ink:#1d1f21;--muted:#5a5f66;--line:#dfe2e6;--bg:#fff;--soft:#f5f6f8;--const:#009E73;--log:#E69F00;--lin:#D55E00;--accent:#0072B2}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",Arial,sans-serif;color:var(--ink);background:var(--bg)}
.layout{display:grid;grid-template-columns:210px minmax(0,1fr);max-width:1320px;margin:0 auto}
nav.toc{position:sticky;top:0;align-self:start;height:100vh;overflow:auto;padding:20px 12px 20px 18px;border-right:1px solid var(--line);font-size:13.5px}
nav.toc b{display:block;margin-bottom:6px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em;font-size:11.5px}
nav.toc ol{margin:0;padding-left:18px}nav.toc li{margin:3px 0}
nav.toc a{color:var(--ink);text-decoration:none}nav.toc a:hover{color:var(--accent);text-decoration:underline}
nav.toc li{display:flex;justify-content:space-between;gap:6px}nav.toc .t{color:var(--muted);font-size:11.5px;font-variant-numeric:tabular-nums;white-space:nowrap}
main{padding:14px 28px 40px;min-width:0}
header.top h1{font-size:24px;margin:4px 0 2px}
header.top .meta{color:var(--muted);font-size:13px;margin:0}
.lede{font-size:16.5px;margin:10px 0 12px}
.board{display:grid;grid-template-columns:minmax(0,1.7fr) minmax(0,1fr) minmax(0,1.2fr);gap:12px}
.v-constant ul{column-count:2;column-gap:16px}.v-constant li{break-inside:avoid}
.col{border:1px solid var(--line);border-top:5px solid var(--c);border-radius:6px;padding:8px 10px 6px}
.col h3{margin:0 0 6px;font-size:15px;display:flex;align-items:baseline;gap:8px}
.col h3 .n{font-size:22px;color:var(--c);font-weight:700}
.col h3 .sub{font-weight:400;color:var(--muted);font-size:12.5px}
.v-constant{--c:var(--const)}.v-logarithmic{--c:var(--log)}.v-linear{--c:var(--lin)}.v-other{--c:#888}
.col ul{list-style:none;margin:0;padding:0}
.col li{display:grid;grid-template-columns:minmax(0,1fr) 52px;column-gap:8px;align-items:center;padding:3px 0;border-top:1px solid var(--soft)}
.col li:first-child{border-top:0}
.fam{font-weight:600;font-size:13.5px;overflow-wrap:anywhere}
.kind{color:var(--muted)}
.law{grid-column:1;color:var(--muted);font-size:11.5px;font-variant-numeric:tabular-nums;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.spark{grid-column:2;grid-row:1/span 2;width:52px;height:20px}
section{margin-top:30px}
h2{font-size:20px;margin:0 0 4px;padding-top:8px;border-top:2px solid var(--ink)}
.smeta{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;color:var(--muted);font-size:12.5px;margin:4px 0 12px}
.cmd{display:flex;align-items:stretch;max-width:100%;border:1px solid var(--line);border-radius:5px;background:var(--soft);overflow:hidden}
.cmd code{padding:3px 8px;white-space:pre;overflow-x:auto;user-select:all;font-size:12.5px;color:var(--ink)}
.cmd button{border:0;border-left:1px solid var(--line);background:#fff;padding:0 9px;cursor:pointer;font:inherit;font-size:12px;color:var(--accent)}
.cmd button:hover{background:#eef5fb}
p{margin:8px 0;max-width:78ch}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
p code,td code{background:var(--soft);padding:0 3px;border-radius:3px}
figure{margin:16px 0 20px;padding:10px 12px;border:1px solid var(--line);border-radius:6px}
figure .msg{font-size:15.5px;font-weight:600;margin:0 0 6px;max-width:none}
.panels{display:flex;flex-wrap:wrap;gap:6px 10px}
.panel{flex:0 1 30%;min-width:min(100%,270px)}
.panel svg{display:block;width:100%;height:auto}
.key svg{display:block;max-width:100%;height:auto}
.key{margin:0 0 4px}
figcaption{color:var(--muted);font-size:13px;margin-top:6px}
figcaption .cmd{display:inline-flex;vertical-align:middle;margin-top:3px}
.tablewrap{overflow-x:auto;margin:8px 0 14px;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;font-size:13px;width:100%}
th,td{padding:4px 9px;border-bottom:1px solid var(--soft);text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600;position:relative;cursor:pointer;user-select:none;vertical-align:bottom;white-space:nowrap}
td.nw,td.num{white-space:nowrap}
th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}
th[aria-sort=ascending]::after{content:" \25B2";font-size:9px}
th[aria-sort=descending]::after{content:" \25BC";font-size:9px}
tbody tr:hover{background:#fafbfc}
td.v-constant,td.v-logarithmic,td.v-linear{font-weight:600;color:var(--c)}
td.v-logarithmic{color:#9A6500}td.v-linear{color:#C04F00}td.v-constant{color:#007A5A}
td.bad{color:#b00020;font-weight:700}
details.summary-table{margin:8px 0 0}details.summary-table summary{cursor:pointer;color:var(--accent);font-size:13px}
footer{color:var(--muted);font-size:12px;margin-top:30px}
@media (max-width:1439px){
 .layout{display:block}
 nav.toc{position:static;height:auto;border-right:0;border-bottom:1px solid var(--line);padding:8px 14px 8px 28px}
 nav.toc b{display:inline;margin-right:10px}
 nav.toc ol{display:inline-flex;flex-wrap:wrap;gap:2px 16px;padding:0;list-style:none}
 nav.toc .t{display:none}
}
@media (max-width:900px){
 nav.toc{padding:8px 14px}nav.toc b{display:block}
 main{padding:10px 14px 30px}
 .board{grid-template-columns:1fr}.v-constant ul{column-count:1}
}
@media (max-width:600px){
 .col{padding:6px 8px}.col h3{margin-bottom:4px}
 .col ul{display:flex;flex-wrap:wrap;gap:4px}
 .col li{display:block;border:1px solid var(--line);border-radius:11px;padding:1px 8px}
 .col li:first-child{border-top:1px solid var(--line)}
 .col .law,.col .spark{display:none}
 .fam{font-size:13px;font-weight:500}
 .lede{font-size:15.5px}
 header.top h1{font-size:21px}
}
@media print{
 .layout{display:block}nav.toc,.cmd button{display:none}
 section,figure{break-inside:avoid-page}
 .board{grid-template-columns:repeat(3,1fr)}
 body{font-size:12px}
}
)CSS";

// Sorts a table by a header click (numbers by data-v), copies commands, and marks the page as
// rendered (data-ready) for the tests; errors are counted in data-errors.
constexpr const char* js = R"JS(
(function(){
var errors=0;window.addEventListener('error',function(){errors++;document.documentElement.setAttribute('data-errors',errors);});
function key(td,num){if(!td)return num?Infinity:'';if(num){var v=td.getAttribute('data-v');var x=parseFloat(v!==null?v:td.textContent);return isNaN(x)?Infinity:x;}return td.textContent.toLowerCase();}
function sortBy(t,i,th){var num=th.classList.contains('num');var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
 Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h){h.removeAttribute('aria-sort');});
 th.setAttribute('aria-sort',dir>0?'ascending':'descending');var tb=t.tBodies[0];
 var rows=Array.prototype.slice.call(tb.rows);rows.forEach(function(r,k){r._k=k;});
 rows.sort(function(a,b){var x=key(a.cells[i],num),y=key(b.cells[i],num);return (x<y?-1:x>y?1:a._k-b._k)*(x===y?1:dir);});
 rows.forEach(function(r){tb.appendChild(r);});}
var tables=document.querySelectorAll('table.sortable');
Array.prototype.forEach.call(tables,function(t){Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
 th.tabIndex=0;th.title='sort';th.addEventListener('click',function(){sortBy(t,i,th);});
 th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();sortBy(t,i,th);}});});});
function copied(b){var old=b.textContent;b.textContent='copied';setTimeout(function(){b.textContent=old;},1200);}
Array.prototype.forEach.call(document.querySelectorAll('.cmd button'),function(b){b.addEventListener('click',function(){
 var code=b.parentNode.querySelector('code');var text=code.textContent;
 function fallback(){var r=document.createRange();r.selectNodeContents(code);var s=window.getSelection();s.removeAllRanges();s.addRange(r);
  try{document.execCommand('copy');copied(b);}catch(e){}}
 if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(function(){copied(b);},fallback);}else{fallback();}});});
var svgs=document.querySelectorAll('figure .panel svg'),drawn=0;
Array.prototype.forEach.call(svgs,function(s){var b=s.getBoundingClientRect();if(b.width>50&&b.height>30&&s.querySelectorAll('path').length>3)drawn++;});
document.documentElement.setAttribute('data-figures',drawn+'/'+svgs.length);
document.documentElement.setAttribute('data-ready',tables.length+' tables');
})();
)JS";

std::string esc(const std::string& s) { return xml_escape(s); }

// Markdown-lite: `code`, **bold**, and TC^0 / NC^1 as superscripts.
std::string inline_html(const std::string& text) {
  std::string e = esc(text), out;
  bool code = false, bold = false;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else if (!code && e.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      ++i;
    } else if (!code && e[i] == '^' && i + 1 < e.size() && std::isdigit(static_cast<unsigned char>(e[i + 1]))) {
      out += fmt::format("<sup>{}</sup>", e[i + 1]);
      ++i;
    } else {
      out += e[i];
    }
  }
  if (code) out += "</code>";
  if (bold) out += "</strong>";
  return out;
}

// A table cell's text: escaped, its `code` spans as <code> (report.md shows the same spans as
// code; bold and superscripts stay plain in cells, where ** or ^ may be data).
std::string cell_html(const std::string& text) {
  std::string out;
  bool code = false;
  for (char c : esc(text)) {
    if (c == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else {
      out += c;
    }
  }
  if (code) out += "</code>";
  return out;
}

std::string command_html(const std::string& cmd) {
  return fmt::format(R"(<span class="cmd"><code>{}</code><button type="button" aria-label="copy the command">copy</button></span>)", esc(cmd));
}

// A cell's value for sorting: the number it shows, when it is one.
std::string sort_value(const std::string& text) {
  if (text.empty()) return {};
  std::size_t pos = 0;
  try {
    const double v = std::stod(text, &pos);
    if (pos == text.size()) return fmt::format(" data-v=\"{}\"", v);
  } catch (...) {
  }
  return {};
}

void table_html(std::string& h, const report_table& t, const std::string& id) {
  h += fmt::format(R"(<div class="tablewrap"><table class="sortable" id="{}"><thead><tr>)", id);
  for (std::size_t i = 0; i < t.columns.size(); ++i) h += fmt::format("<th{}>{}</th>", t.numeric[i] ? R"( class="num")" : "", inline_html(t.columns[i]));
  h += "</tr></thead><tbody>";
  for (const auto& row : t.rows) {
    h += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const table_cell& c = row[i];
      std::string cls = t.numeric[i] ? "num" : c.text.size() < 40 ? "nw" : "";
      if (std::find(verdict_kinds().begin(), verdict_kinds().end(), c.text) != verdict_kinds().end()) cls = "v-" + c.text;
      if (c.text == "FAILED") cls = "bad";
      h += fmt::format("<td{}{}{}>{}</td>", cls.empty() ? "" : fmt::format(R"( class="{}")", cls),
                       c.pointer.empty() ? "" : fmt::format(R"( data-json="{}")", esc(c.pointer)), t.numeric[i] ? sort_value(c.text) : "",
                       cell_html(c.text));
    }
    h += "</tr>";
  }
  h += "</tbody></table></div>\n";
}

// A tiny line of a family's depth over n relative to its first depth, on a log scale shared by all
// families (max_growth: the largest last/first ratio), so flat is flat and steeper is faster.
std::string sparkline(const summary_row& row, double max_growth, const std::string& colour) {
  if (row.depths.empty()) return {};
  const double w = 64, hh = 22;
  double n0 = row.depths.front().first, n1 = row.depths.back().first;
  if (n1 <= n0) n1 = n0 * 2;
  const double top = std::log2(std::max(2.0, max_growth)), first = std::max(1.0, row.depths.front().second);
  std::string d;
  double lx = 0, ly = 0;
  for (const auto& [n, depth] : row.depths) {
    lx = 3 + (std::log2(n) - std::log2(n0)) / (std::log2(n1) - std::log2(n0)) * (w - 6);
    ly = hh - 3 - std::max(0.0, std::log2(std::max(1.0, depth) / first)) / top * (hh - 6);
    d += fmt::format("{}{:.1f} {:.1f}", d.empty() ? "M" : "L", lx, ly);
  }
  return fmt::format(R"(<svg class="spark" viewBox="0 0 64 22" aria-hidden="true"><path d="M3 {:.1f}H61" stroke="#e6e6e6"/><path d="{}" fill="none" stroke="{}" stroke-width="2"/><circle cx="{:.1f}" cy="{:.1f}" r="2.4" fill="{}"/></svg>)",
                     hh - 3, d, colour, lx, ly, colour);
}

void summary_html(std::string& h, const report& r) {
  const auto rows = summary_in_order(r);
  if (rows.empty()) return;
  double max_growth = 1;
  for (const auto& [i, row] : rows)
    if (!row->depths.empty()) max_growth = std::max(max_growth, row->depths.back().second / std::max(1.0, row->depths.front().second));
  h += "<section id=\"summary\" class=\"summary\">\n";
  h += "<p class=\"lede\">" + inline_html(summary_sentence(r)) + "</p>\n<div class=\"board\">\n";
  const std::vector<std::pair<std::string, std::string>> cols{{"constant", "#009E73"}, {"logarithmic", "#E69F00"}, {"linear", "#D55E00"}};
  for (const auto& [kind, colour] : cols) {
    std::size_t count = 0;
    for (const auto& e : rows) count += e.second->verdict == kind;
    if (!count) continue;
    const char* sub = kind == "constant" ? "the same depth at every n" : kind == "logarithmic" ? "depth ~ log n" : "depth ~ n";
    h += fmt::format(R"(<div class="col v-{}"><h3><span class="n">{}</span> {} <span class="sub">{}</span></h3><ul>)", kind, count, verdict_title(kind), sub);
    for (const auto& [i, row] : rows) {
      if (row->verdict != kind) continue;
      h += fmt::format(R"(<li><span class="fam" data-json="/summary/{0}/family">{1}</span><span class="law"><span class="kind" data-json="/summary/{0}/kind">{3}</span> · <span data-json="/summary/{0}/law" title="{2}">{2}</span></span>{4}</li>)",
                       i, esc(row->family), esc(row->law), esc(row->kind), sparkline(*row, max_growth, colour));
    }
    h += "</ul></div>\n";
  }
  h += "</div>\n";
  h += "<details class=\"summary-table\"><summary>The same as a table</summary>\n";
  table_html(h, summary_table(r), "table-summary");
  h += "</details>\n";
  h += "<p class=\"smeta\">Each small line: the family's depth over the sizes measured, relative to its first (log scale shared by "
       "all). The sections below have the numbers, the figures and the command for each.</p>\n</section>\n";
}

}  // namespace

std::string render_html(const report& r) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<title>tcx report: which models keep a constant depth</title>\n<style>";
  h += css;
  h += "</style></head>\n<body>\n<div class=\"layout\">\n<nav class=\"toc\" aria-label=\"contents\"><b>Contents</b><ol>";
  if (!summary_in_order(r).empty()) h += "<li><a href=\"#summary\">Summary</a></li>";
  for (const report_section& s : r.sections)
    h += fmt::format(R"(<li><a href="#{}">{}</a> <span class="t">{:.1f} s</span></li>)", s.id, esc(s.title), s.seconds);
  h += "<li><a href=\"#time\">Time per section</a></li></ol></nav>\n<main>\n";
  h += fmt::format("<header class=\"top\"><h1>tcx report</h1><p class=\"meta\">tcx {} · <code>{}</code> · {} hardware thread(s) · {:.1f} s · "
                   "data: <code>data.json</code> and CSV files beside this page</p></header>\n",
                   esc(r.version), esc(r.command), r.threads, r.seconds);
  summary_html(h, r);
  int figure_no = 0, table_no = 0;
  for (std::size_t si = 0; si < r.sections.size(); ++si) {
    const report_section& s = r.sections[si];
    h += fmt::format("<section id=\"{}\">\n<h2>{}. {}</h2>\n", s.id, si + 1, esc(s.title));
    h += fmt::format("<div class=\"smeta\"><span>tcx {}</span><span>{:.1f} s</span><span>regenerate:</span>{}</div>\n", esc(r.version), s.seconds,
                     command_html(s.command));
    for (const block& b : s.blocks) {
      if (const auto* p = std::get_if<paragraph>(&b)) h += "<p>" + inline_html(p->text) + "</p>\n";
      if (const auto* t = std::get_if<report_table>(&b)) table_html(h, *t, fmt::format("table-{}-{}", s.id, ++table_no));
      if (const auto* f = std::get_if<report_figure>(&b)) {
        h += fmt::format("<figure id=\"fig-{}\">\n<p class=\"msg\">Figure {}. {}</p>\n", f->id, ++figure_no, inline_html(f->message));
        if (!f->plot.key.empty()) h += "<div class=\"key\">" + key_svg(f->plot) + "</div>\n";
        h += "<div class=\"panels\">";
        // As many panels side by side as the figure's SVG file has (fewer on narrow screens).
        const std::size_t cols = f->plot.columns > 0 ? static_cast<std::size_t>(f->plot.columns) : std::min<std::size_t>(3, f->plot.panels.size());
        for (std::size_t i = 0; i < f->plot.panels.size(); ++i)
          h += fmt::format("<div class=\"panel\" style=\"flex-basis:{:.0f}%;max-width:{}px\">{}</div>", 100.0 / static_cast<double>(cols) - 2,
                           static_cast<int>(f->plot.panel_width * 1.3), panel_svg(f->plot, i));
        h += fmt::format("</div>\n<figcaption>{} Data: {}. Regenerate: {}</figcaption>\n</figure>\n", inline_html(f->caption), inline_html(f->source),
                         command_html(f->command));
      }
    }
    h += "</section>\n";
  }
  h += "<section id=\"time\">\n<h2>Time per section</h2>\n";
  table_html(h, timing_table(r), "table-time");
  h += "</section>\n";
  h += fmt::format("<footer>Generated by <code>{}</code>, tcx {}. Self-contained: no network access is needed.</footer>\n", esc(r.command), esc(r.version));
  h += "</main>\n</div>\n<script>";
  h += js;
  h += "</script>\n</body></html>\n";
  return h;
}

}  // namespace tcx::report
