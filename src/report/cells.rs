//! Spreadsheet-safe cells: CSV and JSONL text that a spreadsheet program would run as a
//! formula is neutralised (CSV injection; OWASP's advice).
//!
//! A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with
//! a leading `'`, which a spreadsheet shows as text and does not evaluate. A plain number
//! (`-37.50`, `+5`, `1e3`) is left as it is: it cannot run anything and a negative premium must
//! stay a number. Parquet keeps the raw values (it is typed; no spreadsheet evaluates it),
//! and the XLSX writers write every text as a string cell, never a formula. `--raw-csv` turns
//! the neutralising off for pipelines that read the CSV back.

use std::borrow::Cow;

use polars::prelude::*;

/// How text cells are written in CSV and JSONL outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cells {
    /// Formula-like text gets a leading `'` (the default).
    #[default]
    Safe,
    /// Every value as it is (`--raw-csv`).
    Raw,
}

impl Cells {
    /// `Raw` when `raw` (the `--raw-csv` flag), else `Safe`.
    #[must_use]
    pub fn raw_if(raw: bool) -> Self {
        if raw { Cells::Raw } else { Cells::Safe }
    }
}

/// Whether `s` is a plain decimal number: optional sign, digits with an optional fraction,
/// optional exponent.
fn is_plain_number(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mantissa_end = b
        .iter()
        .position(|c| *c == b'e' || *c == b'E')
        .unwrap_or(b.len());
    let (mantissa, exponent) = b.split_at(mantissa_end);
    let digits = mantissa.iter().filter(|c| c.is_ascii_digit()).count();
    let dots = mantissa.split(|c| *c == b'.').count() - 1;
    let mantissa_ok = digits > 0 && dots <= 1 && digits + dots == mantissa.len();
    let exponent_ok = match exponent {
        [] => true,
        [_, rest @ ..] => {
            let rest = rest
                .strip_prefix(b"+")
                .or_else(|| rest.strip_prefix(b"-"))
                .unwrap_or(rest);
            !rest.is_empty() && rest.iter().all(u8::is_ascii_digit)
        }
    };
    mantissa_ok && exponent_ok
}

/// The text as a spreadsheet-safe cell.
#[must_use]
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// `df` with every text column neutralised (other columns as they are).
pub fn neutralise_frame(df: &DataFrame) -> PolarsResult<DataFrame> {
    let columns = df
        .columns()
        .iter()
        .map(|c| {
            if c.dtype() == &DataType::String {
                let ca = c.str()?;
                let safe: StringChunked = ca.apply_values(neutralise);
                Ok(safe.with_name(c.name().clone()).into_column())
            } else {
                Ok(c.clone())
            }
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(df.height(), columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_prefixed() {
        for (raw, safe) in [
            (
                "=HYPERLINK(\"http://x\",\"open\")",
                "'=HYPERLINK(\"http://x\",\"open\")",
            ),
            ("+1+1", "'+1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("-2+3", "'-2+3"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-", "'-"),
            ("1-2", "1-2"),
            ("Wang = 3", "Wang = 3"),
            ("", ""),
        ] {
            assert_eq!(neutralise(raw), safe, "{raw:?}");
        }
    }

    #[test]
    fn plain_numbers_stay() {
        for n in ["-37.50", "+5", "-0", "-.5", "-1e3", "+2.5E-4", "-12."] {
            assert_eq!(neutralise(n), n, "{n}");
        }
        for not in ["-1e", "-1.2.3", "-e5", "-1e+", "--1", "-1,000"] {
            assert_eq!(neutralise(not), format!("'{not}"), "{not}");
        }
    }
}
