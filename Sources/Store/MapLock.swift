#if canImport(Glibc)
    import Glibc
#endif

/// Keeps this process's LMDB transactions off the memory map while it is resized.
///
/// LMDB leaves that to the caller: `mdb_env_set_mapsize` refuses while a write transaction of the process is
/// open (so a thread growing a full map failed while another thread's append had begun meanwhile), and it
/// remaps under open read transactions without a word. Every transaction holds the lock shared; a resize takes
/// it exclusive. A thread that already holds it shared (a transaction opened inside another) cannot wait for a
/// resize, which would wait for it: that resize fails instead.
final class MapLock: @unchecked Sendable {
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>
    /// How many times the calling thread holds the lock shared.
    private let depth: pthread_key_t

    init() {
        lock = .allocate(capacity: 1)
        lock.initialize(to: pthread_rwlock_t())
        // Both fail only when the process is out of memory or of thread-specific keys (1,024 stores open at once).
        precondition(pthread_rwlock_init(lock, nil) == 0, "cannot create the store's map lock")
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "cannot create the store's map lock")
        depth = key
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
        pthread_key_delete(depth)
    }

    private var heldByThisThread: Int { Int(bitPattern: pthread_getspecific(depth)) }

    private func setHeld(_ n: Int) { pthread_setspecific(depth, UnsafeRawPointer(bitPattern: n)) }

    /// Runs `body` (which opens a transaction and closes it before returning) with the lock held shared.
    func shared<T>(_ body: () throws -> T) rethrows -> T {
        let held = heldByThisThread
        // Already held by this thread: taking it again could wait behind a queued resize that waits for us.
        if held == 0 { pthread_rwlock_rdlock(lock) }
        setHeld(held + 1)
        defer {
            setHeld(held)
            if held == 0 { pthread_rwlock_unlock(lock) }
        }
        return try body()
    }

    /// Runs `body` with no other transaction of this process open; false (and `body` not run) when the calling
    /// thread has one open itself.
    func exclusive(_ body: () throws -> Void) rethrows -> Bool {
        guard heldByThisThread == 0 else { return false }
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        try body()
        return true
    }
}
