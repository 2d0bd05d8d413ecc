//! The weekly QC analysis (DOMAIN.md, "the QC inspector's rhythm"): the week's figures and
//! the training plan, computed with polars from a check's cases and findings (no I/O; the
//! page, the workbook and `weekly.json` are written from [`Weekly`]).
//!
//! A case belongs to the week in which it was **received** (`received_at`'s date, office
//! time). The chosen period (an ISO week, or any `--week` period) is compared with the three
//! periods of the same length before it (for an ISO week: the three ISO weeks before it).
//! A rate is cases with findings / cases received in that period; a period without cases
//! has no rate (`null`), never 0%.
//!
//! - **Trend** per error point and per checkpoint: the four periods' cases with findings of
//!   it and rates, oldest first, and the change against last week.
//! - **Main causes**: the `weekly.top_causes` rules and operators with most of the week's
//!   findings, with counts and shares of the week's findings.
//! - **Common problems**: error points made this week by at least
//!   `weekly.common_min_operators` distinct operators (to explain at roll-call).
//! - **Training plan**: per team and error point of this week, **whole-team** training when
//!   at least `weekly.spread_min_operators` of the team's operators made it, else
//!   **individual** training for each operator who did. Each entry has the evidence (findings,
//!   cases, share of the week's cases, up to three example case ids) and the topic: the error
//!   point's definition (`schema::ERROR_POINTS`). Operators without a team in the roster form
//!   the team `(no team)`.

use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

use crate::config::settings::Settings;
use crate::schema::ERROR_POINTS;

/// Every human-facing label of the weekly page and workbook, by key (English), so that they
/// can be routed through a translation table in one place.
pub const LABELS: &[(&str, &str)] = &[
    ("title", "Weekly QC analysis"),
    ("cases_received", "Cases received"),
    ("cases_with_findings", "Cases with findings"),
    ("defect_rate", "Defect rate"),
    ("findings", "Findings"),
    ("weeks", "The four weeks"),
    ("week", "Week"),
    ("from", "From"),
    ("to", "To"),
    ("no_cases", "no cases"),
    ("by_error_point", "By error point"),
    ("by_checkpoint", "By checkpoint"),
    ("error_point", "Error point"),
    ("title_col", "Definition"),
    ("checkpoint", "Checkpoint"),
    ("this_week", "This week"),
    ("last_week", "Last week"),
    ("this_week@period", "This period"),
    ("last_week@period", "Previous period"),
    ("week@period", "Period"),
    ("weeks@period", "The four periods"),
    ("trend@period", "Four-period trend"),
    ("rate", "Rate"),
    ("change", "Change"),
    ("trend", "Four-week trend"),
    ("cases", "Cases"),
    ("main_causes", "Main causes"),
    ("rule", "Rule"),
    ("operator", "Operator"),
    ("share", "Share"),
    ("common", "Problems common to many operators"),
    ("operators", "Operators"),
    ("training", "Training plan"),
    ("team", "Team"),
    ("kind", "Training"),
    ("whole_team", "whole team"),
    ("individual", "individual"),
    ("for", "For"),
    ("evidence", "Evidence"),
    ("examples", "Example cases"),
    ("topic", "Topic"),
    (
        "date_basis",
        "Weeks by the date the case was received (received_at)",
    ),
    ("none", "none this week"),
];

/// The English label of `key` (the key itself when unknown).
#[must_use]
pub fn label(key: &str) -> &str {
    LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(key, |(_, v)| v)
}

/// The label of `key` in `lang` (see [`label`] and `src/lang.tsv`).
#[must_use]
pub fn label_in(lang: crate::lang::Lang, key: &str) -> &str {
    lang.tr(label(key))
}

/// The documented settings of the analysis (`weekly.*` in settings.yaml).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct WeeklySettings {
    /// Least operators of a team with an error point for whole-team training.
    pub spread_min_operators: u32,
    /// Least operators with an error point for a common problem.
    pub common_min_operators: u32,
    /// Rules and operators in the main causes.
    pub top_causes: u32,
}

impl WeeklySettings {
    /// The values of a settings file (validated when it was loaded), else the defaults.
    #[must_use]
    pub fn from_settings(s: &Settings) -> Self {
        Self {
            spread_min_operators: s.count("weekly.spread_min_operators").unwrap_or(2),
            common_min_operators: s.count("weekly.common_min_operators").unwrap_or(3),
            top_causes: s.count("weekly.top_causes").unwrap_or(5),
        }
    }
}

/// One of the four periods.
#[derive(Debug, Clone, Serialize)]
pub struct Week {
    /// `2026-W41`, or `from..to` for another period length.
    pub label: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Cases received.
    pub cases_received: u64,
    /// Of them, cases with at least one finding.
    pub cases_with_findings: u64,
    /// The rate; `None` without cases.
    pub defect_rate: Option<f64>,
}

/// A trend row (an error point or a checkpoint).
#[derive(Debug, Clone, Serialize)]
pub struct TrendRow {
    /// The error point number or checkpoint name.
    pub key: String,
    /// The error point's definition (empty for a checkpoint).
    pub title: String,
    /// Cases with findings of it, oldest period first.
    pub cases: [u64; 4],
    /// Their rates (`None`: no cases received that period).
    pub rates: [Option<f64>; 4],
    /// This week's rate minus last week's (`None` when either has no rate).
    pub change: Option<f64>,
}

/// A main cause: a rule or an operator.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    /// Rule id or operator id.
    pub key: String,
    /// The week's findings of it.
    pub findings: u64,
    /// Share of the week's findings.
    pub share: f64,
}

/// A problem common to many operators.
#[derive(Debug, Clone, Serialize)]
pub struct Common {
    /// The error point.
    pub error_point: i64,
    /// Its definition.
    pub title: String,
    /// Distinct operators.
    pub operators: u64,
    /// Their ids, sorted.
    pub operator_ids: Vec<String>,
    /// The week's findings of it.
    pub findings: u64,
}

/// One entry of the training plan.
#[derive(Debug, Clone, Serialize)]
pub struct Training {
    /// The team.
    pub team: String,
    /// `whole_team` or `individual`.
    pub kind: String,
    /// Who: the team's operators with the point (whole team) or the one operator.
    pub operators: Vec<String>,
    /// The error point.
    pub error_point: i64,
    /// Findings of it.
    pub findings: u64,
    /// Cases with findings of it.
    pub cases: u64,
    /// Those cases / the week's cases received.
    pub rate: f64,
    /// Up to three example case ids (smallest first).
    pub examples: Vec<String>,
    /// The topic: the point's definition and origin stage.
    pub topic: String,
}

/// The whole analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Weekly {
    /// The chosen period's label.
    pub week: String,
    /// Whether the period is an ISO week (the page then says "week", else "period").
    pub is_week: bool,
    /// Which date places a case in a week.
    pub date_basis: &'static str,
    /// The settings used.
    pub settings: WeeklySettings,
    /// The four periods, oldest first (the last is the chosen one).
    pub weeks: Vec<Week>,
    /// This week's findings.
    pub findings: u64,
    /// Per error point (points with findings in any of the four periods).
    pub by_error_point: Vec<TrendRow>,
    /// Per checkpoint.
    pub by_checkpoint: Vec<TrendRow>,
    /// Main causes: rules.
    pub top_rules: Vec<Cause>,
    /// Main causes: operators.
    pub top_operators: Vec<Cause>,
    /// Problems common to many operators.
    pub common_problems: Vec<Common>,
    /// The training plan: whole-team entries first, then individual ones.
    pub training_plan: Vec<Training>,
}

/// The title of an error point.
#[must_use]
pub fn point_title(n: i64) -> &'static str {
    ERROR_POINTS
        .iter()
        .find(|e| i64::from(e.0) == n)
        .map_or("", |e| e.1)
}

/// The training topic of an error point: its definition and the stage it comes from.
#[must_use]
pub fn point_topic(n: i64) -> String {
    ERROR_POINTS
        .iter()
        .find(|e| i64::from(e.0) == n)
        .map_or_else(String::new, |e| {
            format!(
                "error point {}: {} (the {} standard)",
                e.0,
                e.1,
                e.2.replace('_', "-")
            )
        })
}

/// The four periods, oldest first, ending with `from..=to`: for a calendar month the three
/// months before it, else the three periods of the same length just before it (for an ISO
/// week, the three ISO weeks before it).
#[must_use]
pub fn periods(from: NaiveDate, to: NaiveDate) -> [(NaiveDate, NaiveDate); 4] {
    if is_month(from, to) {
        std::array::from_fn(|i| {
            let back = chrono::Months::new(u32::try_from(3 - i).unwrap_or_default());
            let a = from.checked_sub_months(back).unwrap_or(from);
            let b = a
                .checked_add_months(chrono::Months::new(1))
                .and_then(|n| n.pred_opt())
                .unwrap_or(a);
            (a, b)
        })
    } else {
        let days = (to - from).num_days() + 1;
        std::array::from_fn(|i| {
            let back = chrono::Duration::days(days * i64::try_from(3 - i).unwrap_or_default());
            (from - back, to - back)
        })
    }
}

/// Whether `from..=to` is one whole calendar month.
fn is_month(from: NaiveDate, to: NaiveDate) -> bool {
    use chrono::Datelike as _;
    from.day() == 1
        && from
            .checked_add_months(chrono::Months::new(1))
            .and_then(|n| n.pred_opt())
            == Some(to)
}

/// Whether `from..=to` is one ISO week, Monday to Sunday.
fn is_iso_week(from: NaiveDate, to: NaiveDate) -> bool {
    use chrono::Datelike as _;
    from.weekday() == chrono::Weekday::Mon && (to - from).num_days() == 6
}

impl Weekly {
    /// The label of `key` for this analysis: a key that names the week (`this_week`, ...)
    /// says "period" instead when the period is not an ISO week.
    #[must_use]
    pub fn label(&self, key: &str) -> &'static str {
        let lookup = |k: &str| LABELS.iter().find(|(x, _)| *x == k).map(|(_, v)| *v);
        if !self.is_week
            && let Some(v) = lookup(&format!("{key}@period"))
        {
            return v;
        }
        lookup(key).unwrap_or("")
    }
}

/// The label of a period: its ISO week when it is one, its month when it is one, else
/// `from..to`.
fn period_label(from: NaiveDate, to: NaiveDate) -> String {
    if is_iso_week(from, to) {
        from.format("%G-W%V").to_string()
    } else if is_month(from, to) {
        from.format("%Y-%m").to_string()
    } else if from == to {
        from.to_string()
    } else {
        format!("{from}..{to}")
    }
}

fn u64s(df: &DataFrame, c: &str) -> PolarsResult<Vec<u64>> {
    Ok(df
        .column(c)?
        .cast(&DataType::UInt64)?
        .u64()?
        .iter()
        .map(|v| v.unwrap_or(0))
        .collect())
}

fn strs(df: &DataFrame, c: &str) -> PolarsResult<Vec<String>> {
    Ok(df
        .column(c)?
        .cast(&DataType::String)?
        .str()?
        .iter()
        .map(|v| v.unwrap_or("").to_owned())
        .collect())
}

fn lists(df: &DataFrame, c: &str) -> PolarsResult<Vec<Vec<String>>> {
    let s = df.column(c)?.list()?.clone();
    (0..s.len())
        .map(|i| {
            let Some(v) = s.get_as_series(i) else {
                return Ok(Vec::new());
            };
            Ok(v.cast(&DataType::String)?
                .str()?
                .iter()
                .flatten()
                .map(str::to_owned)
                .collect())
        })
        .collect()
}

/// Computes the analysis. `cases` has `case_id, received_at` (a datetime); `findings` has
/// `case_id, rule_id, checkpoint, error_point, operator`; `teams` has `operator_id, team`.
/// `(from, to)` is the chosen period.
pub fn analyse(
    cases: &DataFrame,
    findings: &DataFrame,
    teams: &DataFrame,
    (from, to): (NaiveDate, NaiveDate),
    settings: WeeklySettings,
) -> PolarsResult<Weekly> {
    let spans = periods(from, to);
    // Each case's period: 3 = the chosen one, 0 = three before it; others dropped.
    let day = col("received_at").dt().date();
    let period = spans.iter().enumerate().rev().fold(
        lit(NULL).cast(DataType::Int64),
        |rest, (i, (a, b))| {
            let inside = day.clone().gt_eq(lit(*a)).and(day.clone().lt_eq(lit(*b)));
            when(inside)
                .then(lit(i64::try_from(i).unwrap_or_default()))
                .otherwise(rest)
        },
    );
    let placed = cases
        .clone()
        .lazy()
        .select([col("case_id"), period.alias("period")])
        .filter(col("period").is_not_null())
        .unique_stable(Some(cols(["case_id"])), UniqueKeepStrategy::First);
    let received = placed
        .clone()
        .group_by([col("period")])
        .agg([len().cast(DataType::UInt64).alias("received")]);
    let f = findings
        .clone()
        .lazy()
        .select([
            col("case_id"),
            col("rule_id"),
            col("checkpoint"),
            col("error_point"),
            col("operator"),
        ])
        .join(
            placed,
            [col("case_id")],
            [col("case_id")],
            JoinArgs::new(JoinType::Inner),
        );
    let periods = df!("period" => [0i64, 1, 2, 3])?.lazy().join(
        received,
        [col("period")],
        [col("period")],
        JoinArgs::new(JoinType::Left),
    );
    let weeks_df = periods
        .clone()
        .join(
            f.clone().group_by([col("period")]).agg([col("case_id")
                .n_unique()
                .cast(DataType::UInt64)
                .alias("bad")]),
            [col("period")],
            [col("period")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["period"], SortMultipleOptions::default())
        .collect()?;
    let rec = u64s(&weeks_df, "received")?;
    let bad = u64s(&weeks_df, "bad")?;
    let rate = |n: u64, d: u64| (d > 0).then(|| n as f64 / d as f64);
    let weeks: Vec<Week> = (0..4)
        .map(|i| {
            let (a, b) = spans[i];
            Week {
                label: period_label(a, b),
                from: a,
                to: b,
                cases_received: rec[i],
                cases_with_findings: bad[i],
                defect_rate: rate(bad[i], rec[i]),
            }
        })
        .collect();
    let week_received = rec[3];

    // Trend per key: cases with findings of it per period.
    let trend = |key: &str| -> PolarsResult<Vec<TrendRow>> {
        let t = f
            .clone()
            .group_by([col(key), col("period")])
            .agg([col("case_id").n_unique().cast(DataType::UInt64).alias("n")])
            .group_by([col(key)])
            .agg(
                (0..4i64)
                    .map(|p| {
                        col("n")
                            .filter(col("period").eq(lit(p)))
                            .sum()
                            .alias(format!("p{p}"))
                    })
                    .collect::<Vec<_>>(),
            )
            .sort(
                ["p3", key],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .collect()?;
        let keys = strs(&t, key)?;
        let ps: Vec<Vec<u64>> = (0..4)
            .map(|p| u64s(&t, &format!("p{p}")))
            .collect::<PolarsResult<_>>()?;
        Ok(keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                let cases = [ps[0][i], ps[1][i], ps[2][i], ps[3][i]];
                let rates: [Option<f64>; 4] = std::array::from_fn(|p| rate(cases[p], rec[p]));
                let title = if key == "error_point" {
                    k.parse().map_or("", point_title).to_owned()
                } else {
                    String::new()
                };
                TrendRow {
                    key: k,
                    title,
                    cases,
                    change: rates[3].zip(rates[2]).map(|(a, b)| a - b),
                    rates,
                }
            })
            .collect())
    };
    let by_error_point = trend("error_point")?;
    let by_checkpoint = trend("checkpoint")?;

    let week = f.filter(col("period").eq(lit(3i64)));
    let total = week.clone().select([len().alias("n")]).collect()?;
    let findings_n = u64s(&total, "n")?.first().copied().unwrap_or(0);
    let top = |key: &str| -> PolarsResult<Vec<Cause>> {
        let t = week
            .clone()
            .filter(col(key).neq(lit("")))
            .group_by([col(key)])
            .agg([len().cast(DataType::UInt64).alias("n")])
            .sort(
                ["n", key],
                SortMultipleOptions::default().with_order_descending_multi([true, false]),
            )
            .limit(settings.top_causes)
            .collect()?;
        Ok(strs(&t, key)?
            .into_iter()
            .zip(u64s(&t, "n")?)
            .map(|(k, n)| Cause {
                key: k,
                findings: n,
                share: rate(n, findings_n).unwrap_or(0.0),
            })
            .collect())
    };
    let top_rules = top("rule_id")?;
    let top_operators = top("operator")?;

    let with_ops = week.clone().filter(col("operator").neq(lit("")));
    let common = with_ops
        .clone()
        .group_by([col("error_point")])
        .agg([
            col("operator")
                .n_unique()
                .cast(DataType::UInt64)
                .alias("ops"),
            col("operator")
                .unique()
                .sort(SortOptions::default())
                .alias("ids"),
            len().cast(DataType::UInt64).alias("n"),
        ])
        .filter(col("ops").gt_eq(lit(u64::from(settings.common_min_operators))))
        .sort(
            ["ops", "n", "error_point"],
            SortMultipleOptions::default().with_order_descending_multi([true, true, false]),
        )
        .collect()?;
    let common_problems = strs(&common, "error_point")?
        .into_iter()
        .zip(u64s(&common, "ops")?)
        .zip(lists(&common, "ids")?)
        .zip(u64s(&common, "n")?)
        .map(|(((p, ops), ids), n)| {
            let p: i64 = p.parse().unwrap_or(0);
            Common {
                error_point: p,
                title: point_title(p).to_owned(),
                operators: ops,
                operator_ids: ids,
                findings: n,
            }
        })
        .collect();

    // The training plan.
    let teamed = with_ops
        .join(
            teams
                .clone()
                .lazy()
                .select([col("operator_id"), col("team").cast(DataType::String)]),
            [col("operator")],
            [col("operator_id")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("team").fill_null(lit("(no team)")));
    let spread = teamed
        .clone()
        .group_by([col("team"), col("error_point")])
        .agg([col("operator").n_unique().alias("team_ops")]);
    let base = teamed
        .join(
            spread,
            [col("team"), col("error_point")],
            [col("team"), col("error_point")],
            JoinArgs::new(JoinType::Inner),
        )
        .with_columns([col("team_ops")
            .gt_eq(lit(settings.spread_min_operators))
            .alias("whole")])
        .with_column(
            when(col("whole"))
                .then(lit(""))
                .otherwise(col("operator"))
                .alias("who"),
        );
    let plan = base
        .group_by([col("whole"), col("team"), col("error_point"), col("who")])
        .agg([
            len().cast(DataType::UInt64).alias("n"),
            col("case_id")
                .n_unique()
                .cast(DataType::UInt64)
                .alias("cases"),
            col("operator")
                .unique()
                .sort(SortOptions::default())
                .alias("ops"),
            col("case_id")
                .unique()
                .sort(SortOptions::default())
                .head(Some(3))
                .alias("examples"),
        ])
        .sort(
            ["whole", "n", "team", "error_point", "who"],
            SortMultipleOptions::default()
                .with_order_descending_multi([true, true, false, false, false]),
        )
        .collect()?;
    let whole: Vec<bool> = plan
        .column("whole")?
        .bool()?
        .iter()
        .map(|v| v.unwrap_or(false))
        .collect();
    let training_plan = whole
        .into_iter()
        .zip(strs(&plan, "team")?)
        .zip(strs(&plan, "error_point")?)
        .zip(u64s(&plan, "n")?)
        .zip(u64s(&plan, "cases")?)
        .zip(lists(&plan, "ops")?)
        .zip(lists(&plan, "examples")?)
        .map(|((((((w, team), p), n), c), ops), ex)| {
            let p: i64 = p.parse().unwrap_or(0);
            Training {
                team,
                kind: String::from(if w { "whole_team" } else { "individual" }),
                operators: ops,
                error_point: p,
                findings: n,
                cases: c,
                rate: rate(c, week_received).unwrap_or(0.0),
                examples: ex,
                topic: point_topic(p),
            }
        })
        .collect();

    Ok(Weekly {
        week: weeks[3].label.clone(),
        is_week: is_iso_week(from, to),
        date_basis: "received_at",
        settings,
        weeks,
        findings: findings_n,
        by_error_point,
        by_checkpoint,
        top_rules,
        top_operators,
        common_problems,
        training_plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_its_translations() {
        for (key, en) in LABELS {
            for l in [crate::lang::Lang::ZhHant, crate::lang::Lang::ZhHans] {
                assert_ne!(
                    l.tr(en),
                    *en,
                    "{key}: {en:?} has no {l} text in src/lang.tsv"
                );
            }
        }
    }

    fn at(s: &str) -> chrono::NaiveDateTime {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("timestamp")
    }

    /// Nine cases around ISO week 2026-W41 (Mon 10-05 .. Sun 10-11), eight findings, three
    /// teams (OP4 is not in the roster). Every expected figure below is counted by hand in the
    /// comments.
    fn figures(settings: WeeklySettings) -> Weekly {
        let cases = df!(
            "case_id" => ["A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9"],
            "received_at" => [
                at("2026-10-05 09:00"), // W41, its first morning
                at("2026-10-11 23:59"), // W41, its last minute
                at("2026-10-12 00:00"), // W42: after the week, not counted
                at("2026-10-04 17:00"), // W40
                at("2026-10-06 10:00"), // W41
                at("2026-09-14 08:00"), // W38
                at("2026-09-13 12:00"), // W37: before the four weeks
                at("2026-10-07 11:00"), // W41
                at("2026-10-08 15:00"), // W41, clean
            ],
        )
        .expect("cases");
        let findings = df!(
            "case_id" => ["A1", "A1", "A2", "A5", "A8", "A4", "A3", "A6"],
            "rule_id" => ["entry.r1", "entry.r2", "entry.r1", "review.r3", "entry.r1", "entry.r1", "entry.r1", "review.r3"],
            "checkpoint" => ["entry", "entry", "entry", "review", "entry", "entry", "entry", "review"],
            "error_point" => [3i64, 3, 3, 2, 3, 3, 3, 2],
            "operator" => ["OP1", "OP1", "OP2", "OP3", "OP4", "OP1", "OP1", ""],
        )
        .expect("findings");
        let teams = df!(
            "operator_id" => ["OP1", "OP2", "OP3"],
            "team" => ["T1", "T1", "T2"],
        )
        .expect("teams");
        let week = crate::sampling::population::Filters::parse_period("2026-W41").expect("week");
        analyse(&cases, &findings, &teams, week, settings).expect("analyse")
    }

    /// A training entry as compared: kind, team, point, operators, findings, cases, examples.
    type Entry<'a> = (&'a str, &'a str, i64, Vec<String>, u64, u64, Vec<String>);

    const DEFAULTS: WeeklySettings = WeeklySettings {
        spread_min_operators: 2,
        common_min_operators: 3,
        top_causes: 5,
    };

    #[test]
    fn the_four_weeks_count_cases_by_their_received_date_and_an_empty_week_has_no_rate() {
        let w = figures(DEFAULTS);
        let labels: Vec<&str> = w.weeks.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(labels, ["2026-W38", "2026-W39", "2026-W40", "2026-W41"]);
        assert_eq!(w.week, "2026-W41");
        let received: Vec<u64> = w.weeks.iter().map(|k| k.cases_received).collect();
        // W38: A6; W39: none; W40: A4; W41: A1, A2, A5, A8, A9.
        assert_eq!(received, [1, 0, 1, 5]);
        let bad: Vec<u64> = w.weeks.iter().map(|k| k.cases_with_findings).collect();
        assert_eq!(bad, [1, 0, 1, 4]);
        let rates: Vec<Option<f64>> = w.weeks.iter().map(|k| k.defect_rate).collect();
        assert_eq!(rates, [Some(1.0), None, Some(1.0), Some(0.8)]);
        // A1 twice, A2, A5, A8.
        assert_eq!(w.findings, 5);
    }

    #[test]
    fn trends_count_cases_not_findings_and_compare_with_last_week() {
        let w = figures(DEFAULTS);
        let ep: Vec<(&str, [u64; 4])> = w
            .by_error_point
            .iter()
            .map(|r| (r.key.as_str(), r.cases))
            .collect();
        // Point 3 this week: A1 (two findings, one case), A2, A8; in W40: A4.
        assert_eq!(ep, [("3", [0, 0, 1, 3]), ("2", [1, 0, 0, 1])]);
        let p3 = &w.by_error_point[0];
        assert_eq!(p3.rates, [Some(0.0), None, Some(1.0), Some(0.6)]);
        assert!((p3.change.expect("change") - (0.6 - 1.0)).abs() < 1e-12);
        assert_eq!(p3.title, point_title(3));
        let cp: Vec<&str> = w.by_checkpoint.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(cp, ["entry", "review"]);
        assert_eq!(w.by_checkpoint[1].cases, [1, 0, 0, 1]);
    }

    #[test]
    fn main_causes_rank_rules_and_operators_by_the_weeks_findings() {
        let w = figures(DEFAULTS);
        let rules: Vec<(&str, u64)> = w
            .top_rules
            .iter()
            .map(|c| (c.key.as_str(), c.findings))
            .collect();
        assert_eq!(rules, [("entry.r1", 3), ("entry.r2", 1), ("review.r3", 1)]);
        assert!((w.top_rules[0].share - 0.6).abs() < 1e-12);
        let ops: Vec<(&str, u64)> = w
            .top_operators
            .iter()
            .map(|c| (c.key.as_str(), c.findings))
            .collect();
        assert_eq!(ops, [("OP1", 2), ("OP2", 1), ("OP3", 1), ("OP4", 1)]);
        let two = figures(WeeklySettings {
            top_causes: 2,
            ..DEFAULTS
        });
        assert_eq!(two.top_operators.len(), 2);
    }

    #[test]
    fn a_point_made_by_enough_operators_is_a_common_problem() {
        let w = figures(DEFAULTS);
        assert_eq!(w.common_problems.len(), 1);
        let c = &w.common_problems[0];
        assert_eq!((c.error_point, c.operators, c.findings), (3, 3, 4));
        assert_eq!(c.operator_ids, ["OP1", "OP2", "OP4"]);
        let four = figures(WeeklySettings {
            common_min_operators: 4,
            ..DEFAULTS
        });
        assert!(four.common_problems.is_empty());
    }

    #[test]
    fn training_is_for_the_whole_team_when_the_point_is_spread_else_for_the_one_operator() {
        let w = figures(DEFAULTS);
        let plan: Vec<Entry> = w
            .training_plan
            .iter()
            .map(|t| {
                (
                    t.kind.as_str(),
                    t.team.as_str(),
                    t.error_point,
                    t.operators.clone(),
                    t.findings,
                    t.cases,
                    t.examples.clone(),
                )
            })
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            plan,
            [
                // T1: OP1 and OP2 both made point 3 (A1 twice, A2).
                (
                    "whole_team",
                    "T1",
                    3,
                    s(&["OP1", "OP2"]),
                    3,
                    2,
                    s(&["A1", "A2"])
                ),
                // OP4 has no team in the roster.
                ("individual", "(no team)", 3, s(&["OP4"]), 1, 1, s(&["A8"])),
                ("individual", "T2", 2, s(&["OP3"]), 1, 1, s(&["A5"])),
            ]
        );
        assert!((w.training_plan[0].rate - 0.4).abs() < 1e-12);
        assert!(w.training_plan[0].topic.contains(point_title(3)));
        // With three operators needed, T1's point 3 becomes two individual entries.
        let three = figures(WeeklySettings {
            spread_min_operators: 3,
            ..DEFAULTS
        });
        let kinds: Vec<(&str, Vec<String>)> = three
            .training_plan
            .iter()
            .map(|t| (t.kind.as_str(), t.operators.clone()))
            .collect();
        assert_eq!(kinds.len(), 4);
        assert!(kinds.iter().all(|(k, _)| *k == "individual"));
        assert!(kinds.contains(&("individual", s(&["OP1"]))));
        assert!(kinds.contains(&("individual", s(&["OP2"]))));
    }
}
