//! Phase timings for profiling: set `POLICYQC_TIMINGS=1` and each phase of a run prints
//! its duration, and the process's resident and peak memory after it, to stderr (see
//! BENCHMARKS.md).

/// Set by the global `--verbose`: phase lines as with `POLICYQC_TIMINGS`.
static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Turns the phase lines on for the whole run (`--verbose`).
pub(crate) fn set_verbose(on: bool) {
    VERBOSE.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Prints how long each phase took to stderr when `POLICYQC_TIMINGS` is set (for profiling;
/// see BENCHMARKS.md).
pub(crate) struct Phases {
    on: bool,
    last: std::time::Instant,
}

impl Phases {
    pub(crate) fn new() -> Self {
        Self {
            on: std::env::var_os("POLICYQC_TIMINGS").is_some()
                || VERBOSE.load(std::sync::atomic::Ordering::Relaxed),
            last: std::time::Instant::now(),
        }
    }
    pub(crate) fn done(&mut self, phase: &str) {
        if self.on {
            let (rss, peak) = memory_mb();
            eprintln!(
                "[timing] {phase:<12} {:>8.3} s {rss:>6} MB resident {peak:>6} MB peak",
                self.last.elapsed().as_secs_f64()
            );
        }
        self.last = std::time::Instant::now();
    }
}

/// The process's resident and peak resident memory in MB (Linux; 0 elsewhere).
fn memory_mb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}
