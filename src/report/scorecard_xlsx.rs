//! `scorecard.xlsx` (`rust_xlsxwriter)`: a **Summary** sheet (team and department roll-ups), one
//! sheet per team (its operators' scorecard rows), **Training** (the training hints) and
//! **Errors** (the month's errors with their sources). Every sheet has a bold shaded header,
//! frozen header row and first column, number formats per column (counts, rates as %,
//! hours and scores with two decimals), an autofilter, fitted column widths and conditional
//! colours: scores on a red-amber-green scale, errors per 100 cases the other way round,
//! `reward` green and `penalty` red, the lowest band and a `down` trend in red, focus points
//! of the training hints shaded. The workbook's creation date is the month's first day, so
//! the same scorecard gives the same bytes.

use polars::prelude::*;
use rust_xlsxwriter::{
    Color, ConditionalFormat3ColorScale, ConditionalFormatCell, ConditionalFormatCellRule,
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

use crate::lang::Lang;
use crate::scorecard::Scorecard;

#[allow(clippy::needless_pass_by_value)] // used as map_err(xerr)
fn xerr(e: XlsxError) -> PolarsError {
    polars_err!(ComputeError: "scorecard.xlsx: {e}")
}

/// The number format of a column, by name.
fn number_format(column: &str) -> Option<&'static str> {
    match column {
        "catch_rate" | "share" | "cumulative_share" | "top_operators_share" => Some("0.0%"),
        "score"
        | "prev_score"
        | "score_change"
        | "prev3_mean_score"
        | "mean_score"
        | "errors_per_100_cases"
        | "handling_mean_hours"
        | "handling_p90_hours" => Some("0.00"),
        _ => None,
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(team: &str, taken: &mut Vec<String>) -> String {
    let clean: String = team
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').to_owned();
    let base: String = if clean.is_empty() {
        String::from("team")
    } else {
        clean.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut i = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({i})");
        name = base.chars().take(31 - suffix.len()).collect::<String>() + suffix.as_str();
        i += 1;
    }
    taken.push(name.clone());
    name
}

/// Writes `df` with its header at `row0`; returns the last data row (or `row0` when empty).
fn write_frame(ws: &mut Worksheet, df: &DataFrame, row0: u32, lang: Lang) -> PolarsResult<u32> {
    let header = Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(0x1F_4E_79))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    for (j, name) in df.get_column_names().iter().enumerate() {
        ws.write_string_with_format(row0, j as u16, lang.tr(name.as_str()), &header)
            .map_err(xerr)?;
    }
    for (index, column) in df.columns().iter().enumerate() {
        let fmt = number_format(column.name()).map(|f| Format::new().set_num_format(f));
        let series = column.as_materialized_series();
        let col_no = index as u16;
        for i in 0..df.height() {
            let (row, c) = (row0 + 1 + i as u32, col_no);
            match series.get(i)? {
                AnyValue::Null => {}
                AnyValue::String(s) => {
                    ws.write_string(row, c, s).map_err(xerr)?;
                }
                AnyValue::StringOwned(s) => {
                    ws.write_string(row, c, s.as_str()).map_err(xerr)?;
                }
                AnyValue::Boolean(b) => {
                    ws.write_boolean(row, c, b).map_err(xerr)?;
                }
                v => match v.extract::<f64>() {
                    Some(x) => {
                        match &fmt {
                            Some(f) => ws.write_number_with_format(row, c, x, f),
                            None => ws.write_number(row, c, x),
                        }
                        .map_err(xerr)?;
                    }
                    None => {
                        ws.write_string(row, c, v.to_string()).map_err(xerr)?;
                    }
                },
            }
        }
    }
    let last = row0 + df.height() as u32;
    if df.width() > 0 {
        ws.autofilter(row0, 0, last, (df.width() - 1) as u16)
            .map_err(xerr)?;
    }
    Ok(last)
}

fn col_index(df: &DataFrame, name: &str) -> Option<u16> {
    df.get_column_names()
        .iter()
        .position(|c| c.as_str() == name)
        .map(|i| i as u16)
}

/// Conditional colours on the columns of `df` written with its header at `row0`.
fn colour(ws: &mut Worksheet, df: &DataFrame, row0: u32, lowest_band: &str) -> PolarsResult<()> {
    if df.height() == 0 {
        return Ok(());
    }
    let (first, last) = (row0 + 1, row0 + df.height() as u32);
    let red = Color::RGB(0xF8_69_6B);
    let amber = Color::RGB(0xFF_EB_84);
    let green = Color::RGB(0x63_BE_7B);
    let good = Format::new()
        .set_background_color(Color::RGB(0xC6_EF_CE))
        .set_font_color(Color::RGB(0x00_61_00));
    let bad = Format::new()
        .set_background_color(Color::RGB(0xFF_C7_CE))
        .set_font_color(Color::RGB(0x9C_00_06));
    for (name, high_is_good) in [
        ("score", true),
        ("mean_score", true),
        ("catch_rate", true),
        ("errors_per_100_cases", false),
    ] {
        if let Some(j) = col_index(df, name) {
            let (lo, hi) = if high_is_good {
                (red, green)
            } else {
                (green, red)
            };
            let scale = ConditionalFormat3ColorScale::new()
                .set_minimum_color(lo)
                .set_midpoint_color(amber)
                .set_maximum_color(hi);
            ws.add_conditional_format(first, j, last, j, &scale)
                .map_err(xerr)?;
        }
    }
    let rules: [(&str, &str, &Format); 5] = [
        ("outcome", "reward", &good),
        ("outcome", "penalty", &bad),
        ("trend", "down", &bad),
        ("band", lowest_band, &bad),
        ("checker_outcome", "miss", &bad),
    ];
    for (name, value, fmt) in rules {
        if let Some(j) = col_index(df, name) {
            let cf = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::EqualTo(
                    format!("\"{value}\"").as_str(),
                ))
                .set_format(fmt);
            ws.add_conditional_format(first, j, last, j, &cf)
                .map_err(xerr)?;
        }
    }
    if let Some(j) = col_index(df, "focus") {
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo("TRUE"))
            .set_format(&good);
        ws.add_conditional_format(first, j, last, j, &cf)
            .map_err(xerr)?;
    }
    Ok(())
}

fn finish(ws: &mut Worksheet, freeze_row: u32) -> PolarsResult<()> {
    ws.set_freeze_panes(freeze_row, 1).map_err(xerr)?;
    ws.autofit();
    Ok(())
}

/// The workbook's bytes for one team (`Some`) or all, its titles and header cells in `l`
/// (sheet names stay English, for scripts that open them by name).
pub fn workbook(sc: &Scorecard, team: Option<&str>, l: Lang) -> PolarsResult<Vec<u8>> {
    let mut wb = Workbook::new();
    let first_day =
        ExcelDateTime::from_ymd(sc.month.year as u16, sc.month.month as u8, 1).map_err(xerr)?;
    let title = match team {
        Some(t) => l.f("Scorecard {} — team {}", &[&sc.month, &t]),
        None => l.f("Scorecard {}", &[&sc.month]),
    };
    wb.set_properties(
        &DocProperties::new()
            .set_title(&title)
            .set_creation_datetime(&first_day),
    );
    let lowest = sc
        .config
        .bands
        .last()
        .map(|b| b.name.clone())
        .unwrap_or_default();
    let mut taken = vec![
        String::from("Summary"),
        String::from("Training"),
        String::from("Errors"),
    ];

    // Summary: title, facts, roll-ups.
    let teams = sc.teams_of(team)?;
    let ws = wb.add_worksheet();
    ws.set_name("Summary").map_err(xerr)?;
    ws.write_string_with_format(0, 0, &title, &Format::new().set_bold().set_font_size(14))
        .map_err(xerr)?;
    ws.write_string(
        1,
        0,
        l.f(
            "{} cases read; {} errors in the month; config {}; rule set {}",
            &[
                &sc.cases_read,
                &sc.errors.height(),
                &sc.config.origin,
                &&sc.rules_sha256[..12.min(sc.rules_sha256.len())],
            ],
        ),
    )
    .map_err(xerr)?;
    write_frame(ws, &teams, 3, l)?;
    colour(ws, &teams, 3, &lowest)?;
    finish(ws, 4)?;

    // One sheet per team.
    let names: Vec<String> = match team {
        Some(t) => vec![t.to_owned()],
        None => sc.team_names(),
    };
    for t in names {
        let rows = sc.operators_of(Some(&t))?;
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t, &mut taken)).map_err(xerr)?;
        write_frame(ws, &rows, 0, l)?;
        colour(ws, &rows, 0, &lowest)?;
        finish(ws, 1)?;
    }

    let training = sc.training_of(team)?;
    let ws = wb.add_worksheet();
    ws.set_name("Training").map_err(xerr)?;
    write_frame(ws, &training, 0, l)?;
    colour(ws, &training, 0, &lowest)?;
    finish(ws, 1)?;

    let errors = match team {
        Some(t) => sc
            .errors
            .clone()
            .lazy()
            .filter(col("team").eq(lit(t)))
            .collect()?,
        None => sc.errors.clone(),
    };
    let ws = wb.add_worksheet();
    ws.set_name("Errors").map_err(xerr)?;
    write_frame(ws, &errors, 0, l)?;
    colour(ws, &errors, 0, &lowest)?;
    finish(ws, 1)?;

    wb.save_to_buffer().map_err(xerr)
}

/// Writes `scorecard.xlsx` (see [`workbook`]) into `out`, for one team or all.
///
/// # Errors
/// When the workbook cannot be built or the file cannot be written.
pub fn write(
    sc: &Scorecard,
    out: &std::path::Path,
    team: Option<&str>,
    lang: Lang,
) -> Result<std::path::PathBuf, crate::scorecard::ScorecardError> {
    let bytes = workbook(sc, team, lang)?;
    let path = out.join("scorecard.xlsx");
    std::fs::write(&path, bytes).map_err(|e| crate::scorecard::ScorecardError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec![String::from("Summary")];
        assert_eq!(sheet_name("HQ-A", &mut taken), "HQ-A");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
        assert_eq!(sheet_name("summary", &mut taken), "summary (2)");
        let long = "x".repeat(40);
        let n = sheet_name(&long, &mut taken);
        assert_eq!(n.chars().count(), 31);
        let n2 = sheet_name(&long, &mut taken);
        assert_eq!(n2.chars().count(), 31);
        assert_ne!(n, n2);
    }
}
