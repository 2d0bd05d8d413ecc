//! Allocator settings for the `policyqc` binary and the benches (both use mimalloc).

/// `mi_option_purge_delay` in mimalloc's `mimalloc.h` (the v3 sources libmimalloc-sys
/// builds); libmimalloc-sys does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for reuse instead of handing it back to the OS after a second
/// (mimalloc's `purge_delay` set to -1). A run frees and allocates gigabytes of column
/// buffers; memory handed back is zeroed again by the kernel when it is touched next, and
/// on the benchmark machine (a VM) that costs about 1 s per GB (BENCHMARKS.md). The price is
/// that the process keeps its peak memory until it exits. `MIMALLOC_PURGE_DELAY`, when set,
/// still decides.
#[allow(unsafe_code)]
pub fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: `mi_option_set` stores an option value; it takes no pointers and is safe to
        // call at any time from any thread.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}
