import SmithDomain
import SmithStore

/// Appends that claim a name: the one place ingests append with a `NameClaim`.
enum LogAppend {
    /// Appends `events` and `blobs` in one transaction; with a claim, only if no other process recorded a version
    /// of the claimed name since the command decided (else `NameError(.changedMeanwhile)` and nothing is written).
    static func appendClaimed(
        _ log: EventLog, _ events: [NewEvent], blobs: [PreparedBlob], claim: NameClaim?
    ) throws -> [AppendOutcome] {
        guard let claim else { return try log.append(events, blobs: blobs) }
        // Checked inside the write transaction: no other writer can commit between the check and this batch.
        return try log.append(events, blobs: blobs, checking: { try claim.check($0) })
    }

    /// ``appendClaimed(_:_:blobs:claim:)`` for `count` events made a chunk at a time by `events` (see
    /// `EventLog.append(count:blobs:checking:events:)`): one transaction, without the batch held whole.
    static func appendClaimed(
        _ log: EventLog, count: Int, blobs: [PreparedBlob], claim: NameClaim?,
        events: (Range<Int>) throws -> [NewEvent]
    ) throws -> [AppendOutcome] {
        guard let claim else { return try log.append(count: count, blobs: blobs, events: events) }
        return try log.append(count: count, blobs: blobs, checking: { try claim.check($0) }, events: events)
    }
}
