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
        var ownHeads = 0
        for (event, outcome) in zip(events, outcomes) {
            if outcome.isNew {
                report.newEvents += 1
                // This process's own new version: later transactions expect it.
                if let c = claim, event.type == c.kind.headType.rawValue, event.stream == c.kind.stream(c.name) {
                    ownHeads += 1
                }
            } else {
                report.alreadyRecorded += 1
            }
        }
        // The next transaction checks only what the name's stream got after this one.
        claim = claim?.afterAppend(outcomes, ownHeads: ownHeads)
        events.removeAll(keepingCapacity: true)
        blobs.removeAll(keepingCapacity: true)
        bytes = 0
        HeapPolicy.afterCommit()
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
