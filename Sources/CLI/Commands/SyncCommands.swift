import ArgumentParser
import Foundation
import SmithDomain
import SmithIngest
import SmithStore
import SmithSync

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send this store's events and their blobs to a remote.",
        discussion: """
            Sends the events recorded in this store that the server lacks (the server knows how far this store \
            got), with the blobs they cite, batch by batch; each batch commits on the server in one transaction, \
            so a push killed or cut off at any moment is completed by running it again, and nothing is sent \
            twice. Events pulled from the remote are not sent back. A version of a name that another machine \
            already pushed with different content is refused with one line naming that machine's version and \
            the command that resolves it: `release-name KIND NAME@N` gives that version up here (its events \
            are still pushed, without the name), then record the content again under another name (or, after \
            `pull`, with --new-version) and push. Prints one summary line.

            Examples:
              smithlog push
              smithlog push team
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The remote (default: the only one).") var remote: String?

    func run() throws {
        let log = try storeOptions.openLog()
        let remote = try Remotes(location: storeOptions.location).find(remote)
        let report = SyncSupport.progress("push")
        let summary = try Push.run(
            log: log, remote: remote, batchSize: SyncSupport.batchSize(SyncSupport.pushBatch),
            claims: SyncSupport.claims(log),
            progress: { step in
                // Each batch's buffers go back to the system: without a trim the heap crept up with the number of
                // batches (peak RSS +28% from the 1x to the 4x workload).
                if case .eventsCommitted = step { HeapPolicy.afterCommit() }
                report(step)
            })
        SyncSupport.endProgress()
        Console.note(
            "pushed \(summary.events) events (\(summary.eventsAlreadyThere) already there) and \(summary.blobs)"
                + " blobs (\(summary.blobsAlreadyThere) already there) to '\(remote.name)'")
    }
}

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Append a remote's events this store lacks, with their blobs.",
        discussion: """
            Appends the team's events this store lacks, in the order the server committed them, each keeping its \
            id, time, actor and origin (`log` and `show` name it); blobs are fetched and checked against their \
            hashes, events against their ids, and a mismatch is refused and named. Events still being written \
            on the server are left for the next pull, never skipped. A pull killed at any moment resumes where it \
            stopped. The projections are then brought up to date. Prints one summary line.

            Examples:
              smithlog pull
              smithlog pull team
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Argument(help: "The remote (default: the only one).") var remote: String?

    func run() throws {
        let log = try storeOptions.openLog()
        let remote = try Remotes(location: storeOptions.location).find(remote)
        let report = SyncSupport.progress("pull")
        let follower = ProjectionFollower(storeOptions, log: log)
        let summary: SyncSummary
        do {
            summary = try Pull.run(
                log: log, remote: remote, batchSize: SyncSupport.batchSize(SyncSupport.pullBatch),
                progress: { step in
                    if case .eventsAppended(_, let count) = step, count > 0 { follower.eventsCommitted() }
                    report(step)
                })
        } catch {
            _ = follower.finish()
            throw error
        }
        let skipped = follower.finish()
        SyncSupport.endProgress()
        // The pull's buffers go back to the system before the projections' catch-up, which would otherwise start
        // on top of them. Once: a trim after each batch was 90 madvise calls a batch, two thirds of the pull's.
        HeapPolicy.afterCommit()
        if summary.events > 0 { Projections.catchUpAfterWrite(storeOptions, log: log, skippedBefore: skipped) }
        Console.note(
            "pulled \(summary.events) events (\(summary.eventsAlreadyThere) already here) and \(summary.blobs)"
                + " blobs from '\(remote.name)'")
    }
}

/// What `push` and `pull` share: batch size, name claims, progress.
enum SyncSupport {
    /// Events per push batch (one server transaction each): larger than a pull's, each costing some round trips
    /// on the server.
    static let pushBatch = 5000
    /// Events per pull batch.
    static let pullBatch = 1000

    /// Events per batch: `SMITHLOG_SYNC_BATCH` when set (tests use small batches to stop between them), else
    /// `standard`.
    static func batchSize(_ standard: Int) -> Int {
        ProcessInfo.processInfo.environment["SMITHLOG_SYNC_BATCH"].flatMap(Int.init) ?? standard
    }

    /// The name versions a batch of this store's events claims: each head event of a named kind
    /// (`NamedKind.headType` in the name's stream) claims the version it is in the name's stream, in log order,
    /// unless this store released it (`release-name`, after a refused push).
    static func claims(_ log: EventLog) -> @Sendable ([RecordedEvent]) throws -> [ClaimedName] {
        { batch in
            var out: [ClaimedName] = []
            var counted: [String: [UInt64]] = [:]
            var released = Set<Digest>()
            for e in batch {
                guard let kind = NamedKind.allCases.first(where: { $0.headType.rawValue == e.type }) else { continue }
                let prefix = kind.stream("")
                guard e.stream.hasPrefix(prefix) else { continue }
                if counted[e.stream] == nil {
                    var heads: [UInt64] = []
                    try log.forEach(stream: e.stream) { h in
                        if h.type == e.type {
                            heads.append(h.seq)
                        } else if h.type == NameReleased.eventType.rawValue,
                            let r = try? NameReleased.decode(h), r.kind == kind
                        {
                            released.insert(r.event)
                        }
                        return true
                    }
                    counted[e.stream] = heads
                }
                // A released version is pushed without its claim: another machine's version holds the name.
                guard !released.contains(e.id), let version = counted[e.stream]?.firstIndex(of: e.seq) else {
                    continue
                }
                out.append(
                    ClaimedName(
                        kind: kind.rawValue, name: String(e.stream.dropFirst(prefix.count)), version: version + 1,
                        eventID: e.id, noun: kind.noun))
            }
            return out
        }
    }

    /// Progress on stderr when it is a terminal: a line rewritten after each batch.
    ///
    /// Also the test seams for faults, each at `STEP[:BATCH]` (STEP `blobs` or `events`, BATCH default 1): with
    /// `SMITHLOG_SYNC_CRASH_AFTER` the process kills itself with SIGKILL right after that step of that batch, as
    /// a crash or `kill -9` would (a push stopped between its blobs and its events, or after its commit with the
    /// reply unread; a pull between its blobs and its events); with `SMITHLOG_SYNC_RUN_AFTER` it runs the shell
    /// command `SMITHLOG_SYNC_RUN` there and waits for it (a test restarts the server mid-push).
    static func progress(_ verb: String) -> @Sendable (SyncStep) -> Void {
        let environment = ProcessInfo.processInfo.environment
        func at(_ variable: String) -> (String, Int)? {
            environment[variable].map { spec in
                let parts = spec.split(separator: ":")
                return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
            }
        }
        let crash = at("SMITHLOG_SYNC_CRASH_AFTER")
        let hook = at("SMITHLOG_SYNC_RUN_AFTER")
        let hookCommand = environment["SMITHLOG_SYNC_RUN"]
        let terminal = Console.stderrIsTerminal
        return { step in
            if terminal {
                let what: String
                switch step {
                case .blobsSent(let b, let n): what = "batch \(b): \(n) blobs sent"
                case .eventsCommitted(let b, let n, let seq): what = "batch \(b): \(n) events committed (seq \(seq))"
                case .blobsReceived(let b, let n): what = "batch \(b): \(n) blobs received"
                case .eventsAppended(let b, let n): what = "batch \(b): \(n) events appended"
                }
                FileHandle.standardError.write(Data("\r\u{1B}[K\(verb): \(what)".utf8))
            }
            if let crash, crash.0 == step.name, crash.1 == step.batch { kill(getpid(), SIGKILL) }
            if let hook, let hookCommand, hook.0 == step.name, hook.1 == step.batch {
                // Its output goes nowhere: a server it starts would hold our caller's pipes open.
                var pid: pid_t = 0
                let words: [String] = ["/bin/sh", "-c", hookCommand + " >/dev/null 2>&1"]
                var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
                argv.append(nil)
                if posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 {
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                }
                argv.forEach { free($0) }
            }
        }
    }

    /// Ends the progress line, if one was drawn.
    static func endProgress() {
        if Console.stderrIsTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
