//! Charts as inline SVG, drawn from the run's figures: bars (grouped by category) and a
//! Pareto chart (bars in falling order with the cumulative share as a line). Labels go
//! through maud like any text, so a category from the data is escaped. Coordinates are
//! printed with one decimal, so the same figures give the same bytes.

use maud::{Markup, html};

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 270.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 52.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 60.0;

/// One series of a grouped bar chart: a value per category.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    /// Its name (legend and tooltips).
    pub name: &'a str,
    /// The bars' colour.
    pub colour: &'a str,
    /// One value per category.
    pub values: Vec<f64>,
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

/// A tick value: whole numbers without decimals, others with one (`2`, `0.5`).
#[must_use]
pub fn tick(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// The y of the `i`-th category label: every other one lower when the labels would touch.
fn label_y(i: usize, slot: f64, labels: &[String]) -> f64 {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let crowded = longest * 6.2 > slot - 4.0;
    HEIGHT - BOTTOM + if crowded && i % 2 == 1 { 30.0 } else { 16.0 }
}

/// A round upper bound and step for an axis from 0 to `max` (1, 2 or 5 times a power of ten,
/// at most five steps).
#[must_use]
pub fn axis_steps(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 0.25);
    }
    let raw = max / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    ((max / step).ceil() * step, step)
}

/// The left axis with grid lines; `label` formats a tick value.
fn value_axis(top: f64, step: f64, label: &dyn Fn(f64) -> String) -> Markup {
    let plot_h = HEIGHT - TOP - BOTTOM;
    let ticks = (top / step).round() as usize;
    html! {
        @for i in 0..=ticks {
            @let v = step * i as f64;
            @let y = HEIGHT - BOTTOM - plot_h * v / top;
            line.grid x1=(f(LEFT)) x2=(f(WIDTH - RIGHT)) y1=(f(y)) y2=(f(y)) {}
            text x=(f(LEFT - 6.0)) y=(f(y + 4.0)) text-anchor="end" { (label(v)) }
        }
        line.axis x1=(f(LEFT)) x2=(f(LEFT)) y1=(f(TOP)) y2=(f(HEIGHT - BOTTOM)) {}
        line.axis x1=(f(LEFT)) x2=(f(WIDTH - RIGHT)) y1=(f(HEIGHT - BOTTOM)) y2=(f(HEIGHT - BOTTOM)) {}
    }
}

/// Bars per category, one per series side by side; `label` formats a value (tooltips and
/// axis). Each bar is a `rect.bar` with `data-category` and `data-series`.
#[must_use]
pub fn grouped_bars(
    title: &str,
    categories: &[String],
    series: &[Series<'_>],
    label: &dyn Fn(f64) -> String,
) -> Markup {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let (top, step) = axis_steps(max);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / categories.len().max(1) as f64;
    let bar_w = (slot * 0.8) / series.len().max(1) as f64;
    html! {
        svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(title) {
            title { (title) }
            (value_axis(top, step, label))
            @for (c, category) in categories.iter().enumerate() {
                @let x0 = LEFT + slot * c as f64 + slot * 0.1;
                @for (k, s) in series.iter().enumerate() {
                    @let v = s.values.get(c).copied().unwrap_or(0.0);
                    @let h = plot_h * v / top;
                    rect.bar x=(f(x0 + bar_w * k as f64)) y=(f(HEIGHT - BOTTOM - h)) width=(f(bar_w - 1.0)) height=(f(h))
                        fill=(s.colour) data-category=(category) data-series=(s.name) {
                        title { (category) ", " (s.name) ": " (label(v)) }
                    }
                }
                text x=(f(LEFT + slot * (c as f64 + 0.5))) y=(f(label_y(c, slot, categories))) text-anchor="middle" { (category) }
            }
            @for (k, s) in series.iter().enumerate() {
                @let x = LEFT + series[..k].iter().map(|p| 30.0 + 6.5 * p.name.chars().count() as f64).sum::<f64>();
                rect x=(f(x)) y=(f(HEIGHT - 14.0)) width="10" height="10" fill=(s.colour) {}
                text x=(f(x + 14.0)) y=(f(HEIGHT - 5.0)) { (s.name) }
            }
        }
    }
}

/// A Pareto chart: `(label, tooltip, count)` bars in the order given (largest first) and the
/// cumulative share as a line on a 0-100% right axis. Bars are `rect.bar` with
/// `data-label` and `data-count`; the line is `polyline.cumulative`.
#[must_use]
pub fn pareto(title: &str, caption: &str, bars: &[(String, String, u64)]) -> Markup {
    let total: u64 = bars.iter().map(|b| b.2).sum();
    let max = bars.iter().map(|b| b.2).max().unwrap_or(0) as f64;
    let (top, step) = axis_steps(max);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let slot = plot_w / bars.len().max(1) as f64;
    let mut running = 0;
    let points: Vec<String> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            running += b.2;
            let share = running as f64 / total.max(1) as f64;
            format!(
                "{},{}",
                f(LEFT + slot * (i as f64 + 0.5)),
                f(HEIGHT - BOTTOM - plot_h * share)
            )
        })
        .collect();
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    html! {
        svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(title) {
            title { (title) }
            (value_axis(top, step, &tick))
            @for q in [0u32, 25, 50, 75, 100] {
                @let y = HEIGHT - BOTTOM - plot_h * f64::from(q) / 100.0;
                text x=(f(WIDTH - RIGHT + 6.0)) y=(f(y + 4.0)) { (q) "%" }
            }
            line.axis x1=(f(WIDTH - RIGHT)) x2=(f(WIDTH - RIGHT)) y1=(f(TOP)) y2=(f(HEIGHT - BOTTOM)) {}
            @for (i, (label, tooltip, n)) in bars.iter().enumerate() {
                @let h = plot_h * *n as f64 / top;
                @let x = LEFT + slot * i as f64 + slot * 0.15;
                rect.bar x=(f(x)) y=(f(HEIGHT - BOTTOM - h)) width=(f(slot * 0.7)) height=(f(h))
                    fill="#1f5fa8" data-label=(label) data-count=(n) {
                    title { (tooltip) ": " (n) }
                }
                text x=(f(x + slot * 0.35)) y=(f(HEIGHT - BOTTOM - h - 4.0)) text-anchor="middle" { (n) }
                text x=(f(x + slot * 0.35)) y=(f(label_y(i, slot, &labels))) text-anchor="middle" { (label) }
            }
            polyline.cumulative points=(points.join(" ")) fill="none" stroke="#b3261e" stroke-width="2" {}
            @for p in &points {
                @let (x, y) = p.split_once(',').unwrap_or(("0", "0"));
                circle cx=(x) cy=(y) r="3" fill="#b3261e" {}
            }
            text x=(f(LEFT)) y=(f(HEIGHT - 8.0)) { (caption) }
        }
    }
}

/// A small bar strip (a histogram in a table cell): one `rect.mini` per count, scaled to
/// the largest, each with its count as tooltip.
#[must_use]
pub fn mini_bars(counts: &[u64]) -> Markup {
    let (w, h) = (160.0, 28.0);
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let slot = w / counts.len().max(1) as f64;
    html! {
        svg.mini viewBox={ "0 0 " (w) " " (h) } width=(w) height=(h) role="img" aria-label="distribution" {
            line.axis x1="0" x2=(w) y1=(h - 0.5) y2=(h - 0.5) {}
            @for (i, n) in counts.iter().enumerate() {
                @let bh = (h - 2.0) * *n as f64 / max;
                rect.mini x=(f(slot * i as f64 + 1.0)) y=(f(h - 1.0 - bh)) width=(f(slot - 2.0)) height=(f(bh)) fill="#1f5fa8" data-count=(n) {
                    title { (n) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_drop_a_needless_decimal() {
        assert_eq!(tick(2.0), "2");
        assert_eq!(tick(0.5), "0.5");
        assert_eq!(tick(0.0), "0");
    }

    #[test]
    fn axis_tops_are_round_and_cover_the_maximum() {
        assert_eq!(axis_steps(0.0), (1.0, 0.25));
        assert_eq!(axis_steps(7.0), (8.0, 2.0));
        assert_eq!(axis_steps(10.0), (10.0, 2.0));
        assert_eq!(axis_steps(23.0), (25.0, 5.0));
        let (top, step) = axis_steps(0.0375);
        assert!(top >= 0.0375 && top / step <= 5.0 + 1e-9, "{top} {step}");
    }

    #[test]
    fn category_names_from_the_data_are_escaped_in_the_svg() {
        let svg = grouped_bars(
            "t",
            &[String::from("<script>x</script>")],
            &[Series {
                name: "a",
                colour: "#000",
                values: vec![1.0],
            }],
            &|v| format!("{v}"),
        )
        .0;
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
    }

    #[test]
    fn the_cumulative_line_ends_at_one_hundred_percent() {
        let bars = vec![
            (String::from("5"), String::from("five"), 3),
            (String::from("1"), String::from("one"), 1),
        ];
        let svg = pareto("p", "caption", &bars).0;
        // The last point is at the top of the plot: HEIGHT - BOTTOM - plot height = TOP.
        let line = svg.split("points=\"").nth(1).unwrap();
        let last = line
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .next_back()
            .unwrap();
        assert!(last.ends_with(&format!(",{}", f(TOP))), "{last}");
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 2);
    }
}
