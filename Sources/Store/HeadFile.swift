/// The head of the log (last seq and its record's hash) as last committed, kept in `log/head`, outside LMDB's
/// data file, so that a data file that lost committed transactions can be told from one that never had them.
///
/// Written after each commit of an append, while the writer still holds the writers' lock (see
/// ``EventLog/serialisedWrite(_:)``), so whenever no append is under way it names the log's head. A crash
/// between a commit and this write leaves it one transaction behind, which is normal; only a head file ahead of
/// the log, or naming a different record at its seq, means that committed transactions were lost (a rolled-back
/// meta page, a data file restored from an older copy). Not flushed to the disk by itself, as the meta page a
/// commit writes is not (see `LMDBEnvironment.writerFlags`). A store written before this file existed has none
/// until its next append.
struct HeadFile {
    let path: String

    init(logPath: String) { path = logPath + "/head" }

    /// The recorded head; nil when there is no file.
    func read() throws(LogError) -> EventLog.Head? {
        guard let bytes = try StoreFiles.contents(path) else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let seq = UInt64(fields[0]), let hash = Digest(hex: fields[1]) else {
            throw LogError(
                .corrupt,
                "is damaged (expected `SEQ SHA256`); if the rest of the store verifies, remove it (the next append"
                    + " writes it again)",
                path: path)
        }
        return EventLog.Head(seq: seq, hash: hash)
    }

    func write(_ head: EventLog.Head) throws(LogError) {
        try StoreFiles.replace(path, with: Array("\(head.seq) \(head.hash.hex)\n".utf8))
    }
}
