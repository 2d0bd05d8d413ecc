//! `weekly.xlsx` (`rust_xlsxwriter`): the sections of `weekly.html` as sheets — **Weeks**,
//! **Error points**, **Checkpoints**, **Causes**, **Common**, **Training**. Each sheet has a
//! bold shaded header row, frozen, an autofilter and rates formatted as percentages. Every
//! cell is a number or a string (never a formula: text is written with `write_string`). The
//! workbook's creation date is the week's first day, so the same week gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::lang::Lang;
use crate::report::weekly::{TrendRow, Weekly, label, label_in as lb};

/// A cell.
enum Cell {
    Text(String),
    Count(u64),
    Rate(Option<f64>),
}

fn sheet(
    wb: &mut Workbook,
    name: &str,
    headers: &[String],
    rows: &[Vec<Cell>],
    l: Lang,
) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0x00E7_ECF2));
    let pct = Format::new().set_num_format("0.00%");
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, c, h, &head)?;
        ws.set_column_width(c, (h.chars().count() + 4).clamp(10, 60) as f64)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Count(n) => {
                    ws.write_number(r, c, *n as f64)?;
                }
                Cell::Rate(Some(x)) => {
                    ws.write_number_with_format(r, c, *x, &pct)?;
                }
                Cell::Rate(None) => {
                    ws.write_string(r, c, lb(l, "no_cases"))?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    ws.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn heads(keys: &[&str], l: Lang) -> Vec<String> {
    keys.iter().map(|k| lb(l, k).to_owned()).collect()
}

fn trend_sheet(
    wb: &mut Workbook,
    name: &str,
    w: &Weekly,
    rows: &[TrendRow],
    l: Lang,
) -> Result<(), XlsxError> {
    let mut h = vec![
        lb(
            l,
            if name == label("by_error_point") {
                "error_point"
            } else {
                "checkpoint"
            },
        )
        .to_owned(),
        lb(l, "title_col").to_owned(),
    ];
    for wk in &w.weeks {
        h.push(format!("{} {}", wk.label, lb(l, "cases")));
        h.push(format!("{} {}", wk.label, lb(l, "rate")));
    }
    h.push(lb(l, "change").to_owned());
    let data: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let mut v = vec![
                Cell::Text(l.tr(&r.key).to_owned()),
                Cell::Text(l.tr(&r.title).to_owned()),
            ];
            for p in 0..4 {
                v.push(Cell::Count(r.cases[p]));
                v.push(Cell::Rate(r.rates[p]));
            }
            v.push(Cell::Rate(r.change));
            v
        })
        .collect();
    sheet(wb, name, &h, &data, l)
}

/// The workbook's bytes, its header cells and labels in `l` (sheet names stay English, for
/// scripts that open them by name).
pub fn bytes(w: &Weekly, l: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let first = w.weeks[3].from;
    let created = ExcelDateTime::from_ymd(
        u16::try_from(chrono::Datelike::year(&first)).unwrap_or(2000),
        u8::try_from(chrono::Datelike::month(&first)).unwrap_or(1),
        u8::try_from(chrono::Datelike::day(&first)).unwrap_or(1),
    )?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let weeks: Vec<Vec<Cell>> = w
        .weeks
        .iter()
        .map(|k| {
            vec![
                Cell::Text(k.label.clone()),
                Cell::Text(k.from.to_string()),
                Cell::Text(k.to.to_string()),
                Cell::Count(k.cases_received),
                Cell::Count(k.cases_with_findings),
                Cell::Rate(k.defect_rate),
            ]
        })
        .collect();
    sheet(
        &mut wb,
        "Weeks",
        &heads(
            &[
                "week",
                "from",
                "to",
                "cases_received",
                "cases_with_findings",
                "defect_rate",
            ],
            l,
        ),
        &weeks,
        l,
    )?;
    trend_sheet(&mut wb, label("by_error_point"), w, &w.by_error_point, l)?;
    trend_sheet(&mut wb, label("by_checkpoint"), w, &w.by_checkpoint, l)?;
    let mut causes = Vec::new();
    for (kind, list) in [("rule", &w.top_rules), ("operator", &w.top_operators)] {
        for c in list {
            causes.push(vec![
                Cell::Text(lb(l, kind).to_owned()),
                Cell::Text(c.key.clone()),
                Cell::Count(c.findings),
                Cell::Rate(Some(c.share)),
            ]);
        }
    }
    sheet(
        &mut wb,
        "Causes",
        &heads(&["kind", "main_causes", "findings", "share"], l),
        &causes,
        l,
    )?;
    let common: Vec<Vec<Cell>> = w
        .common_problems
        .iter()
        .map(|c| {
            vec![
                Cell::Count(c.error_point.unsigned_abs()),
                Cell::Text(l.tr(&c.title).to_owned()),
                Cell::Count(c.operators),
                Cell::Count(c.findings),
                Cell::Text(c.operator_ids.join(", ")),
            ]
        })
        .collect();
    sheet(
        &mut wb,
        "Common",
        &heads(
            &["error_point", "title_col", "operators", "findings", "for"],
            l,
        ),
        &common,
        l,
    )?;
    let plan: Vec<Vec<Cell>> = w
        .training_plan
        .iter()
        .map(|t| {
            vec![
                Cell::Text(lb(l, &t.kind).to_owned()),
                Cell::Text(t.team.clone()),
                Cell::Text(t.operators.join(", ")),
                Cell::Count(t.error_point.unsigned_abs()),
                Cell::Count(t.findings),
                Cell::Count(t.cases),
                Cell::Rate(Some(t.rate)),
                Cell::Text(t.examples.join(", ")),
                Cell::Text(l.tr(&t.topic).to_owned()),
            ]
        })
        .collect();
    sheet(
        &mut wb,
        "Training",
        &heads(
            &[
                "kind",
                "team",
                "for",
                "error_point",
                "findings",
                "cases",
                "rate",
                "examples",
                "topic",
            ],
            l,
        ),
        &plan,
        l,
    )?;
    wb.save_to_buffer()
}
