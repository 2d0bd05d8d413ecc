//! The scorecard's queries on the history: earlier months' scores for the trend.

use polars::prelude::*;

use super::{History, HistoryError};

/// The kind of a scorecard run in `runs`.
pub const KIND: &str = "scorecard";

/// The scores recorded for the given periods: a frame `period, operator, score` (score empty
/// for operators who were not rated), sorted by period and operator.
pub fn operator_scores(h: &History, periods: &[String]) -> Result<DataFrame, HistoryError> {
    let mut period = Vec::new();
    let mut operator = Vec::new();
    let mut score: Vec<Option<f64>> = Vec::new();
    let mut stmt = h.sql(h.connection().prepare(
        "SELECT period, operator, score FROM scorecard_operators
         WHERE period = ?1 ORDER BY operator",
    ))?;
    for p in periods {
        let rows = h.sql(stmt.query_map([p], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<f64>>(2)?,
            ))
        }))?;
        for row in rows {
            let (a, b, c) = h.sql(row)?;
            period.push(a);
            operator.push(b);
            score.push(c);
        }
    }
    Ok(df!("period" => period, "operator" => operator, "score" => score)?)
}

/// The periods of scorecard runs in the history, ascending.
pub fn periods(h: &History) -> Result<Vec<String>, HistoryError> {
    let mut stmt = h.sql(
        h.connection()
            .prepare("SELECT period FROM runs WHERE kind = ?1 ORDER BY period"),
    )?;
    let rows = h.sql(stmt.query_map([KIND], |r| r.get::<_, String>(0)))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(h.sql(r)?);
    }
    Ok(out)
}
