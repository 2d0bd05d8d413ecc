//! The auditor's workpaper: `sample.csv` and `sample.xlsx`, one row per sampled case and
//! in-scope finding (a case without findings has one row with the finding columns empty),
//! with empty verdict columns to fill in and import with `policyqc verdicts import`.
//!
//! | column | content |
//! | --- | --- |
//! | `sample_id` | the sample (its `manifest.json`) |
//! | `sample_no` | position in the selection order |
//! | `case_id`, `stratum`, `reason` | the case, its stratum, why it was selected |
//! | `policy_no` … `printer` | the case's details |
//! | `rule_id` … `rule_source` | the finding (empty when the case has none) |
//! | `verdict` | for the auditor: `confirmed` or `false_positive` on a finding row; `no_error` or `new_error` on a row without a rule |
//! | `new_error_point`, `new_error_stage`, `new_error_severity` | for a `new_error`: error point 1-14 (required), stage and severity (optional) |
//! | `auditor`, `judged_at`, `note` | who judged, when (`YYYY-MM-DD` or a timestamp), remarks |
//!
//! A new error on a case that also has findings goes on a row of its own: copy one of the
//! case's rows and empty its rule columns.

use polars::prelude::*;
use rust_xlsxwriter::{DataValidation, DocProperties, ExcelDateTime, Format, Workbook};

use super::manifest::Manifest;
use super::{Sample, SampleError, polars_err};
use crate::engine::compile::cents_text;
use crate::schema::{FieldType, Table};

/// The case detail columns, in order.
pub const DETAIL_COLUMNS: [&str; 12] = [
    "policy_no",
    "branch",
    "change_type",
    "received_at",
    "bound_at",
    "amount",
    "intake_operator",
    "reviewer",
    "entry_operator",
    "checker",
    "binder",
    "printer",
];

/// The finding columns, in order.
pub const FINDING_COLUMNS: [&str; 7] = [
    "rule_id",
    "checkpoint",
    "error_point",
    "severity",
    "operator",
    "message",
    "rule_source",
];

/// The verdict columns the auditor fills, in order.
pub const VERDICT_COLUMNS: [&str; 7] = [
    "verdict",
    "new_error_point",
    "new_error_stage",
    "new_error_severity",
    "auditor",
    "judged_at",
    "note",
];

fn detail_expr(field: &str, frame: &DataFrame) -> Expr {
    if frame.column(field).is_err() {
        return lit(NULL).cast(DataType::String).alias(field);
    }
    let c = col(field);
    let ty = Table::Cases.field(field).map_or(FieldType::Text, |f| f.ty);
    match ty {
        FieldType::Money => cents_text(c),
        FieldType::Date => c.dt().strftime("%Y-%m-%d"),
        FieldType::DateTime => c.dt().strftime("%Y-%m-%d %H:%M:%S"),
        _ => c.cast(DataType::String),
    }
    .alias(field)
}

/// The workpaper table (every column text), sorted by sample number and rule.
pub fn build(sample: &Sample) -> Result<DataFrame, SampleError> {
    let sel = &sample.manifest.selected;
    let picks = df!(
        "sample_no" => sel.iter().map(|s| s.sample_no).collect::<Vec<_>>(),
        "case_id" => sel.iter().map(|s| s.case_id.clone()).collect::<Vec<_>>(),
        "stratum" => sel.iter().map(|s| s.stratum.clone()).collect::<Vec<_>>(),
        "reason" => sel.iter().map(|s| s.reason.clone()).collect::<Vec<_>>(),
    )
    .map_err(polars_err)?;
    let frame = &sample.population.frame;
    let details = frame.clone().lazy().select(
        std::iter::once(col("case_id"))
            .chain(DETAIL_COLUMNS.iter().map(|f| detail_expr(f, frame)))
            .collect::<Vec<_>>(),
    );
    let findings = sample.population.findings.clone().lazy().select([
        col("case_id"),
        col("rule_id"),
        col("checkpoint"),
        col("error_point").cast(DataType::String),
        col("severity"),
        col("operator"),
        col("message"),
        col("rule_source"),
    ]);
    let mut out: Vec<Expr> = vec![
        lit(sample.manifest.sample_id.clone()).alias("sample_id"),
        col("sample_no").cast(DataType::String),
        col("case_id"),
        col("stratum"),
        col("reason"),
    ];
    // Empty cells are nulls, so that the CSV shows nothing rather than "".
    out.extend(DETAIL_COLUMNS.iter().map(|c| col(*c)));
    out.extend(FINDING_COLUMNS.iter().map(|c| col(*c)));
    out.extend(
        VERDICT_COLUMNS
            .iter()
            .map(|c| lit(NULL).cast(DataType::String).alias(*c)),
    );
    picks
        .lazy()
        .join(
            details,
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            findings,
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Left),
        )
        .sort_by_exprs(
            [col("sample_no"), col("rule_id").fill_null(lit(""))],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .select(out)
        .collect()
        .map_err(polars_err)
}

/// `sample.csv` bytes.
pub fn csv_bytes(work: &DataFrame) -> Result<Vec<u8>, SampleError> {
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut work.clone())
        .map_err(polars_err)?;
    Ok(buf)
}

#[allow(clippy::needless_pass_by_value)]
fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> SampleError {
    SampleError::Output(format!("cannot build sample.xlsx: {e}"))
}

/// `sample.xlsx` bytes: sheet `sample` (the workpaper, header frozen, filters on, verdict
/// columns shaded, the verdict column limited to the four verdicts) and sheet `plan` (the
/// manifest's main facts). Document dates are fixed so the file is the same on every run.
pub fn xlsx_bytes(work: &DataFrame, manifest: &Manifest) -> Result<Vec<u8>, SampleError> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_err)?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("policyqc audit sample {}", manifest.sample_id))
            .set_creation_datetime(&fixed),
    );
    let header = Format::new().set_bold().set_background_color("D9D9D9");
    let to_fill = Format::new().set_background_color("FFF2CC");
    let names: Vec<String> = work
        .get_column_names()
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
    let values: Vec<Vec<Option<String>>> = names
        .iter()
        .map(|n| crate::input::column_str(work, n))
        .collect();
    let sheet = book.add_worksheet();
    sheet.set_name("sample").map_err(xlsx_err)?;
    for (c, name) in names.iter().enumerate() {
        let c16 = c as u16;
        sheet
            .write_string_with_format(0, c16, name, &header)
            .map_err(xlsx_err)?;
        let width = match name.as_str() {
            "message" | "note" => 50.0,
            "reason" | "rule_id" | "rule_source" => 30.0,
            _ => 16.0,
        };
        sheet.set_column_width(c16, width).map_err(xlsx_err)?;
        let verdict_col = VERDICT_COLUMNS.contains(&name.as_str());
        for (r, v) in values[c].iter().enumerate() {
            let row = r as u32 + 1;
            let text = v.as_deref().unwrap_or("");
            if matches!(name.as_str(), "sample_no" | "error_point")
                && let Ok(n) = text.parse::<f64>()
            {
                sheet.write_number(row, c16, n).map_err(xlsx_err)?;
            } else if verdict_col {
                sheet
                    .write_string_with_format(row, c16, text, &to_fill)
                    .map_err(xlsx_err)?;
            } else {
                sheet.write_string(row, c16, text).map_err(xlsx_err)?;
            }
        }
    }
    let last_row = work.height() as u32;
    let last_col = names.len().saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 3).map_err(xlsx_err)?;
    sheet
        .autofilter(0, 0, last_row.max(1), last_col)
        .map_err(xlsx_err)?;
    if let Some(vc) = names.iter().position(|n| n == "verdict") {
        let dv = DataValidation::new()
            .allow_list_strings(&["confirmed", "false_positive", "no_error", "new_error"])
            .map_err(xlsx_err)?
            .set_input_message("confirmed / false_positive on a finding row; no_error / new_error on a row without a rule")
            .map_err(xlsx_err)?;
        sheet
            .add_data_validation(1, vc as u16, last_row.max(1) + 500, vc as u16, &dv)
            .map_err(xlsx_err)?;
    }
    if let Some(ec) = names.iter().position(|n| n == "new_error_point") {
        let dv = DataValidation::new()
            .allow_whole_number(rust_xlsxwriter::DataValidationRule::Between(1, 14))
            .set_input_message("error point 1-14, for a new_error")
            .map_err(xlsx_err)?;
        sheet
            .add_data_validation(1, ec as u16, last_row.max(1) + 500, ec as u16, &dv)
            .map_err(xlsx_err)?;
    }

    let plan = book.add_worksheet();
    plan.set_name("plan").map_err(xlsx_err)?;
    plan.set_column_width(0, 28).map_err(xlsx_err)?;
    plan.set_column_width(1, 70).map_err(xlsx_err)?;
    let p = &manifest.plan;
    let opt = |x: &Option<String>| x.clone().unwrap_or_default();
    let num = |x: Option<u32>| x.map(|v| v.to_string()).unwrap_or_default();
    let rows: Vec<(&str, String)> = vec![
        ("sample_id", manifest.sample_id.clone()),
        ("tool", manifest.tool.clone()),
        ("seed", manifest.seed.to_string()),
        ("seed source", manifest.seed_source.clone()),
        ("cases file", manifest.data.cases_file.clone()),
        (
            "cases file SHA-256",
            manifest.data.cases_file_sha256.clone(),
        ),
        ("rule-set SHA-256", manifest.rules.sha256.clone()),
        ("filters", manifest.filters_text.clone()),
        ("population", manifest.population.size.to_string()),
        ("population SHA-256", manifest.population.sha256.clone()),
        ("method", manifest.method.name.clone()),
        ("plan", p.plan.clone()),
        ("inspection level", opt(&p.level)),
        ("AQL", opt(&p.aql)),
        ("lot size", p.lot_size.to_string()),
        ("code letter", opt(&p.code_letter)),
        ("tolerable deviation rate", opt(&p.tolerable)),
        ("expected deviation rate", opt(&p.expected)),
        ("confidence", p.confidence.clone()),
        ("sample size", p.sample_size.to_string()),
        ("accept (Ac)", num(p.accept)),
        ("reject (Re)", num(p.reject)),
    ];
    for (r, (k, v)) in rows.iter().enumerate() {
        plan.write_string_with_format(r as u32, 0, *k, &header)
            .map_err(xlsx_err)?;
        plan.write_string(r as u32, 1, v).map_err(xlsx_err)?;
    }
    for (i, n) in manifest.notes.iter().enumerate() {
        let r = (rows.len() + 1 + i) as u32;
        plan.write_string_with_format(r, 0, "note", &header)
            .map_err(xlsx_err)?;
        plan.write_string(r, 1, n).map_err(xlsx_err)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}
