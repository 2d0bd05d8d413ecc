//! The terminal summary of a check: cases read and accounted for, cases with findings, the
//! error rate per checkpoint and severity, the worst rules and operators, alerts.

use std::fmt::Write;

use crate::check::CheckResult;
use crate::metrics::rate;

/// Operators with fewer cases than this are left out of the "worst operators" list.
pub const MIN_OPERATOR_CASES: u64 = 20;

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// Renders the summary.
#[must_use]
pub fn summary(r: &CheckResult) -> String {
    let c = &r.case_rates;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "policyqc check: {} rules ({}), cases from {}",
        r.rules.rules.len(),
        r.rules.origin,
        r.cases_file
    );
    if !r.not_evaluated.is_empty() {
        let total = r.rules.rules.len() + r.not_evaluated.len();
        let _ = writeln!(
            s,
            "rules evaluated     {:>8}  of {total}; findings, the QC sheet and every rate count only these",
            r.rules.rules.len()
        );
        for line in crate::rules::needs::grouped_lines(&r.not_evaluated) {
            let _ = writeln!(s, "  {line}");
        }
    }
    let _ = writeln!(s, "cases read          {:>8}", r.cases_read);
    let _ = writeln!(
        s,
        "cases accounted for {:>8}{}",
        c.cases,
        if c.cases == r.cases_read {
            "  (all)"
        } else {
            "  (MISMATCH)"
        }
    );
    let _ = writeln!(
        s,
        "cases with findings {:>8}  case defect rate {}",
        c.with_findings,
        pct(c.defect_rate())
    );
    let _ = writeln!(
        s,
        "findings            {:>8}",
        r.evaluation.findings.height()
    );
    if !r.data_issues.is_empty() {
        let _ = writeln!(
            s,
            "data findings       {:>8}  values that could not be read or duplicate ids: see data_findings.csv",
            r.data_issues.len()
        );
    }
    let _ = writeln!(s, "\ncases with findings by checkpoint");
    for (cp, n) in &c.by_checkpoint {
        let _ = writeln!(s, "  {cp:<14}{n:>8}  {:>7}", pct(rate(*n, c.cases)));
    }
    let _ = writeln!(s, "cases with findings by severity");
    for (sev, n) in &c.by_severity {
        let _ = writeln!(
            s,
            "  {:<14}{n:>8}  {:>7}",
            sev.name(),
            pct(rate(*n, c.cases))
        );
    }
    let mut rules: Vec<_> = r.rule_rates.iter().filter(|x| x.failed > 0).collect();
    rules.sort_by(|a, b| b.failed.cmp(&a.failed).then(a.index.cmp(&b.index)));
    if !rules.is_empty() {
        let _ = writeln!(s, "\nworst rules (cases failed / applicable)");
        for x in rules.iter().take(5) {
            let rule = &r.rules.rules[x.index];
            let _ = writeln!(
                s,
                "  {:<44}{:>6} / {:<7}{:>7}  EP{:<3}{}",
                rule.id,
                x.failed,
                x.applicable,
                pct(x.error_rate()),
                rule.error_point,
                rule.severity.name()
            );
        }
    }
    let mut ops: Vec<_> = r
        .operator_rates
        .iter()
        .filter(|o| o.findings > 0 && o.cases_worked >= MIN_OPERATOR_CASES)
        .collect();
    ops.sort_by(|a, b| {
        b.error_rate()
            .total_cmp(&a.error_rate())
            .then(a.stage.cmp(&b.stage))
            .then(a.operator.cmp(&b.operator))
    });
    if !ops.is_empty() {
        let _ = writeln!(
            s,
            "\nworst operators (findings / cases worked at the stage, at least {MIN_OPERATOR_CASES} cases)"
        );
        for o in ops.iter().take(5) {
            let _ = writeln!(
                s,
                "  {:<14}{:<10}{:>6} / {:<7}{:>7}",
                o.stage,
                o.operator,
                o.findings,
                o.cases_worked,
                pct(o.error_rate())
            );
        }
    }
    if r.alerts.is_empty() {
        let _ = writeln!(s, "\nthresholds: none breached");
    } else {
        let _ = writeln!(s, "\nALERTS: {} threshold(s) breached", r.alerts.len());
        for a in &r.alerts {
            let _ = writeln!(
                s,
                "  {}: {} = {} > {} ({} cases)",
                a.threshold,
                a.subject,
                pct(a.value),
                pct(a.max),
                a.cases
            );
        }
    }
    s
}
