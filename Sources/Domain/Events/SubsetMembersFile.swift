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

    /// Calls `body` with each member's position and instance id, in order; `body` returns false to stop. Throws
    /// for bytes no writer of this format makes (an empty line, an id that is not one, no final `\n`).
    public static func forEach(
        _ bytes: [UInt8], _ body: (_ position: Int, _ instanceID: String) throws -> Bool
    ) throws {
        var position = 0
        var start = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                throw EventDecodingError("the members blob's last line (member \(position)) has no final newline")
            }
            let id = String(decoding: bytes[start..<end], as: UTF8.self)
            do {
                try EventValidation.instanceID(id, "member \(position)")
            } catch {
                throw EventDecodingError("the members blob's line \(position + 1): \(error)")
            }
            guard try body(position, id) else { return }
            position += 1
            start = end + 1
        }
    }
}

extension EventLog {
    /// Calls `body` with each member of the subset version `definition` (its `SubsetDefined` record and event),
    /// by position; `body` returns false to stop.
    ///
    /// A version 2 definition's members are its blob, read once; a version 1 definition's are the
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
        let bytes: [UInt8]
        do {
            bytes = try blob(digest)
        } catch let error as LogError where error.code == .notFound {
            throw LogError(.corrupt, "\(subset) cites members blob \(digest.hex), which is missing")
        }
        var count = 0
        var stopped = false
        do {
            try SubsetMembersFile.forEach(bytes) { position, id in
                count += 1
                if try body(position, id) { return true }
                stopped = true
                return false
            }
        } catch let error as EventDecodingError {
            throw LogError(.corrupt, "\(subset): \(error)")
        }
        guard stopped || count == defined.members else {
            throw LogError(
                .corrupt, "\(subset): its members blob lists \(count) members, the definition says \(defined.members)")
        }
    }
}
