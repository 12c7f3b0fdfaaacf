import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Maps over an array on all cores, keeping input order; for CPU-bound per-item work (hash, compress, parse).
public enum ParallelMap {
    /// Work is cut into a few contiguous chunks per core, so tiny items do not pay a dispatch each.
    public static func map<T, U: Sendable>(_ input: [T], _ transform: (T) -> U) -> [U] {
        guard input.count > 1 else { return input.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let results = UnsafeMutableBufferPointer<U?>.allocate(capacity: input.count)
            results.initialize(repeating: nil)
            defer {
                results.deinitialize()
                results.deallocate()
            }
            let chunks = min(input.count, 4 * System.coreCount)
            let box = UncheckedBox((input, transform, results))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let (input, transform, results) = box.value
                let lower = input.count * chunk / chunks
                let upper = input.count * (chunk + 1) / chunks
                for i in lower..<upper { results[i] = transform(input[i]) }
            }
            return results.map { $0! }
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
