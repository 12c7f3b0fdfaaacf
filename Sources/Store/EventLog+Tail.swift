import CLMDB
import Foundation

extension EventLog {
    /// What to do about a damaged log, appended to every refusal and to `verify`'s report.
    package static let recovery =
        "restore the store from a copy or pull from a remote (`smithlog verify --from SEQ` names the first bad record)"

    var headFile: HeadFile { HeadFile(logPath: location.logPath) }
    var damageMarker: DamageMarker { DamageMarker(logPath: location.logPath) }

    /// Runs `body` in a write transaction (as `LMDBEnvironment.write`) after ``checkTail(_:)``, and records the
    /// committed head in ``HeadFile``.
    ///
    /// Writers of the store are serialised from before the check to after the head file is written, by an
    /// exclusive `flock` on the data file (LMDB's own writer lock ends with the commit), so the head file is
    /// written in commit order: whenever no append is under way it names the log's head.
    func serialisedWrite<T>(_ body: (LMDBTransaction) throws -> T) throws -> T {
        let lock = try WritersLock(path: location.logPath + "/data.mdb")
        defer { lock.release() }
        let (result, recorded, committed) = try environment.write { txn in
            let recorded = try checkTail(txn)
            return (try body(txn), recorded, try head(txn))
        }
        LMDBDataFile.extendIfShort(environment)
        if recorded?.seq != committed.seq || recorded?.hash != committed.hash {
            // Committed whatever happens here: an append that cannot leave its head behind (a full disk) is not
            // undone for it. The head file then stays behind the log, which the checks take for a crash.
            try? headFile.write(committed)
        }
        return result
    }

    /// Refuses (`.corrupt`) to append to a log that `verify` would fail on its tail: one `verify` found damaged
    /// (``DamageMarker``), one that lost committed transactions (``HeadFile``), or one whose last record does not
    /// chain to the one before it or to its head. Returns the head file's head (nil when there is none).
    ///
    /// Reads a small file or two and at most three records: cheap enough for every append.
    @discardableResult
    func checkTail(_ txn: LMDBTransaction) throws -> Head? {
        if let finding = try damageMarker.read() {
            let at = finding.seq.map { " at event \($0)" } ?? ""
            throw LogError(
                .corrupt,
                "`smithlog verify` found damage\(at); appends are refused until it passes: \(Self.recovery)",
                path: damageMarker.path)
        }
        let head = try head(txn)
        let recorded = try headFile.read()
        // The log's own tail first: an altered record also disagrees with the head file, but is no rollback.
        try checkLastRecord(txn, head)
        if let recorded, let problem = try rollbackProblem(txn, recorded: recorded, logHead: head) {
            throw LogError(.corrupt, "\(problem); appends are refused: \(Self.recovery)", path: location.logPath)
        }
        return recorded
    }

    /// Throws unless the last record hashes to the head LMDB keeps and chains to the record before it.
    private func checkLastRecord(_ txn: LMDBTransaction, _ head: Head) throws {
        guard head.seq > 0 else { return }
        let last = try recordHash(txn, head.seq)
        guard let last, last.hash == head.hash else {
            throw LogError(
                .corrupt,
                "event \(head.seq), the last of the log, "
                    + (last == nil ? "is missing" : "does not match the hash kept in the head, so it was altered")
                    + "; appends are refused: \(Self.recovery)",
                path: location.logPath)
        }
        if head.seq > 1 {
            let before = try recordHash(txn, head.seq - 1)
            guard let before, before.hash == last.previous else {
                throw LogError(
                    .corrupt,
                    "event \(head.seq), the last of the log, does not chain to event \(head.seq - 1)"
                        + "; appends are refused: \(Self.recovery)",
                    path: location.logPath)
            }
        }
    }

    /// The problem with the log if the head file says it committed more than it holds, or another record at the
    /// head file's seq; nil when the head file is at or behind the log's head, on the same chain.
    func rollbackProblem(_ txn: LMDBTransaction, recorded: Head, logHead: Head) throws -> String? {
        if recorded.seq > logHead.seq {
            return "lost committed transactions: log/head names event \(recorded.seq), the log ends at"
                + " \(logHead.seq) (rolled back?)"
        }
        guard recorded.seq > 0 else { return nil }
        let found = try recordHash(txn, recorded.seq)
        guard found?.hash == recorded.hash else {
            return "lost committed transactions: event \(recorded.seq) is not the one log/head names (rolled back?)"
        }
        return nil
    }

    /// The hash of the record at `seq` and the previous hash it holds; nil when there is no such record.
    private func recordHash(_ txn: LMDBTransaction, _ seq: UInt64) throws -> (hash: Digest, previous: Digest?)? {
        try SeqKey.bytes(seq).withUnsafeBytes { k in
            try txn.get(events, k) { raw in (Digest.sha256(raw), EventRecordCodec.previousHash(raw)) }
        }
    }
}

extension EventRecordCodec {
    /// The previous hash a record of either version holds, without decoding the rest; nil when it is too short.
    static func previousHash(_ raw: UnsafeRawBufferPointer) -> Digest? {
        // Version 1 has the seq (8 bytes) before the id.
        let offset = raw.first == 1 ? previousHashOffset + 8 : previousHashOffset
        guard raw.count >= offset + 32 else { return nil }
        return Digest(raw: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 32)]))
    }
}

/// An exclusive `flock` on the store's data file, held by a writer from before its transaction to after it
/// wrote the head file. Taken on a descriptor of its own, so it also serialises threads of one process.
///
/// On the data file rather than a lock file of its own: a writer can always open it, and LMDB locks only its
/// lock file (with `fcntl`), which `flock` does not interact with.
struct WritersLock {
    private let fd: Int32

    init(path: String) throws(LogError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw LogError(.io, "cannot open the event log: \(String(cString: strerror(errno)))", path: path)
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw LogError(.io, "cannot lock the event log for writing: \(reason)", path: path)
            }
        }
    }

    func release() { close(fd) }
}

extension LMDBTransaction {
    /// ``scan(_:from:_:)`` from the key `start` (the first key when nil).
    func scan(
        _ db: MDB_dbi, fromKey start: [UInt8]?, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        guard let start else { return try scan(db, from: nil, body) }
        try start.withUnsafeBytes { try scan(db, from: $0, body) }
    }
}
