//! The terminal summary of a check: cases read and accounted for, cases with findings, the
//! error rate per checkpoint and severity, the worst rules and operators, alerts.

use std::fmt::Write;

use crate::check::CheckResult;
use crate::lang::Lang;
use crate::metrics::rate;

/// Operators with fewer cases than this are left out of the "worst operators" list.
pub const MIN_OPERATOR_CASES: u64 = 20;

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// Renders the summary with its labels in `l`.
#[must_use]
pub fn summary(r: &CheckResult, l: Lang) -> String {
    let c = &r.case_rates;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}",
        l.f(
            "policyqc check: {} rules ({}), cases from {}",
            &[&r.rules.rules.len(), &l.tr(&r.rules.origin), &r.cases_file]
        )
    );
    if !r.not_evaluated.is_empty() {
        let total = r.rules.rules.len() + r.not_evaluated.len();
        let _ = writeln!(
            s,
            "{}{:>8}  {}",
            pad(l.t("rules evaluated"), 20),
            r.rules.rules.len(),
            l.f(
                "of {}; findings, the QC sheet and every rate count only these",
                &[&total]
            )
        );
        for line in crate::rules::needs::grouped_lines(&r.not_evaluated) {
            let _ = writeln!(s, "  {line}");
        }
    }
    let _ = writeln!(s, "{}{:>8}", pad(l.t("cases read"), 20), r.cases_read);
    let _ = writeln!(
        s,
        "{}{:>8}  {}",
        pad(l.t("cases accounted for"), 20),
        c.cases,
        if c.cases == r.cases_read {
            l.t("(all)")
        } else {
            l.t("(MISMATCH)")
        }
    );
    let _ = writeln!(
        s,
        "{}{:>8}  {} {}",
        pad(l.t("cases with findings"), 20),
        c.with_findings,
        l.t("case defect rate"),
        pct(c.defect_rate())
    );
    let _ = writeln!(
        s,
        "{}{:>8}",
        pad(l.t("findings"), 20),
        r.evaluation.findings.height()
    );
    if !r.data_issues.is_empty() {
        let _ = writeln!(
            s,
            "{}{:>8}  {}",
            pad(l.t("data findings"), 20),
            r.data_issues.len(),
            l.t("values that could not be read or duplicate ids: see data_findings.csv")
        );
    }
    let _ = writeln!(s, "\n{}", l.t("cases with findings by checkpoint"));
    for (cp, n) in &c.by_checkpoint {
        let _ = writeln!(
            s,
            "  {}{n:>8}  {:>7}",
            pad(l.tr(cp), 14),
            pct(rate(*n, c.cases))
        );
    }
    let _ = writeln!(s, "{}", l.t("cases with findings by severity"));
    for (sev, n) in &c.by_severity {
        let _ = writeln!(
            s,
            "  {}{n:>8}  {:>7}",
            pad(l.tr(sev.name()), 14),
            pct(rate(*n, c.cases))
        );
    }
    let mut rules: Vec<_> = r.rule_rates.iter().filter(|x| x.failed > 0).collect();
    rules.sort_by(|a, b| b.failed.cmp(&a.failed).then(a.index.cmp(&b.index)));
    if !rules.is_empty() {
        let _ = writeln!(s, "\n{}", l.t("worst rules (cases failed / applicable)"));
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
                l.tr(rule.severity.name())
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
            "\n{}",
            l.f(
                "worst operators (findings / cases worked at the stage, at least {} cases)",
                &[&MIN_OPERATOR_CASES]
            )
        );
        for o in ops.iter().take(5) {
            let _ = writeln!(
                s,
                "  {}{:<10}{:>6} / {:<7}{:>7}",
                pad(l.tr(&o.stage), 14),
                o.operator,
                o.findings,
                o.cases_worked,
                pct(o.error_rate())
            );
        }
    }
    if r.alerts.is_empty() {
        let _ = writeln!(s, "\n{}", l.t("thresholds: none breached"));
    } else {
        let _ = writeln!(
            s,
            "\n{}",
            l.f("ALERTS: {} threshold(s) breached", &[&r.alerts.len()])
        );
        for a in &r.alerts {
            let _ = writeln!(
                s,
                "  {}",
                l.f(
                    "{}: {} = {} > {} ({} cases)",
                    &[
                        &a.threshold,
                        &a.subject,
                        &pct(a.value),
                        &pct(a.max),
                        &a.cases
                    ]
                )
            );
        }
    }
    s
}

/// `text` padded with spaces to `width` terminal columns (a CJK character takes two), so the
/// columns line up in every language; longer text is left as it is.
#[must_use]
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// `text` right-aligned in `width` terminal columns (see [`pad`]).
#[must_use]
pub fn lpad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

#[cfg(test)]
mod tests {
    use super::{lpad, pad};

    #[test]
    fn padding_counts_a_cjk_character_as_two_columns() {
        assert_eq!(pad("cases read", 14), "cases read    ");
        assert_eq!(pad("讀入案件", 14), "讀入案件      ");
        assert_eq!(pad("a long label here", 4), "a long label here");
        assert_eq!(lpad("p90", 6), "   p90");
        assert_eq!(lpad("中位數", 9), "   中位數");
    }
}
