//! The task list (SCHEMA.md `tasks`): one row per task a case went through, as the policy
//! system logs it, derived from the case's full timeline (after any planted error) and cut
//! at the export moment.
//!
//! | stage | operator | assigned | completed | outcome |
//! |---|---|---|---|---|
//! | intake | intake clerk | received | registered | done |
//! | review | reviewer | registered | query opened | queried (when a query is raised) |
//! | query | reviewer (who must close it) | query opened | query closed (the customer answered) | done |
//! | review | reviewer | answer (or when review resumed) | reviewed | done |
//! | entry | servicing clerk | reviewed | referred | referred (when referred) |
//! | referral | the department (`underwriting` or `finance`) | referred | returned | done |
//! | entry | servicing clerk | returned / reviewed | entered | done |
//! | `double_check` | checker | entered | returned to entry | returned (rework; then entry and `double_check` again) |
//! | `double_check` | checker | entered | checked | done |
//! | binding | binding clerk | checked | bound | done |
//! | printing | printer | bound | printed | done |
//!
//! `started_at` is when the operator picked the task up: waiting time is assigned -> started,
//! handling time started -> completed. At the export moment tasks not yet assigned are
//! absent; a task in progress has no `completed_at` (and no outcome), one still queued no
//! `started_at`. A planted error can put a completion before its assignment (a double-check
//! signed off before entry finished): the task then has no `started_at`.

use chrono::NaiveDateTime;

use super::cases::{Case, F, Process};

/// Who held a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// An operator of the roster (index).
    Op(usize),
    /// Another department.
    Dept(&'static str),
}

/// One task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// intake, review, query, entry, referral, `double_check`, binding, printing.
    pub stage: &'static str,
    /// Who held it.
    pub holder: Holder,
    /// Assigned.
    pub assigned: NaiveDateTime,
    /// Started (missing when still queued).
    pub started: Option<NaiveDateTime>,
    /// Completed (missing when in progress).
    pub completed: Option<NaiveDateTime>,
    /// done, returned, queried, referred (missing when in progress).
    pub outcome: Option<&'static str>,
}

struct Builder {
    cutoff: NaiveDateTime,
    out: Vec<Task>,
}

impl Builder {
    fn push(
        &mut self,
        stage: &'static str,
        holder: Option<Holder>,
        assigned: Option<NaiveDateTime>,
        started: Option<NaiveDateTime>,
        completed: Option<NaiveDateTime>,
        outcome: &'static str,
    ) {
        let (Some(holder), Some(assigned)) = (holder, assigned) else {
            return;
        };
        if assigned > self.cutoff {
            return;
        }
        let started = match (started, completed) {
            (_, Some(c)) if c < assigned => None,
            (Some(s), Some(c)) => Some(s.clamp(assigned, c)),
            (Some(s), None) => Some(s.max(assigned)),
            (None, _) => None,
        };
        let completed = completed.filter(|c| *c <= self.cutoff);
        self.out.push(Task {
            stage,
            holder,
            assigned,
            started: started.filter(|s| *s <= self.cutoff),
            completed,
            outcome: completed.map(|_| outcome),
        });
    }
}

/// The task list of a case: `full` is its whole timeline with planted errors applied.
#[must_use]
pub fn build(full: &Case, p: &Process, cutoff: NaiveDateTime) -> Vec<Task> {
    let mut tl = Builder {
        cutoff,
        out: Vec::with_capacity(10),
    };
    let op = |f: F| full.op(f).map(Holder::Op);
    let s = &p.starts;
    tl.push(
        "intake",
        op(F::IntakeOperator),
        full.dt(F::ReceivedAt),
        s.intake,
        full.dt(F::RegisteredAt),
        "done",
    );

    let reg = full.dt(F::RegisteredAt);
    if let Some(qo) = full.dt(F::QueryOpenedAt) {
        let qc = full.dt(F::QueryClosedAt);
        tl.push(
            "review",
            op(F::Reviewer),
            reg,
            s.review1,
            Some(qo),
            "queried",
        );
        tl.push("query", op(F::Reviewer), Some(qo), Some(qo), qc, "done");
        // Review resumes on the answer, or without it when the reviewer went ahead.
        let resumed = match (qc, s.review2) {
            (Some(c), Some(r)) if c <= r => Some(c),
            (_, r) => r,
        };
        tl.push(
            "review",
            op(F::Reviewer),
            resumed,
            s.review2,
            full.dt(F::ReviewedAt),
            "done",
        );
    } else {
        tl.push(
            "review",
            op(F::Reviewer),
            reg,
            s.review1,
            full.dt(F::ReviewedAt),
            "done",
        );
    }

    let rev = full.dt(F::ReviewedAt);
    let (mut assigned, mut started) = (rev, s.entry1);
    if let (Some(dept), Some(referred)) = (full.text(F::ReferralDept), full.dt(F::ReferredAt)) {
        let dept = match dept {
            "underwriting" => "underwriting",
            _ => "finance",
        };
        tl.push(
            "entry",
            op(F::EntryOperator),
            rev,
            s.entry1,
            Some(referred),
            "referred",
        );
        tl.push(
            "referral",
            Some(Holder::Dept(dept)),
            Some(referred),
            s.referral,
            full.dt(F::ReferralReturnedAt),
            "done",
        );
        (assigned, started) = (full.dt(F::ReferralReturnedAt), s.entry2);
    }
    if let Some(rw) = p.rework {
        tl.push(
            "entry",
            op(F::EntryOperator),
            assigned,
            started,
            Some(rw.ent1),
            "done",
        );
        tl.push(
            "double_check",
            op(F::Checker),
            Some(rw.ent1),
            Some(rw.check1_started),
            Some(rw.returned),
            "returned",
        );
        (assigned, started) = (Some(rw.returned), Some(rw.reentry_started));
    }
    tl.push(
        "entry",
        op(F::EntryOperator),
        assigned,
        started,
        full.dt(F::EnteredAt),
        "done",
    );
    tl.push(
        "double_check",
        op(F::Checker),
        full.dt(F::EnteredAt),
        s.check,
        full.dt(F::CheckedAt),
        "done",
    );
    tl.push(
        "binding",
        op(F::Binder),
        p.check_done,
        s.bind,
        full.dt(F::BoundAt),
        "done",
    );
    tl.push(
        "printing",
        op(F::Printer),
        full.dt(F::BoundAt),
        s.print,
        full.dt(F::PrintedAt),
        "done",
    );
    tl.out
}
