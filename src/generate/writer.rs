//! Writing a generated folder: `cases` and `tasks` streamed chunk by chunk (CSV through the
//! `csv` crate, Parquet through polars' batched writer, one row group per chunk), the small
//! reference tables, `calendar.yaml`, `labels.csv` and `operator_profiles.csv`.
//!
//! Every file is written as `.<name>.partial` and renamed into place only when the whole run
//! succeeded; on error the partial files are removed, so a folder never holds half a data set.
//!
//! CSV values are in the reference format: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS`, money with
//! two decimals, `true`/`false`, empty for missing. Parquet columns are typed: Date,
//! Datetime(ms), Float64 money (exact to the cent when read back rounded to two decimals, as
//! `policyqc check` does), Int64, Boolean, String.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use polars::prelude::*;
use rayon::prelude::*;

use super::cases::{Case, F, Val, fmt_money};
use super::errors::{Label, MUTATIONS};
use super::roster::{AUTHORITY, Roster};
use super::tasks::{Holder, Task};
use crate::schema::FieldType;

/// Output format of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    /// CSV (the default).
    Csv,
    /// Parquet.
    Parquet,
}

impl GenFormat {
    /// The file extension.
    #[must_use]
    pub fn ext(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Parquet => "parquet",
        }
    }
}

/// One generated case with its tasks and labels.
#[derive(Debug, Clone)]
pub struct CaseOut {
    /// The case as exported.
    pub case: Case,
    /// Its task list.
    pub tasks: Vec<Task>,
    /// Its planted errors.
    pub labels: Vec<Label>,
}

/// The columns of `tasks`.
pub const TASK_COLUMNS: [&str; 7] = [
    "case_id",
    "stage",
    "operator",
    "assigned_at",
    "started_at",
    "completed_at",
    "outcome",
];
/// The columns of `labels.csv`.
pub const LABEL_COLUMNS: [&str; 7] = [
    "case_id",
    "error_point",
    "stage",
    "operator",
    "caught_at_double_check",
    "rule_id",
    "mutation",
];

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// File system.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// CSV encoding.
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: String,
        /// Why.
        source: csv::Error,
    },
    /// Parquet encoding.
    #[error("{path}: {source}")]
    Polars {
        /// The file.
        path: String,
        /// Why.
        source: PolarsError,
    },
}

enum Sink {
    Csv(BufWriter<File>),
    Parquet(Box<polars::io::parquet::write::BatchedWriter<File>>),
}

/// The files of one run, written under temporary names until [`Output::commit`].
pub struct Output {
    dir: PathBuf,
    format: GenFormat,
    cases: Sink,
    tasks: Sink,
    labels: csv::Writer<BufWriter<File>>,
    /// (partial, final) paths.
    files: Vec<(PathBuf, PathBuf)>,
    committed: bool,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn pl(path: &Path) -> impl FnOnce(PolarsError) -> WriteError + '_ {
    move |source| WriteError::Polars {
        path: path.display().to_string(),
        source,
    }
}

fn cs(path: &Path) -> impl FnOnce(csv::Error) -> WriteError + '_ {
    move |source| WriteError::Csv {
        path: path.display().to_string(),
        source,
    }
}

impl Output {
    /// Creates the folder and opens `cases`, `tasks` and `labels.csv`, headers written.
    pub fn create(dir: &Path, format: GenFormat) -> Result<Self, WriteError> {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let mut files = Vec::new();
        let mut open = |name: &str| -> Result<(File, PathBuf), WriteError> {
            let fin = dir.join(name);
            let part = dir.join(format!(".{name}.partial"));
            let f = File::create(&part).map_err(io(&part))?;
            files.push((part.clone(), fin));
            Ok((f, part))
        };
        let ext = format.ext();
        let (cf, cp) = open(&format!("cases.{ext}"))?;
        let (tf, tp) = open(&format!("tasks.{ext}"))?;
        let (lf, lp) = open("labels.csv")?;
        let (cases, tasks) = match format {
            GenFormat::Csv => {
                let mut c = BufWriter::with_capacity(1 << 20, cf);
                let mut t = BufWriter::with_capacity(1 << 20, tf);
                let header: Vec<&str> = F::ALL.iter().map(|f| f.name()).collect();
                writeln!(c, "{}", header.join(",")).map_err(io(&cp))?;
                writeln!(t, "{}", TASK_COLUMNS.join(",")).map_err(io(&tp))?;
                (Sink::Csv(c), Sink::Csv(t))
            }
            GenFormat::Parquet => {
                let cs = case_schema();
                let ts = task_schema();
                (
                    Sink::Parquet(Box::new(
                        ParquetWriter::new(cf).batched(&cs).map_err(pl(&cp))?,
                    )),
                    Sink::Parquet(Box::new(
                        ParquetWriter::new(tf).batched(&ts).map_err(pl(&tp))?,
                    )),
                )
            }
        };
        let mut labels = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(BufWriter::new(lf));
        labels.write_record(LABEL_COLUMNS).map_err(cs(&lp))?;
        Ok(Self {
            dir: dir.to_path_buf(),
            format,
            cases,
            tasks,
            labels,
            files,
            committed: false,
        })
    }

    fn part(&self, name: &str) -> PathBuf {
        self.dir.join(format!(".{name}.partial"))
    }

    /// Writes one chunk of cases (in order) with their tasks and labels.
    pub fn write_chunk(&mut self, outs: &[CaseOut], roster: &Roster) -> Result<(), WriteError> {
        let ext = self.format.ext();
        let cp = self.part(&format!("cases.{ext}"));
        let tp = self.part(&format!("tasks.{ext}"));
        match (&mut self.cases, &mut self.tasks) {
            (Sink::Csv(c), Sink::Csv(t)) => {
                let parts: Vec<(Vec<u8>, Vec<u8>)> = outs
                    .par_chunks(512)
                    .map(|chunk| csv_chunk(chunk, roster))
                    .collect::<Result<_, _>>()
                    .map_err(cs(&cp))?;
                for (cb, tb) in parts {
                    c.write_all(&cb).map_err(io(&cp))?;
                    t.write_all(&tb).map_err(io(&tp))?;
                }
            }
            (Sink::Parquet(c), Sink::Parquet(t)) => {
                let cdf = case_frame(outs, roster).map_err(pl(&cp))?;
                c.write_batch(&cdf).map_err(pl(&cp))?;
                let tdf = task_frame(outs, roster).map_err(pl(&tp))?;
                t.write_batch(&tdf).map_err(pl(&tp))?;
            }
            _ => unreachable!("both sinks have the run's format"),
        }
        let lp = self.part("labels.csv");
        for o in outs {
            let id = o.case.text(F::CaseId).unwrap_or_default();
            let mut labels: Vec<&Label> = o.labels.iter().collect();
            labels.sort_by_key(|l| (MUTATIONS[l.m].point, MUTATIONS[l.m].rule));
            for l in labels {
                let m = &MUTATIONS[l.m];
                self.labels
                    .write_record([
                        id,
                        &m.point.to_string(),
                        m.stage.name(),
                        &roster.ops[l.operator].id,
                        if l.caught { "true" } else { "false" },
                        m.rule,
                        m.name,
                    ])
                    .map_err(cs(&lp))?;
            }
        }
        Ok(())
    }

    /// Writes a small file whole (operators, authority, calendar, profiles).
    pub fn write_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let fin = self.dir.join(name);
        let part = self.part(name);
        std::fs::write(&part, bytes).map_err(io(&part))?;
        self.files.push((part, fin));
        Ok(())
    }

    /// Writes a small table in the run's format.
    pub fn write_table(&mut self, stem: &str, df: &mut DataFrame) -> Result<(), WriteError> {
        let name = format!("{stem}.{}", self.format.ext());
        let part = self.part(&name);
        let bytes = match self.format {
            GenFormat::Csv => csv_of_frame(df),
            GenFormat::Parquet => {
                let mut buf = Vec::new();
                ParquetWriter::new(&mut buf).finish(df).map_err(pl(&part))?;
                buf
            }
        };
        self.write_file(&name, &bytes)
    }

    /// Finishes every file and renames it into place.
    pub fn commit(mut self) -> Result<(), WriteError> {
        let ext = self.format.ext();
        for (sink, stem) in [(&mut self.cases, "cases"), (&mut self.tasks, "tasks")] {
            let p = self.dir.join(format!(".{stem}.{ext}.partial"));
            match sink {
                Sink::Csv(w) => w.flush().map_err(io(&p))?,
                Sink::Parquet(w) => {
                    w.finish().map_err(pl(&p))?;
                }
            }
        }
        let lp = self.part("labels.csv");
        self.labels.flush().map_err(io(&lp))?;
        for (part, fin) in &self.files {
            std::fs::rename(part, fin).map_err(io(fin))?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if !self.committed {
            for (part, _) in &self.files {
                let _ = std::fs::remove_file(part);
            }
        }
    }
}

/// Appends a value as the reference format writes it.
pub fn fmt_val(out: &mut String, v: &Val, roster: &Roster) {
    match v {
        Val::Null => {}
        Val::Text(s) => out.push_str(s),
        Val::Sym(s) => out.push_str(s),
        Val::Op(i) => out.push_str(&roster.ops[usize::from(*i)].id),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Money(c) => fmt_money(out, *c),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Date(d) => fmt_date(out, *d),
        Val::Dt(t) => fmt_dt(out, *t),
    }
}

fn fmt_date(out: &mut String, d: NaiveDate) {
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

fn fmt_dt(out: &mut String, t: NaiveDateTime) {
    fmt_date(out, t.date());
    let _ = write!(out, " {:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
}

fn holder_text(h: Holder, roster: &Roster) -> &str {
    match h {
        Holder::Op(i) => &roster.ops[i].id,
        Holder::Dept(d) => d,
    }
}

fn csv_chunk(outs: &[CaseOut], roster: &Roster) -> Result<(Vec<u8>, Vec<u8>), csv::Error> {
    let builder = || {
        let mut b = csv::WriterBuilder::new();
        b.terminator(csv::Terminator::Any(b'\n')).has_headers(false);
        b
    };
    let mut cw = builder().from_writer(Vec::with_capacity(outs.len() * 420));
    let mut tw = builder().from_writer(Vec::with_capacity(outs.len() * 700));
    let mut buf = String::with_capacity(32);
    for o in outs {
        for f in F::ALL {
            buf.clear();
            fmt_val(&mut buf, o.case.get(*f), roster);
            cw.write_field(&buf)?;
        }
        cw.write_record(None::<&[u8]>)?;
        let id = o.case.text(F::CaseId).unwrap_or_default();
        for t in &o.tasks {
            tw.write_field(id)?;
            tw.write_field(t.stage)?;
            tw.write_field(holder_text(t.holder, roster))?;
            for v in [Some(t.assigned), t.started, t.completed] {
                buf.clear();
                if let Some(v) = v {
                    fmt_dt(&mut buf, v);
                }
                tw.write_field(&buf)?;
            }
            tw.write_field(t.outcome.unwrap_or_default())?;
            tw.write_record(None::<&[u8]>)?;
        }
    }
    let cases = cw
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    let tasks = tw
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok((cases, tasks))
}

fn dtype(ty: FieldType) -> DataType {
    match ty {
        FieldType::Text => DataType::String,
        FieldType::Integer => DataType::Int64,
        FieldType::Money => DataType::Float64,
        FieldType::Bool => DataType::Boolean,
        FieldType::Date => DataType::Date,
        FieldType::DateTime => DataType::Datetime(TimeUnit::Milliseconds, None),
    }
}

fn case_schema() -> Schema {
    F::ALL
        .iter()
        .map(|f| Field::new(f.name().into(), dtype(f.ty())))
        .collect()
}

fn task_schema() -> Schema {
    TASK_COLUMNS
        .iter()
        .map(|c| {
            let ty = if c.ends_with("_at") {
                dtype(FieldType::DateTime)
            } else {
                DataType::String
            };
            Field::new((*c).into(), ty)
        })
        .collect()
}

fn days(d: NaiveDate) -> i32 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}

fn millis(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp_millis()
}

fn text_col<'a>(name: &str, vals: impl Iterator<Item = Option<&'a str>>) -> Column {
    Column::new(name.into(), vals.collect::<Vec<_>>())
}

fn dt_col(name: &str, vals: impl Iterator<Item = Option<NaiveDateTime>>) -> PolarsResult<Column> {
    Column::new(name.into(), vals.map(|v| v.map(millis)).collect::<Vec<_>>())
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
}

fn case_frame(outs: &[CaseOut], roster: &Roster) -> PolarsResult<DataFrame> {
    let mut cols = Vec::with_capacity(F::ALL.len());
    for f in F::ALL {
        let vals = outs.iter().map(|o| o.case.get(*f));
        let name = f.name();
        let col = match f.ty() {
            FieldType::Text => text_col(
                name,
                vals.map(|v| match v {
                    Val::Text(s) => Some(s.as_str()),
                    Val::Sym(s) => Some(*s),
                    Val::Op(i) => Some(roster.ops[usize::from(*i)].id.as_str()),
                    _ => None,
                }),
            ),
            FieldType::Integer => Column::new(
                name.into(),
                vals.map(|v| if let Val::Int(i) = v { Some(*i) } else { None })
                    .collect::<Vec<_>>(),
            ),
            FieldType::Money => Column::new(
                name.into(),
                vals.map(|v| {
                    if let Val::Money(c) = v {
                        Some(*c as f64 / 100.0)
                    } else {
                        None
                    }
                })
                .collect::<Vec<_>>(),
            ),
            FieldType::Bool => Column::new(
                name.into(),
                vals.map(|v| if let Val::Bool(b) = v { Some(*b) } else { None })
                    .collect::<Vec<_>>(),
            ),
            FieldType::Date => Column::new(
                name.into(),
                vals.map(|v| {
                    if let Val::Date(d) = v {
                        Some(days(*d))
                    } else {
                        None
                    }
                })
                .collect::<Vec<_>>(),
            )
            .cast(&DataType::Date)?,
            FieldType::DateTime => dt_col(
                name,
                vals.map(|v| if let Val::Dt(t) = v { Some(*t) } else { None }),
            )?,
        };
        cols.push(col);
    }
    DataFrame::new(outs.len(), cols)
}

fn task_frame(outs: &[CaseOut], roster: &Roster) -> PolarsResult<DataFrame> {
    let rows = || {
        outs.iter().flat_map(|o| {
            o.tasks
                .iter()
                .map(move |t| (o.case.text(F::CaseId).unwrap_or_default(), t))
        })
    };
    DataFrame::new_infer_height(vec![
        text_col("case_id", rows().map(|(id, _)| Some(id))),
        text_col("stage", rows().map(|(_, t)| Some(t.stage))),
        text_col(
            "operator",
            rows().map(|(_, t)| Some(holder_text(t.holder, roster))),
        ),
        dt_col("assigned_at", rows().map(|(_, t)| Some(t.assigned)))?,
        dt_col("started_at", rows().map(|(_, t)| t.started))?,
        dt_col("completed_at", rows().map(|(_, t)| t.completed))?,
        text_col("outcome", rows().map(|(_, t)| t.outcome)),
    ])
}

/// The roster as the `operators` table.
pub fn operators_frame(roster: &Roster) -> PolarsResult<DataFrame> {
    let ops = &roster.ops;
    DataFrame::new_infer_height(vec![
        text_col("operator_id", ops.iter().map(|o| Some(o.id.as_str()))),
        text_col("name", ops.iter().map(|o| Some(o.name.as_str()))),
        text_col(
            "team",
            ops.iter().map(|o| Some(roster.teams[o.team].name.as_str())),
        ),
        Column::new(
            "roles".into(),
            ops.iter()
                .map(super::roster::Operator::roles_text)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "authority_level".into(),
            ops.iter().map(|o| o.level).collect::<Vec<_>>(),
        ),
        Column::new(
            "active_from".into(),
            ops.iter().map(|o| days(o.active_from)).collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
        Column::new(
            "active_to".into(),
            ops.iter()
                .map(|o| o.active_to.map(days))
                .collect::<Vec<_>>(),
        )
        .cast(&DataType::Date)?,
    ])
}

/// The authority matrix as the `authority` table.
pub fn authority_frame() -> PolarsResult<DataFrame> {
    let rows: Vec<(&str, Option<i64>, i64)> = AUTHORITY
        .iter()
        .flat_map(|(t, bands)| bands.iter().map(move |(up, l)| (*t, *up, *l)))
        .collect();
    DataFrame::new_infer_height(vec![
        text_col("change_type", rows.iter().map(|r| Some(r.0))),
        Column::new(
            "up_to_amount".into(),
            rows.iter()
                .map(|r| r.1.map(|c| c as f64 / 100.0))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "min_authority_level".into(),
            rows.iter().map(|r| r.2).collect::<Vec<_>>(),
        ),
    ])
}

/// A small frame as reference-format CSV (money columns with two decimals).
fn csv_of_frame(df: &DataFrame) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
    let _ = w.write_record(&names);
    for i in 0..df.height() {
        let mut row = Vec::with_capacity(names.len());
        for c in df.columns() {
            let v = c.get(i).unwrap_or(AnyValue::Null);
            let s = match v {
                AnyValue::Null => String::new(),
                AnyValue::Float64(x) => {
                    let mut s = String::new();
                    fmt_money(&mut s, (x * 100.0).round() as i64);
                    s
                }
                AnyValue::Date(d) => {
                    let mut s = String::new();
                    fmt_date(
                        &mut s,
                        NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")
                            + chrono::Duration::days(i64::from(d)),
                    );
                    s
                }
                AnyValue::String(s) => s.to_owned(),
                AnyValue::StringOwned(s) => s.to_string(),
                other => other.to_string(),
            };
            row.push(s);
        }
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// `operator_profiles.csv`: the generator's ground truth about each operator.
#[must_use]
pub fn profiles_csv(roster: &Roster) -> Vec<u8> {
    let mut s = String::from("operator_id,team,profile,error_propensity,speed,catch_skill\n");
    for o in &roster.ops {
        let _ = writeln!(
            s,
            "{},{},{},{:.2},{:.2},{:.2}",
            o.id,
            roster.teams[o.team].name,
            o.profile.name(),
            o.propensity,
            o.speed,
            o.catch_skill
        );
    }
    s.into_bytes()
}
