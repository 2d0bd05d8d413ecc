//! Integration tests of `policyqc cycle` and `policyqc status` (and the time-limit rule kinds
//! through `check` and `validate`), run as the built binary on `fixtures/cycle`.
//!
//! Every expected figure comes from `fixtures/cycle/README.md`, where it is computed by hand
//! from the calendar (the arithmetic is repeated in comments here), never from the program's
//! own output.
//!
//! - `case_times`: per-case cycle, waits and own time; stage and operator times; summary
//!   percentiles and SLA compliance; determinism;
//! - `rules`: the time-limit rules' findings, and their validation errors;
//! - `status`: the day's status per stage and operator, reconciliation, stuck cases,
//!   exceptions and exit codes;
//! - `events`: the event log gives the same figures as the task list;
//! - `xes`: the event log as XES gives the same figures as its CSV form;
//! - `bad_data`: bad tasks and calendars are reported with their row or location, counted,
//!   and the run goes on (or stops with --strict);
//! - `derived`: without a task list, tasks come from the cases' stage timestamps.

mod bad_data;
mod case_times;
mod derived;
mod event_log_alone;
mod events;
mod pm4py;
mod rules;
mod status;
mod util;
mod xes;
