import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A .traj file to export and the instance id its line gets.
public struct SFTTrajectoryFile: Sendable, Hashable {
    public var instanceId: String
    public var path: String

    public init(instanceId: String, path: String) {
        self.instanceId = instanceId
        self.path = path
    }
}

extension SFTTransform {
    /// The lines for many .traj files, made on `threads` threads; results keep the input order.
    ///
    /// Each file is mapped (not copied) while it is transformed. A file that cannot be read gives
    /// an ``SFTError`` of kind ``SFTError/Kind/unreadable`` in its slot; the others are unaffected.
    public func lines(
        forFiles files: [SFTTrajectoryFile], validation: SFTValidation = .full, threads: Int = 0
    ) -> [Result<[UInt8], SFTError>] {
        let results = ResultSlots(count: files.count)
        let workers = max(1, min(files.count, threads > 0 ? threads : Self.processorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            // Interleaved indices keep big and small files spread over the workers.
            for index in stride(from: worker, to: files.count, by: workers) {
                let file = files[index]
                results[index] = Result { () throws(SFTError) in
                    try MappedFile.withBytes(path: file.path) { (bytes) throws(SFTError) in
                        try line(for: bytes, instanceId: file.instanceId, validation: validation)
                    }
                }
            }
        }
        return results.values
    }

    private static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// Per-index result storage written by concurrent workers, each index by exactly one worker;
/// read only after all of them have finished.
private final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Result<[UInt8], SFTError>>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: .success([]))
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    subscript(index: Int) -> Result<[UInt8], SFTError> {
        get { slots[index] }
        set { slots[index] = newValue }
    }

    var values: [Result<[UInt8], SFTError>] { Array(slots) }
}
