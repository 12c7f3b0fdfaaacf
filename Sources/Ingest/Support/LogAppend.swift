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
        // TODO(store-work merge, commit 8b83a01 there): replace the next two lines with
        // `try log.append(events, blobs: blobs, checking: { try claim.check($0) })`, so the check runs inside the
        // write transaction. Until then, checking just before narrows the race but does not close it.
        try claim.check(LogStreams(log: log))
        return try log.append(events, blobs: blobs)
    }
}

/// The log's stream index as a claim reads it.
private struct LogStreams: StreamReading {
    let log: EventLog

    func forEach(stream: String, _ body: (RecordedEvent) throws -> Bool) throws {
        try log.forEach(stream: stream, body)
    }
}
