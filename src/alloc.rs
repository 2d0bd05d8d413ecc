//! Allocator settings for the `policyqc` binary and the benches (both use mimalloc).

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (the v3 sources libmimalloc-sys
/// builds); libmimalloc-sys does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `mi_option_allow_thp`, likewise.
const MI_OPTION_ALLOW_THP: libmimalloc_sys::mi_option_t = 43;

/// The allocator settings of the binary and the benches: `keep_freed_memory` and
/// `no_huge_pages`. Call first thing in `main`.
pub fn configure() {
    keep_freed_memory();
    no_huge_pages();
}

/// Keeps freed memory for reuse instead of handing it back to the OS after a second
/// (mimalloc's `purge_delay` set to -1). A run frees and allocates gigabytes of column
/// buffers; memory handed back is zeroed again by the kernel when it is touched next, and
/// on the benchmark machine (a VM) that costs about 1 s per GB (BENCHMARKS.md). The price is
/// that the process keeps its peak memory until it exits. `MIMALLOC_PURGE_DELAY`, when set,
/// still decides.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` stores an option value; it takes no pointers and is safe to
        // call at any time from any thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}

/// Turns transparent huge pages off for the process, as mimalloc's `allow_thp=0` would
/// (mimalloc reads that option when it starts, before `main`, so the binary makes the same
/// `prctl` call itself). mimalloc otherwise asks the kernel for 2 MB pages, and the first
/// touch of each zeroes all of it: on the benchmark machine (a VM) page zeroing was 47% of
/// the CPU time of `check` on 1M cases. Without huge pages, three alternating runs of
/// `check` took 3.2-4.0 s instead of 4.4-6.3 s, with 140 MB less peak memory (BENCHMARKS.md).
/// `MIMALLOC_ALLOW_THP`, when set, still decides.
#[allow(unsafe_code)]
fn no_huge_pages() {
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` as above.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_ALLOW_THP, 0) };
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes a flag of this process.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// `policyqc rules --format json | head`: a closed pipe ends the program quietly, as it does
/// `cat`, instead of a panic on the next print (Rust ignores SIGPIPE by default).
#[allow(unsafe_code)]
pub(crate) fn default_sigpipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: restores the default disposition of one signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
