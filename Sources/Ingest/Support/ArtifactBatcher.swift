import SmithDomain
import SmithStore

/// Collects artifacts' events and blobs and appends them in transactions that never split an artifact.
///
/// One artifact (a dataset row, a trajectory, a report) contributes a group of events and blobs; a
/// group goes into exactly one `EventLog.append`, so an interrupted ingest leaves whole artifacts only
/// and re-running it records the rest (events already in the log are recognised by id). With a `claim`,
/// every transaction first checks that no other process recorded a version of the claimed name meanwhile.
final class ArtifactBatcher {
    private let log: EventLog
    private let maxEvents: Int
    private let maxBytes: Int
    private var claim: NameClaim?
    private var events: [NewEvent] = []
    private var blobs: [PreparedBlob] = []
    private var bytes = 0
    private(set) var report = IngestReport()

    /// A transaction holds at most `maxEvents` events and `maxBytes` of stored blobs (an artifact bigger than
    /// that goes alone). Both bound what an ingest holds at once (its pending events and blobs, and LMDB's
    /// copies of the pages the transaction changes), so its memory does not grow with the run. 64 events
    /// are 64 reports or trajectories; with 256 the 4x eval ingest still mapped 6 MB of the store per
    /// transaction, against 2 MB at 1x.
    init(log: EventLog, claim: NameClaim? = nil, maxEvents: Int = 32, maxBytes: Int = 4 << 20) {
        self.log = log
        self.claim = claim
        self.maxEvents = maxEvents
        self.maxBytes = maxBytes
    }

    /// Adds one artifact's events and blobs (or, with `artifacts` > 1, several artifacts that must commit
    /// together, such as the rows of one blob pack); flushes first if the batch would grow past its limits.
    func add(_ group: [NewEvent], blobs groupBlobs: [PreparedBlob], artifacts: Int = 1) throws {
        let groupBytes = groupBlobs.reduce(0) { $0 + $1.storedSize }
        if !events.isEmpty && (events.count + group.count > maxEvents || bytes + groupBytes > maxBytes) {
            try flush()
        }
        events.append(contentsOf: group)
        blobs.append(contentsOf: groupBlobs)
        bytes += groupBytes
        report.artifacts += artifacts
        switch FaultInjection.action(afterArtifacts: report.artifacts) {
        case .none: break
        case .commitNow: try flush()
        case .kill: FaultInjection.killNow()
        }
    }

    /// Appends what is pending as one transaction.
    func flush() throws {
        guard !events.isEmpty || !blobs.isEmpty else { return }
        let outcomes = try LogAppend.appendClaimed(log, events, blobs: blobs, claim: claim)
        account(outcomes) { isOwnHead(events[$0]) }
        events.removeAll(keepingCapacity: true)
        blobs.removeAll(keepingCapacity: true)
        bytes = 0
        HeapPolicy.afterCommit()
    }

    /// Appends one artifact of `count` events in a transaction of its own (after what is pending), asking
    /// `events` for them a chunk at a time (see `EventLog.append(count:blobs:checking:events:)`): for an artifact
    /// of thousands of events (an SFT set's lines), which held whole made memory grow with its size. `events` runs
    /// inside the write transaction and may be called again for the same range.
    func addStreamed(
        count: Int, blobs artifactBlobs: [PreparedBlob], events make: (Range<Int>) throws -> [NewEvent]
    )
        throws
    {
        try flush()
        report.artifacts += 1
        if case .kill = FaultInjection.action(afterArtifacts: report.artifacts) { FaultInjection.killNow() }
        var heads = Set<Int>()
        let outcomes = try LogAppend.appendClaimed(log, count: count, blobs: artifactBlobs, claim: claim) { range in
            let made = try make(range)
            for (i, event) in zip(range, made) where isOwnHead(event) { heads.insert(i) }
            return made
        }
        account(outcomes) { heads.contains($0) }
        HeapPolicy.afterCommit()
    }

    /// Whether `event` is a version of the claimed name: this process's own, once appended.
    private func isOwnHead(_ event: NewEvent) -> Bool {
        guard let c = claim else { return false }
        return event.type == c.kind.headType.rawValue && event.stream == c.kind.stream(c.name)
    }

    /// Counts a transaction's outcomes into the report and moves the claim past it; `isOwnHead(i)`: whether the
    /// batch's event `i` is a version of the claimed name.
    private func account(_ outcomes: [AppendOutcome], isOwnHead: (Int) -> Bool) {
        var ownHeads = 0
        for (i, outcome) in outcomes.enumerated() {
            if outcome.isNew {
                report.newEvents += 1
                // This process's own new version: later transactions expect it.
                if isOwnHead(i) { ownHeads += 1 }
            } else {
                report.alreadyRecorded += 1
            }
        }
        // The next transaction checks only what the name's stream got after this one.
        claim = claim?.afterAppend(outcomes, ownHeads: ownHeads)
    }

    /// Counts facts the command found already recorded without appending them (e.g. a run's known trajectories).
    func countAlreadyRecorded(_ n: Int, artifacts: Int = 0) {
        report.alreadyRecorded += n
        report.artifacts += artifacts
    }

    func skip(_ reason: String) { report.skipped.append(reason) }
    func warn(_ warning: String) { report.warnings.append(warning) }
    func detail(_ lines: [String]) { report.details += lines }
    func addBytesRead(_ n: Int) { report.bytesRead += n }
}
