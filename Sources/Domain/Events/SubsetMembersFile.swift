public import SmithStore

/// The members blob a `SubsetDefined` (version 2) cites: each member's instance id followed by `\n`, in dataset
/// order (position 0 first).
///
/// Instance ids are printable ASCII without spaces (`EventValidation.instanceID`), so a line is exactly one id.
/// One blob instead of an event per member keeps a subset's transaction (and the memory it takes) small
/// whatever the subset's size.
public enum SubsetMembersFile {
    /// Appends `id`'s line.
    public static func append(_ id: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: id.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Appends `id`'s line to a blob being built.
    public static func append(_ id: String, to blob: inout PreparedBlobBuilder) {
        blob.append(id)
        blob.append(UInt8(ascii: "\n"))
    }

    /// Calls `body` with each member's position and instance id, in order; `body` returns false to stop. Throws
    /// for bytes no writer of this format makes (an empty line, an id that is not one, no final `\n`).
    public static func forEach(
        _ bytes: [UInt8], _ body: (_ position: Int, _ instanceID: String) throws -> Bool
    ) throws {
        var lines = Lines()
        let more = try bytes.withUnsafeBytes { try lines.feed($0, body) }
        if more { try lines.finish() }
    }

    /// The members of a blob read piece by piece (``EventLog/forEachBlobPiece(_:_:)``): a line may be split
    /// across pieces, so its start is kept until its end arrives.
    public struct Lines {
        private var carry: [UInt8] = []
        /// The position of the next member.
        public private(set) var position = 0

        public init() {}

        /// Calls `body` with each member that ends in `piece`; false once `body` has returned false.
        public mutating func feed(
            _ piece: UnsafeRawBufferPointer, _ body: (_ position: Int, _ instanceID: String) throws -> Bool
        ) throws -> Bool {
            var start = 0
            while start < piece.count {
                guard let end = piece[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                    carry.append(contentsOf: piece[start...])
                    return true
                }
                let id: String
                if carry.isEmpty {
                    id = String(decoding: piece[start..<end], as: UTF8.self)
                } else {
                    carry.append(contentsOf: piece[start..<end])
                    id = String(decoding: carry, as: UTF8.self)
                    carry.removeAll(keepingCapacity: true)
                }
                do {
                    try EventValidation.instanceID(id, "member \(position)")
                } catch {
                    throw EventDecodingError("the members blob's line \(position + 1): \(error)")
                }
                guard try body(position, id) else { return false }
                position += 1
                start = end + 1
            }
            return true
        }

        /// Throws if the last line had no final newline.
        public func finish() throws {
            guard carry.isEmpty else {
                throw EventDecodingError("the members blob's last line (member \(position)) has no final newline")
            }
        }
    }
}

extension EventLog {
    /// Calls `body` with each member of the subset version `definition` (its `SubsetDefined` record and event),
    /// by position; `body` returns false to stop.
    ///
    /// A version 2 definition's members are its blob, read once as a stream (``EventLog/forEachBlobPiece(_:_:)``); a version 1 definition's are the
    /// `InstanceSelected` events of its stream that name it (collected, then sorted by position). A missing or
    /// unreadable members blob, or one whose count is not the definition's, is `LogError(.corrupt)`.
    public func forEachSubsetMember(
        of definition: RecordedEvent, _ defined: SubsetDefined,
        _ body: (_ position: Int, _ instanceID: String) throws -> Bool
    ) throws {
        guard let digest = defined.membersSHA256 else {
            var members: [(position: Int, instance: String)] = []
            try forEach(InstanceSelected.self, stream: StreamName.subset(defined.name)) { _, m in
                if m.definition == definition.id { members.append((m.position, m.instanceID)) }
                return true
            }
            members.sort { $0.position < $1.position }
            for m in members where !(try body(m.position, m.instance)) { return }
            return
        }
        let subset = "subset \(defined.name) (event \(definition.seq))"
        var count = 0
        var stopped = false
        var lines = SubsetMembersFile.Lines()
        // `body`'s own errors pass through as they are.
        var bodyError: (any Error)?
        do {
            // Read piece by piece: a subset of 100k members is a 5 MB list, never held whole.
            try forEachBlobPiece(digest) { piece in
                let more = try lines.feed(piece) { position, id in
                    count += 1
                    let more: Bool
                    do {
                        more = try body(position, id)
                    } catch {
                        bodyError = error
                        throw error
                    }
                    if more { return true }
                    stopped = true
                    return false
                }
                return more
            }
            if !stopped { try lines.finish() }
        } catch {
            if let bodyError { throw bodyError }
            if let error = error as? LogError, error.code == .notFound {
                throw LogError(.corrupt, "\(subset) cites members blob \(digest.hex), which is missing")
            }
            if let error = error as? EventDecodingError { throw LogError(.corrupt, "\(subset): \(error)") }
            throw error
        }
        guard stopped || count == defined.members else {
            throw LogError(
                .corrupt, "\(subset): its members blob lists \(count) members, the definition says \(defined.members)")
        }
    }
}
