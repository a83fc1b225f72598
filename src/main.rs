fn main() -> std::process::ExitCode {
    bound_freed_activations();
    dajian::cli::main()
}

/// Model activations (tens of MB for an A4 page) are allocated and freed
/// on every page. glibc raises its mmap threshold after the first such
/// free and from then on keeps them in per-thread arenas, so RSS grew
/// with every application read in parallel (817 MB over 8 test
/// applications, 2 in flight). A fixed 16 MB threshold maps the largest
/// buffers and returns them when freed (docs/benchmarks.md, "Memory").
fn bound_freed_activations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called once, before
    // any thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 << 20);
    }
}
