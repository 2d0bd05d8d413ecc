//! Phase timings for profiling: set `POLICYQC_TIMINGS=1` and each phase of a run prints
//! its duration to stderr (see BENCHMARKS.md).

/// Prints how long each phase took to stderr when `POLICYQC_TIMINGS` is set (for profiling;
/// see BENCHMARKS.md).
pub(crate) struct Phases {
    on: bool,
    last: std::time::Instant,
}

impl Phases {
    pub(crate) fn new() -> Self {
        Self {
            on: std::env::var_os("POLICYQC_TIMINGS").is_some(),
            last: std::time::Instant::now(),
        }
    }
    pub(crate) fn done(&mut self, phase: &str) {
        if self.on {
            eprintln!(
                "[timing] {phase:<12} {:>8.3} s",
                self.last.elapsed().as_secs_f64()
            );
        }
        self.last = std::time::Instant::now();
    }
}
