//! The HTML pages rendered in a real browser (headless Chromium): no console message, no
//! network request, the figures in the rendered DOM equal the run's own JSON, charts drawn,
//! and case data holding markup shown as text.
//!
//! Chromium is looked up on PATH (`chromium`, `chromium-browser`); `.ci/run` installs it.
//! Without it the tests print "skipped" and pass, except under CI (`CI` set), where they
//! fail. Screenshots land in `target/html-screenshots/` for a person to look at.
//!
//! - `browser`: running Chromium and reading back the DOM, console and network log (with a
//!   test that the checks catch a page that breaks them);
//! - `audit`: `audit.html` of `policyqc sample` and `policyqc verdicts import`;
//! - `nightly`: `report.html` of `policyqc check`;
//! - `cycle`: `cycle.html` of `policyqc cycle`;
//! - `scorecard`: `scorecard.html` of `policyqc scorecard`;
//! - `weekly`: `weekly.html` of `policyqc report weekly`;
//! - `support`: running a command and reading its outputs.

mod audit;
mod browser;
mod cycle;
mod nightly;
mod scorecard;
mod support;
mod weekly;
