import Dispatch

/// Maps over an array on all cores, keeping input order; for CPU-bound per-item work (hash, compress, parse).
public enum ParallelMap {
    public static func map<T, U: Sendable>(_ input: [T], _ transform: (T) -> U) -> [U] {
        guard input.count > 1 else { return input.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let results = UnsafeMutableBufferPointer<U?>.allocate(capacity: input.count)
            results.initialize(repeating: nil)
            defer { results.deallocate() }
            let box = UncheckedBox((input, transform, results))
            DispatchQueue.concurrentPerform(iterations: input.count) { i in
                let (input, transform, results) = box.value
                results[i] = transform(input[i])
            }
            return results.map { $0! }
        }
    }
}

/// Carries non-Sendable values into `concurrentPerform`, whose iterations touch disjoint slots only.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
