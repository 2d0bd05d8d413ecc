//! The shell every page shares: document head, inline stylesheet (screen and A4 print), the
//! page header and the sections.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::lang::Lang;

/// The colour of each severity, most severe first (charts, badges and the findings table).
pub const SEVERITY_COLOURS: [(&str, &str); 3] = [
    ("critical", "#b3261e"),
    ("major", "#e8710a"),
    ("minor", "#c9a227"),
];

/// The stylesheet of every page. System fonts only (no font is fetched); on paper each
/// section starts a new A4 page and the controls of the findings table are left out.
const CSS: &str = r#"
:root { --ink: #1d2430; --muted: #5b6472; --line: #d9dee5; --band: #f4f6f9; --accent: #1f5fa8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif; color: var(--ink); background: #fff; }
header.page { padding: 20px 32px 14px; border-bottom: 3px solid var(--accent); }
header.page h1 { margin: 0 0 4px; font-size: 22px; }
header.page p { margin: 0; color: var(--muted); }
main { padding: 0 32px 32px; max-width: 1200px; }
section { padding-top: 18px; }
h2 { font-size: 17px; margin: 8px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 14px 0 6px; }
p.note { color: var(--muted); margin: 6px 0; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 6px 0 10px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; background: var(--band); }
.figure .value { font-size: 28px; font-weight: 650; font-variant-numeric: tabular-nums; }
.figure .label { color: var(--muted); }
.figure.alarm { border-color: #b3261e; background: #fbeceb; }
table { border-collapse: collapse; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); white-space: nowrap; }
td.num, th.num { text-align: right; padding-right: 14px; }
tfoot td { font-weight: 600; border-top: 2px solid var(--line); }
table.wide { width: 100%; }
table.findings td { font-size: 12.5px; word-break: break-word; }
.sev { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
figure.chart { margin: 6px 0 12px; }
figure.chart svg { width: 100%; max-width: 860px; height: auto; display: block; }
svg.mini { display: block; }
figure.chart figcaption { color: var(--muted); font-size: 12.5px; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg .axis { stroke: #8a93a0; stroke-width: 1; }
svg .grid { stroke: #e6e9ee; stroke-width: 1; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 6px 0; }
.controls label { color: var(--muted); }
.controls select, .controls button { font: inherit; padding: 2px 6px; }
.legend { display: flex; gap: 14px; color: var(--muted); font-size: 12.5px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 11px; }
  header.page { padding: 0 0 8px; }
  main { padding: 0; max-width: none; }
  section { break-before: page; padding-top: 0; }
  section:first-of-type { break-before: auto; }
  .no-print { display: none !important; }
  .figures { grid-template-columns: repeat(4, 1fr); }
  table { page-break-inside: auto; }
  tr, figure.chart { break-inside: avoid; }
  thead { display: table-header-group; }
  figure.chart svg { max-width: 100%; }
}
"#;

/// A whole page in `lang`: `title`, a line under it, the sections, and an optional inline
/// script run at the end of the body.
#[must_use]
pub fn page(
    lang: Lang,
    title: &str,
    subtitle: &str,
    sections: &Markup,
    script: Option<&str>,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.page {
                    h1 { (title) }
                    p { (subtitle) }
                }
                main { (sections) }
                @if let Some(js) = script {
                    script { (PreEscaped(js)) }
                }
            }
        }
    }
}

/// A section with its heading; `id` names it for links and tests.
#[must_use]
pub fn section(id: &str, heading: &str, body: &Markup) -> Markup {
    html! {
        section id=(id) {
            h2 { (heading) }
            (body)
        }
    }
}

/// The colour of a severity (grey for an unknown one).
#[must_use]
pub fn severity_colour(severity: &str) -> &'static str {
    SEVERITY_COLOURS
        .iter()
        .find(|(s, _)| *s == severity)
        .map_or("#8a93a0", |(_, c)| c)
}

/// A severity's coloured square and name (in `lang`).
#[must_use]
pub fn severity_badge(lang: Lang, severity: &str) -> Markup {
    html! {
        span.sev style={ "background:" (severity_colour(severity)) } {} (lang.tr(severity))
    }
}
