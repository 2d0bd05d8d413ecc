//! The composite score, bands, auto-fail caps, rewards and penalties, rank and trend, and the
//! team and department roll-ups, all as polars expressions over the per-operator frame.
//!
//! With `n` = cases handled, `c, M, m` = critical, major and minor errors and the weights of
//! `config/scorecard.yaml`:
//!
//! ```text
//! errors_per_100_cases = (c + M + m) x 100 / n
//! quality  = max(0, 100 - points_per_weighted_error_per_100_cases x (w_c c + w_M M + w_m m) x 100 / n)
//! checking = catch_rate x 100                  (checkers with catches + misses > 0)
//! rework   = max(0, 100 - points_per_rework_per_100_cases x rework_caused x 100 / n)   (with tasks)
//! volume   = min(100, 100 x n / median n of the team's rated operators)
//! score    = Σ weight_k x component_k / Σ weight_k   over the components that apply, 2 decimals
//! ```
//!
//! An operator is **rated** when `n >= minimum_volume`; others get no score, band, outcome or
//! rank. The band is the first whose `min_score` the score reaches, then capped by every
//! auto-fail condition that holds (a cap is the best band allowed). The outcome is `penalty`
//! when the score is below `penalties.below_score` or a condition with `penalty: true` holds,
//! else `reward` when the score reaches `rewards.min_score` and no condition holds, else
//! `none`. Rank is within the team, best score first, ties sharing the better rank (1, 2, 2, 4).

use polars::prelude::*;

use super::config::{ScorecardConfig, Test};

/// Adds `errors_per_100_cases, catch_rate, score, band, auto_fail, outcome, rank` (and blanks
/// the checker columns of operators who checked nothing). `frame` has one row per operator
/// with `team, cases_handled, findings_*, errors, rework_caused, cases_checked, catches,
/// misses`.
pub fn score(frame: LazyFrame, cfg: &ScorecardConfig, has_tasks: bool) -> PolarsResult<LazyFrame> {
    let n = col("cases_handled").cast(DataType::Float64);
    let per_100 = |e: Expr| {
        when(col("cases_handled").gt(lit(0_i64)))
            .then(e.cast(DataType::Float64) * lit(100.0) / n.clone())
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let [wc, wm, wn] = cfg.severity_weights;
    let weighted = col("findings_critical").cast(DataType::Float64) * lit(wc)
        + col("findings_major").cast(DataType::Float64) * lit(wm)
        + col("findings_minor").cast(DataType::Float64) * lit(wn);
    let k = &cfg.components;
    let is_checker = col("cases_checked")
        .gt(lit(0_i64))
        .or(col("catches").gt(lit(0_i64)))
        .or(col("misses").gt(lit(0_i64)));
    let judged = col("catches") + col("misses");
    let rated = col("cases_handled").gt_eq(lit(cfg.minimum_volume as i64));
    let base = frame.with_columns([
        per_100(col("errors")).alias("errors_per_100_cases"),
        (lit(100.0) - lit(k.quality_points) * per_100(weighted))
            .clip_min(lit(0.0))
            .alias("c_quality"),
        when(judged.clone().gt(lit(0_i64)))
            .then(col("catches").cast(DataType::Float64) / judged.cast(DataType::Float64))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("catch_rate"),
        if has_tasks {
            (lit(100.0) - lit(k.rework_points) * per_100(col("rework_caused"))).clip_min(lit(0.0))
        } else {
            lit(NULL).cast(DataType::Float64)
        }
        .alias("c_rework"),
        rated.alias("rated"),
        is_checker.alias("is_checker"),
    ]);
    let median = col("cases_handled")
        .cast(DataType::Float64)
        .filter(col("rated"))
        .median()
        .over([col("team")])?;
    let with_c = base.with_columns([
        (col("catch_rate") * lit(100.0)).alias("c_checking"),
        when(median.clone().gt(lit(0.0)))
            .then((lit(100.0) * n / median).clip_max(lit(100.0)))
            .otherwise(lit(NULL).cast(DataType::Float64))
            .alias("c_volume"),
    ]);
    let comps: Vec<(&str, f64)> = [
        ("c_quality", k.quality_weight),
        ("c_checking", k.checking_weight),
        ("c_rework", k.rework_weight),
        ("c_volume", k.volume_weight),
    ]
    .into_iter()
    .filter(|(_, w)| *w > 0.0)
    .collect();
    let num = comps
        .iter()
        .map(|(c, w)| (col(*c) * lit(*w)).fill_null(lit(0.0)))
        .reduce(|a, b| a + b)
        .unwrap_or(lit(0.0));
    let den = comps
        .iter()
        .map(|(c, w)| {
            when(col(*c).is_not_null())
                .then(lit(*w))
                .otherwise(lit(0.0))
        })
        .reduce(|a, b| a + b)
        .unwrap_or(lit(0.0));
    let score = when(col("rated").and(den.clone().gt(lit(0.0))))
        .then((num / den).round(2, RoundMode::HalfAwayFromZero))
        .otherwise(lit(NULL).cast(DataType::Float64));
    let scored = with_c.with_column(score.alias("score"));

    // Bands and auto-fail caps, as band indices (0 = best).
    let last = cfg.bands.len() - 1;
    let band_idx = super::cases(
        cfg.bands
            .iter()
            .enumerate()
            .map(|(i, b)| (col("score").gt_eq(lit(b.min_score)), lit(i as i64)))
            .collect(),
        lit(last as i64),
    );
    let flags: Vec<(Expr, &super::config::AutoFail)> = cfg
        .auto_fail
        .iter()
        .map(|a| {
            let m = col(a.metric.as_str()).cast(DataType::Float64);
            let holds = match a.test {
                Test::AtLeast(v) => m.gt_eq(lit(v)),
                Test::Below(v) => m.lt(lit(v)),
            }
            .fill_null(lit(false));
            (holds, a)
        })
        .collect();
    let mut caps = vec![band_idx];
    caps.extend(flags.iter().map(|(f, a)| {
        when(f.clone())
            .then(lit(a.cap_band as i64))
            .otherwise(lit(0_i64))
    }));
    let capped = polars::lazy::dsl::max_horizontal(caps)?;
    let band_name = super::cases(
        cfg.bands
            .iter()
            .enumerate()
            .map(|(i, b)| (col("band_idx").eq(lit(i as i64)), lit(b.name.as_str())))
            .collect(),
        lit(NULL).cast(DataType::String),
    );
    let any_af = flags
        .iter()
        .map(|(f, _)| f.clone())
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    let penalty_af = flags
        .iter()
        .filter(|(_, a)| a.penalty)
        .map(|(f, _)| f.clone())
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    let af_text = if flags.is_empty() {
        lit(NULL).cast(DataType::String)
    } else {
        concat_str(
            flags
                .iter()
                .map(|(f, a)| {
                    when(f.clone())
                        .then(lit(a.name.as_str()))
                        .otherwise(lit(NULL).cast(DataType::String))
                })
                .collect::<Vec<_>>(),
            "; ",
            true,
        )
    };
    let outcome = when(col("score").is_null())
        .then(lit("not rated"))
        .when(col("score").lt(lit(cfg.penalty_below_score)).or(penalty_af))
        .then(lit("penalty"))
        .when(
            col("score")
                .gt_eq(lit(cfg.reward_min_score))
                .and(any_af.clone().not()),
        )
        .then(lit("reward"))
        .otherwise(lit("none"));
    let rank = col("score")
        .rank(
            RankOptions {
                method: RankMethod::Min,
                descending: true,
            },
            None,
        )
        .over([col("team")])?
        .cast(DataType::Int64);
    let blank_unless = |c: &str, cond: Expr, dt: DataType| {
        when(cond)
            .then(col(c))
            .otherwise(lit(NULL).cast(dt))
            .alias(c)
    };
    Ok(scored
        .with_column(
            when(col("score").is_not_null())
                .then(capped)
                .otherwise(lit(NULL).cast(DataType::Int64))
                .alias("band_idx"),
        )
        .with_columns([
            band_name.alias("band"),
            when(af_text.clone().eq(lit("")))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(af_text)
                .alias("auto_fail"),
            outcome.alias("outcome"),
            rank.alias("rank"),
            col("errors_per_100_cases").round(2, RoundMode::HalfAwayFromZero),
            col("catch_rate").round(4, RoundMode::HalfAwayFromZero),
        ])
        .with_columns([
            blank_unless("cases_checked", col("is_checker"), DataType::Int64),
            blank_unless("catches", col("is_checker"), DataType::Int64),
            blank_unless("misses", col("is_checker"), DataType::Int64),
            blank_unless("catch_rate", col("is_checker"), DataType::Float64),
        ]))
}

/// Adds `prev_score` (the previous month's score), `score_change`, `prev3_mean_score` (mean of
/// the scores of the three previous months found) and `trend` (`new` without a previous
/// score, `steady` within `steady_within` points, else `up` or `down`). `history` is
/// `period, operator, score` for the previous months; `prev` is the previous month.
pub fn trend(frame: LazyFrame, history: &DataFrame, prev: &str, steady: f64) -> LazyFrame {
    let h = history.clone().lazy();
    let last = h.clone().filter(col("period").eq(lit(prev))).select([
        col("operator").alias("h_op"),
        col("score").alias("prev_score"),
    ]);
    let three = h
        .group_by([col("operator").alias("h3_op")])
        .agg([col("score")
            .mean()
            .round(2, RoundMode::HalfAwayFromZero)
            .alias("prev3_mean_score")]);
    let change = (col("score") - col("prev_score")).round(2, RoundMode::HalfAwayFromZero);
    frame
        .join(
            last,
            [col("operator")],
            [col("h_op")],
            super::left_ordered(),
        )
        .join(
            three,
            [col("operator")],
            [col("h3_op")],
            super::left_ordered(),
        )
        .with_column(change.alias("score_change"))
        .with_column(
            when(col("score").is_null())
                .then(lit(NULL).cast(DataType::String))
                .when(col("prev_score").is_null())
                .then(lit("new"))
                .when(col("score_change").abs().lt(lit(steady)))
                .then(lit("steady"))
                .when(col("score_change").gt(lit(0.0)))
                .then(lit("up"))
                .otherwise(lit("down"))
                .alias("trend"),
        )
}

/// Team roll-ups, then one `(department)` row: operators, rated operators, cases handled,
/// errors by severity, errors per 100 cases, rework, cases checked, catches, misses, catch
/// rate, mean score of rated operators, rewards, penalties.
pub fn rollups(operators: &DataFrame, has_tasks: bool) -> PolarsResult<DataFrame> {
    let sum = |c: &str| col(c).fill_null(lit(0_i64)).sum().alias(c);
    let aggs = vec![
        len().cast(DataType::Int64).alias("operators"),
        col("score")
            .is_not_null()
            .cast(DataType::Int64)
            .sum()
            .alias("operators_rated"),
        sum("cases_handled"),
        sum("findings_critical"),
        sum("findings_major"),
        sum("findings_minor"),
        sum("errors"),
        sum("rework_caused"),
        sum("cases_checked"),
        sum("catches"),
        sum("misses"),
        col("score")
            .mean()
            .round(2, RoundMode::HalfAwayFromZero)
            .alias("mean_score"),
        col("outcome")
            .eq(lit("reward"))
            .cast(DataType::Int64)
            .sum()
            .alias("rewards"),
        col("outcome")
            .eq(lit("penalty"))
            .cast(DataType::Int64)
            .sum()
            .alias("penalties"),
    ];
    let finish = |lf: LazyFrame| {
        let judged = col("catches") + col("misses");
        lf.with_columns([
            when(col("cases_handled").gt(lit(0_i64)))
                .then(
                    (col("errors").cast(DataType::Float64) * lit(100.0)
                        / col("cases_handled").cast(DataType::Float64))
                    .round(2, RoundMode::HalfAwayFromZero),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("errors_per_100_cases"),
            when(judged.clone().gt(lit(0_i64)))
                .then(
                    (col("catches").cast(DataType::Float64) / judged.cast(DataType::Float64))
                        .round(4, RoundMode::HalfAwayFromZero),
                )
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("catch_rate"),
            if has_tasks {
                col("rework_caused")
            } else {
                lit(NULL).cast(DataType::Int64).alias("rework_caused")
            },
        ])
        .select([
            col("level"),
            col("team"),
            col("operators"),
            col("operators_rated"),
            col("cases_handled"),
            col("findings_critical"),
            col("findings_major"),
            col("findings_minor"),
            col("errors"),
            col("errors_per_100_cases"),
            col("rework_caused"),
            col("cases_checked"),
            col("catches"),
            col("misses"),
            col("catch_rate"),
            col("mean_score"),
            col("rewards"),
            col("penalties"),
        ])
    };
    let teams = finish(
        operators
            .clone()
            .lazy()
            .group_by([col("team")])
            .agg(aggs.clone())
            .with_column(lit("team").alias("level"))
            .sort(["team"], SortMultipleOptions::default()),
    );
    let dept = finish(operators.clone().lazy().select(aggs).with_columns([
        lit("department").alias("level"),
        lit("(department)").alias("team"),
    ]));
    concat([teams, dept], UnionArgs::default())?.collect()
}
