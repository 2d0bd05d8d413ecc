//! Self-contained HTML pages, one per run: `report.html` (the nightly check, [`nightly`]) and
//! `cycle.html` (cycle times, [`cycle`]) `scorecard.html` (the monthly scorecard,
//! [`scorecard`]) and `audit.html` (a sample and its verdicts, [`audit`]).
//!
//! Each page is one file with its styles, SVG charts and script inline: no request leaves
//! it, it opens offline from a mail attachment and prints on A4 (one section per page).
//! Pages are written with [`maud`], which HTML-escapes every value spliced into the markup:
//! a case's fields are always text, never markup. Data handed to the page's script is JSON
//! in a `<script type="application/json">` block, escaped by [`script_json`] so that no value
//! can close the block. The writers read the run's results; nothing here feeds back into
//! them. Output is deterministic: the same results give the same bytes (no clock time).

pub mod audit;
pub mod cycle;
pub mod layout;
pub mod nightly;
pub mod scorecard;
pub mod svg;
pub mod weekly;

use std::fmt::Write as _;
use std::path::Path;

/// JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the line
/// separators U+2028/U+2029 are written as `\uXXXX` escapes, so a value holding
/// `</script>` or `<!--` cannot end the block or change how the HTML parser reads it. The
/// result is still the same JSON (`JSON.parse` gives the same value).
#[must_use]
pub fn script_json(value: &serde_json::Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for c in text.chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// A count with thousands separators: `12,345`.
#[must_use]
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with two decimals, as the console summary prints it: `3.75%`.
#[must_use]
pub fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// A column as text (numbers and times printed, nulls empty).
pub fn text_column(
    df: &polars::prelude::DataFrame,
    name: &str,
) -> polars::prelude::PolarsResult<Vec<String>> {
    let c = df.column(name)?.cast(&polars::prelude::DataType::String)?;
    Ok(c.str()?
        .iter()
        .map(|v| v.unwrap_or("").to_owned())
        .collect())
}

/// A column as numbers (`None` for nulls and for a column that is not numeric).
pub fn number_column(
    df: &polars::prelude::DataFrame,
    name: &str,
) -> polars::prelude::PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&polars::prelude::DataType::Float64)?;
    Ok(c.f64()?.iter().collect())
}

/// Writes a rendered page as `out/name`; returns its path.
pub fn write_page(
    out: &Path,
    name: &str,
    page: &maud::Markup,
) -> polars::prelude::PolarsResult<std::path::PathBuf> {
    let path = out.join(name);
    std::fs::write(&path, page.0.as_bytes()).map_err(
        |e| polars::prelude::polars_err!(ComputeError: "cannot write {}: {e}", path.display()),
    )?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script_block_and_parses_back_to_the_same_value() {
        let value = serde_json::json!({
            "message": "</script><script>alert(1)</script> & <!-- \u{2028}\u{2029}",
            "rows": [["<img src=x onerror=alert(1)>", 1]],
        });
        let text = script_json(&value);
        for bad in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!text.contains(bad), "{bad:?} left in {text}");
        }
        assert!(text.contains(r"\u003c/script\u003e"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("still JSON");
        assert_eq!(back, value);
    }

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }

    #[test]
    fn shares_print_as_the_console_prints_them() {
        assert_eq!(pct(0.0375), "3.75%");
        assert_eq!(pct(0.0), "0.00%");
        assert_eq!(pct(1.0), "100.00%");
    }
}
