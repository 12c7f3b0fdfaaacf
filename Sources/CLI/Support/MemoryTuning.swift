import CMalloc

/// Process-wide allocator settings, applied before any command runs.
enum MemoryTuning {
    /// Buffers of 1 MB and more (whole .traj files, dataset files, compression outputs) are mapped and
    /// returned to the system on free. glibc otherwise raises that threshold as big buffers are freed and
    /// serves later ones from its heaps, which then stay fragmented: an ingest's heap drifted up with the
    /// number of files read (measured: 29 → 43 MB from 200 to 800 trajectories; 18 → 25 MB with this).
    static func apply() {
        // A refusal only costs memory, so its result is not checked.
        _ = smith_malloc_set_mmap_threshold(1 << 20)
        // Two arenas for two cores: glibc's default (8 per core) gives each worker thread a heap of its own,
        // each keeping its own free memory.
        _ = smith_malloc_set_arena_max(2)
    }
}
