import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Maps over an array on all cores, keeping input order; for CPU-bound per-item work (hash, compress, parse).
public enum ParallelMap {
    /// Work is cut into a few contiguous chunks per core, so tiny items do not pay a dispatch each.
    public static func map<T, U: Sendable>(_ input: [T], _ transform: (T) -> U) -> [U] {
        map(input, state: {}) { _, item in transform(item) }
    }

    /// Like ``map(_:_:)``, with a `State` made once per chunk and passed to every item of the chunk: for
    /// scratch buffers and caches that are worth reusing between items but must not be shared by threads.
    public static func map<T, U: Sendable, State>(
        _ input: [T], state makeState: () -> State, _ transform: (inout State, T) -> U
    ) -> [U] {
        guard input.count > 1 else {
            var state = makeState()
            return input.map { transform(&state, $0) }
        }
        return withoutActuallyEscaping(makeState) { makeState in
            withoutActuallyEscaping(transform) { transform in
                [U](unsafeUninitializedCapacity: input.count) { results, initialized in
                    let chunks = min(input.count, 4 * System.coreCount)
                    let box = UncheckedBox((input, makeState, transform, results))
                    // Each chunk initializes its own disjoint slots of `results`.
                    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                        let (input, makeState, transform, results) = box.value
                        let lower = input.count * chunk / chunks
                        let upper = input.count * (chunk + 1) / chunks
                        var state = makeState()
                        for i in lower..<upper {
                            (results.baseAddress! + i).initialize(to: transform(&state, input[i]))
                        }
                    }
                    initialized = input.count
                }
            }
        }
    }
}

/// Facts about the machine.
enum System {
    static let coreCount = max(1, sysconfCores())

    private static func sysconfCores() -> Int {
        #if canImport(Glibc)
            return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
            return 2
        #endif
    }
}

/// Carries non-Sendable values into `concurrentPerform`, whose iterations touch disjoint slots only.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
