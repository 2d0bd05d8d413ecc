//! The same data written differently must give the same findings: ISO timestamps with a `T`
//! and an offset (SCHEMA.md accepts them), and an insurer's own column names and date format
//! through columns.yaml.

use crate::util::{Table, check, copy_fixture, expected_pairs};

/// `YYYY-MM-DD HH:MM:SS`?
fn is_timestamp(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 19
        && b[10] == b' '
        && b.iter()
            .enumerate()
            .all(|(i, c)| matches!(i, 4 | 7 | 10 | 13 | 16) || c.is_ascii_digit())
}

/// `YYYY-MM-DD`?
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Rewrites every timestamp of the basic fixture with `rewrite`, sets the office time zone,
/// and checks that the findings are the fixture's own (the times are the same instants).
fn basic_with_timestamps(rewrite: &dyn Fn(&str) -> String, zone: &str) {
    let dir = copy_fixture("basic");
    let path = dir.path().join("cases.csv");
    let mut t = Table::read(&path);
    let mut rewritten = 0;
    for row in &mut t.rows {
        for v in row.iter_mut() {
            if is_timestamp(v) {
                *v = rewrite(v);
                rewritten += 1;
            }
        }
    }
    assert!(rewritten > 1000, "only {rewritten} timestamps rewritten");
    t.write(&path);
    let settings = dir.path().join("settings.yaml");
    let mut text = std::fs::read_to_string(&settings).unwrap_or_default();
    text.push_str("\noffice_time_zone: ");
    text.push_str(zone);
    text.push('\n');
    std::fs::write(&settings, text).expect("settings");
    let run = check(dir.path(), &[]);
    run.assert_code(1);
    assert_eq!(
        run.table("data_findings.csv").rows,
        Vec::<Vec<String>>::new(),
        "every timestamp should parse"
    );
    assert_eq!(run.finding_pairs(), expected_pairs("basic"));
    assert_eq!(run.summary()["office_time_zone"], zone);
}

#[test]
fn timestamps_with_t_separator_and_offset_are_read() {
    // 2026-10-05 10:42:29 -> 2026-10-05T10:42:29+08:00: Taipei time, said so.
    basic_with_timestamps(
        &|v| format!("{}T{}+08:00", &v[..10], &v[11..]),
        "Asia/Taipei",
    );
}

#[test]
fn utc_timestamps_are_converted_to_the_office_time_zone() {
    // 2026-10-05 10:42:29 Taipei is 2026-10-05T02:42:29Z; converted back, the same findings.
    basic_with_timestamps(
        &|v| {
            let local = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S").expect("ts");
            (local - chrono::Duration::hours(8))
                .format("%Y-%m-%dT%H:%M:%S.000Z")
                .to_string()
        },
        "Asia/Taipei",
    );
}

#[test]
fn column_map_with_renamed_columns_and_day_first_dates_gives_basic_findings() {
    let dir = copy_fixture("basic");
    let day_first = |v: &mut String| {
        if is_date(v) {
            // 2026-09-20 -> 20/09/2026
            *v = format!("{}/{}/{}", &v[8..10], &v[5..7], &v[..4]);
        }
    };
    let cases_path = dir.path().join("cases.csv");
    let mut cases = Table::read(&cases_path);
    cases.rename("case_id", "CaseNo");
    cases.rename("policy_no", "Policy Number");
    cases.rename("application_date", "AppDate");
    cases.rename("effective_date", "Effective");
    cases.rename("intake_operator", "Intake Clerk");
    cases.rows.iter_mut().flatten().for_each(day_first);
    cases.write(&cases_path);
    // The format applies to every table: the roster's active_from/active_to too.
    let ops_path = dir.path().join("operators.csv");
    let mut ops = Table::read(&ops_path);
    ops.rename("operator_id", "StaffId");
    ops.rows.iter_mut().flatten().for_each(day_first);
    ops.write(&ops_path);
    std::fs::write(
        dir.path().join("columns.yaml"),
        r#"formats:
  date: "%d/%m/%Y"
cases:
  case_id: CaseNo
  policy_no: "Policy Number"
  application_date: AppDate
  effective_date: Effective
  intake_operator: Intake Clerk
operators:
  operator_id: StaffId
"#,
    )
    .expect("columns.yaml");

    let run = check(dir.path(), &[]);
    run.assert_code(1);
    assert_eq!(
        run.table("data_findings.csv").rows,
        Vec::<Vec<String>>::new(),
        "every renamed column and day-first date should be read"
    );
    assert_eq!(run.finding_pairs(), expected_pairs("basic"));
    // Output uses policyqc's field names, whatever the insurer calls them.
    let f = run.table("findings.csv");
    assert_eq!(f.header[0], "case_id");
    assert_eq!(run.summary_u64("cases_read"), 300);
}

#[test]
fn typed_parquet_cases_give_the_same_findings_as_csv() {
    use polars::prelude::*;
    let dir = copy_fixture("basic");
    let csv = dir.path().join("cases.csv");
    // A typed export: polars infers dates, timestamps, floats for money, integers, booleans.
    let mut df = CsvReadOptions::default()
        .with_parse_options(CsvParseOptions::default().with_try_parse_dates(true))
        .try_into_reader_with_file_path(Some(csv.clone()))
        .and_then(CsvReader::finish)
        .expect("read basic cases");
    assert!(matches!(
        df.column("received_at").unwrap().dtype(),
        DataType::Datetime(_, _)
    ));
    assert!(matches!(
        df.column("application_date").unwrap().dtype(),
        DataType::Date
    ));
    assert_eq!(
        df.column("premium_charged").unwrap().dtype(),
        &DataType::Float64
    );
    assert_eq!(
        df.column("seal_required").unwrap().dtype(),
        &DataType::Boolean
    );
    ParquetWriter::new(std::fs::File::create(dir.path().join("cases.parquet")).unwrap())
        .finish(&mut df)
        .expect("write parquet");
    std::fs::remove_file(&csv).unwrap();
    let run = check(dir.path(), &[]);
    run.assert_code(1);
    assert_eq!(
        run.table("data_findings.csv").rows,
        Vec::<Vec<String>>::new()
    );
    assert_eq!(run.finding_pairs(), expected_pairs("basic"));
}
