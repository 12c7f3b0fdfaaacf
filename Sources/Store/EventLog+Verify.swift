import SmithJSON

/// What `verify` found: counts, and the first damaged event and blob, if any.
public struct VerifyReport: Sendable {
    public var eventsChecked: UInt64 = 0
    /// Events whose id their appender gave (``NewEvent/givenID``): the store cannot derive it from the
    /// content; those ids are checked against the log's ``EventLog/Identifier`` when it was opened with one
    /// (``givenIDsChecked``), and the hash chain vouches for the records either way.
    public var givenIDs: UInt64 = 0
    /// Of ``givenIDs``, those whose id the log's identifier gives again.
    public var givenIDsChecked: UInt64 = 0
    /// Entries of the id index that file an event under an identity id other than its stored one (identity
    /// aliases, added when a store written by an older smithlog was upgraded to format 6).
    public var idAliases = 0
    /// Entries of the blob tables re-hashed: blobs, packs and slices, as ``StoreStats/blobs`` counts them.
    public var blobsChecked = 0
    /// The raw (uncompressed) bytes of the blobs re-hashed, counted as ``StoreStats/blobRawBytes`` counts them: a
    /// pack's bytes once, in the pack (its slices are re-hashed too, but add no bytes), so that `verify` and
    /// `stats` give the same total for the same store.
    public var blobBytesChecked = 0
    /// One line per problem, the first damaged record named first.
    public var problems: [String] = []
    /// The seq of the first damaged record, when the damage is in one (a gap, a record that cannot be decoded or
    /// does not chain, an event the log lost); nil when the log is clean or the damage is elsewhere (an index,
    /// a blob). `smithlog verify --from` it names the record again.
    public var firstBadSeq: UInt64?
    /// The first seq checked (``EventLog/verify(from:quick:progress:)``).
    public var from: UInt64 = 1
    /// Blobs were not re-hashed, only looked up (``EventLog/verify(from:quick:progress:)`` with `quick`):
    /// ``blobsChecked`` and ``blobBytesChecked`` are 0.
    public var quick = false

    public var isClean: Bool { problems.isEmpty }
}

extension EventLog {
    /// Walks the whole log and every blob: seqs gapless, each event's id matches its content (unless its
    /// appender gave it, see ``VerifyReport/givenIDs``), each record's previous hash matches the record
    /// before it, the head matches the last record, the stream and type indexes list every event once under
    /// its names, every referenced blob exists, and every blob's bytes hash to its name.
    ///
    /// Stops the event walk at the first bad record (later ones cannot be trusted to chain) but still
    /// checks the blobs. `progress` is called now and then with (events done, last seq).
    ///
    /// Also checks the log against its ``HeadFile``: a log that lost committed transactions (a rolled-back meta
    /// page, a data file replaced by an older copy) is reported. What it finds is recorded for appends, which
    /// refuse while a `verify` has found damage (``DamageMarker``); a clean `verify` removes that record.
    ///
    /// `quick` checks all of the above but the blobs' bytes: every blob an event names is looked up, none is
    /// re-hashed; for routine use, when reading every byte would take minutes.
    ///
    /// `from` > 1 checks the events from that seq on (chained to the record before it), the head, and that their
    /// blobs exist; not the indexes, nor the bytes of every blob. It removes a record of damage only if the
    /// damage was found at or after `from`.
    public func verify(
        from: UInt64 = 1, quick: Bool = false, progress: ((UInt64, UInt64) -> Void)? = nil
    ) throws -> VerifyReport {
        var report = VerifyReport()
        report.from = max(from, 1)
        report.quick = quick
        // Read before the transaction begins: the head file is written after each commit, so the transaction sees
        // at least what it names.
        let recorded = Result { () throws(LogError) in try headFile.read() }
        defer { environment.releaseMappedPagesIfPolicy() }
        // Counts each record read and each lookup it makes (its id, its blobs): each lookup maps its own 64 KB.
        var release = ScanPageRelease(environment)
        try environment.read { txn in
            let head = try head(txn)
            var expected = report.from
            var previous = Head.empty.hash
            var stopped = false
            if expected > 1 {
                let before = try SeqKey.bytes(expected - 1).withUnsafeBytes { k in
                    try txn.get(events, k) { Digest.sha256($0) }
                }
                guard let before else {
                    guard expected - 1 > head.seq else {
                        throw LogError(
                            .corrupt, "event \(expected - 1), before the first one to check, is missing (a gap)",
                            path: location.logPath)
                    }
                    throw LogError(
                        .notFound, "no event with seq \(expected - 1) (the log has \(head.seq) events)",
                        path: location.logPath)
                }
                previous = before
                report.eventsChecked = expected - 1
            }
            // The first blob an event names that the store does not hold: looked up as the events are read,
            // not gathered into a set, so memory does not grow with the number of blobs.
            var missingBlob: Digest?
            let types = try typeCodes.load(txn)
            let legacyKeys = try !usesStreamKeys(txn)
            try txn.scan(events, fromKey: expected > 1 ? SeqKey.bytes(expected) : nil) { key, value in
                release.touch(value)
                let keySeq = SeqKey.decode(key)
                guard let keySeq, let e = try? decode(value, seq: keySeq, types) else {
                    report.problems.append(
                        "event at seq \(keySeq.map(String.init) ?? "?"): record cannot be decoded")
                    stopped = true
                    return false
                }
                guard keySeq == expected, e.seq == expected else {
                    report.problems.append(
                        "event at seq \(keySeq): expected seq \(expected)"
                            + " (record says \(e.seq)); the log has a gap or a misplaced record")
                    stopped = true
                    return false
                }
                guard e.previousHash == previous else {
                    report.problems.append(
                        "event \(e.seq) (\(e.type), \(e.stream)): hash chain broken — previous-hash does not match"
                            + " event \(e.seq - 1), so event \(e.seq - 1) or this link was altered")
                    stopped = true
                    return false
                }
                let payload: JSONValue
                do {
                    payload = try JSONParser.parse(e.payloadBytes)
                } catch {
                    report.problems.append(
                        "event \(e.seq) (\(e.type), \(e.stream)): payload is not valid JSON: \(error)")
                    stopped = true
                    return false
                }
                if EventRecordCodec.hasGivenID(value) {
                    report.givenIDs += 1
                    if let problem = checkGivenID(e, &report) {
                        report.problems.append(problem)
                        stopped = true
                        return false
                    }
                } else if EventIdentity.id(type: e.type, stream: e.stream, payload: payload) != e.id {
                    report.problems.append(
                        "event \(e.seq) (\(e.type), \(e.stream)): content does not match its id \(e.id.hex.prefix(12))"
                    )
                    stopped = true
                    return false
                }
                let indexed = try IDKey.make(stream: e.stream, id: e.id, legacy: legacyKeys).withUnsafeBytes { k in
                    try txn.get(ids, k) { entry in
                        release.touch(entry)
                        return SeqKey.decode(entry)
                    }
                }
                guard indexed == e.seq else {
                    report.problems.append("event \(e.seq): the id index does not point back to it")
                    stopped = true
                    return false
                }
                if missingBlob == nil {
                    for digest in e.blobs {
                        release.lookUp()
                        guard try storedBlob(txn, digest, { _ in true }) == nil else { continue }
                        missingBlob = digest
                        break
                    }
                }
                previous = Digest.sha256(value)
                report.eventsChecked = e.seq
                expected += 1
                if e.seq % 100_000 == 0 { progress?(e.seq, head.seq) }
                return true
            }
            if stopped { report.firstBadSeq = expected }
            if report.problems.isEmpty {
                if report.eventsChecked != head.seq {
                    report.problems.append(
                        "the log head says \(head.seq) events but \(report.eventsChecked) were found")
                    report.firstBadSeq = report.eventsChecked + 1
                } else if head.seq > 0 && head.hash != previous {
                    report.problems.append(
                        "event \(head.seq): its record does not match the hash kept in the head,"
                            + " so it was altered")
                    report.firstBadSeq = head.seq
                }
            }
            switch recorded {
            case .failure(let error):
                report.problems.append(error.description)
            case .success(let r?) where report.problems.isEmpty:
                // The walk vouches for the records as they chain; the head file for what was committed.
                if let problem = try rollbackProblem(txn, recorded: r, logHead: head) {
                    report.problems.append(problem)
                    if r.seq <= head.seq { report.firstBadSeq = r.seq }
                }
            default:
                break
            }
            let missingProblem = missingBlob.map { "blob \($0.hex): referenced by an event but missing from the store" }
            guard report.from == 1 else {
                if report.problems.isEmpty, let missingProblem { report.problems.append(missingProblem) }
                return
            }
            if report.problems.isEmpty { try verifyIndexes(txn, lastSeq: head.seq, into: &report) }
            guard !quick else {
                if report.problems.isEmpty, let missingProblem { report.problems.append(missingProblem) }
                return
            }
            let blobProblem = try verifyBlobs(txn, into: &report)
            if let blobProblem { report.problems.append(blobProblem) }
            if let missingProblem { report.problems.append(missingProblem) }
        }
        recordFinding(report)
        return report
    }
}

extension EventLog {
    /// Checks an event's given id against the log's identifier, when it has one; the problem, if any.
    private func checkGivenID(_ e: RecordedEvent, _ report: inout VerifyReport) -> String? {
        guard let identifier else { return nil }
        let identity: Digest?
        do {
            identity = try identifier(e)
        } catch {
            return "event \(e.seq) (\(e.type), \(e.stream)): its identity cannot be computed: \(error)"
        }
        guard let identity else { return nil }
        guard identity == e.id else {
            return "event \(e.seq) (\(e.type), \(e.stream)): its id \(e.id.hex.prefix(12)) is not its identity"
                + " \(identity.hex.prefix(12))"
        }
        report.givenIDsChecked += 1
        return nil
    }
}

extension EventLog {
    /// Records what `verify` found for appends (``DamageMarker``): damage is recorded (keeping an earlier record
    /// of damage at a lower seq); a clean check removes the record if it covered where the damage was.
    ///
    /// Best effort: a user who may only read the store cannot record anything, and appends check the log's tail
    /// themselves anyway.
    fileprivate func recordFinding(_ report: VerifyReport) {
        let marker = damageMarker
        let existing = try? marker.read()
        if let problem = report.problems.first {
            if let existing, let seq = existing.seq, seq < report.firstBadSeq ?? .max { return }
            try? marker.write(DamageMarker.Finding(seq: report.firstBadSeq, problem: problem))
        } else if let existing, report.from == 1 || (existing.seq.map { $0 >= report.from } ?? false) {
            try? marker.remove()
        }
    }
}
