/// What an append's check reads (see ``EventLog/append(_:blobs:checking:)``): the log as one transaction sees it.
///
/// The check's reader is valid only while the check runs. ``EventLog`` reads the same way, each call in a
/// transaction of its own, so that a check can also be run on its own ahead of an append.
public protocol StreamReading {
    /// Calls `body` for the events of `stream`, in seq order, from seq `from`, until it returns false.
    func forEach(stream: String, from: UInt64, _ body: (RecordedEvent) throws -> Bool) throws
    /// The seq of the last event, 0 when the log is empty.
    func lastSeq() throws -> UInt64
}

extension StreamReading {
    /// Calls `body` for every event of `stream`, in seq order, until it returns false.
    public func forEach(stream: String, _ body: (RecordedEvent) throws -> Bool) throws {
        try forEach(stream: stream, from: 1, body)
    }
}

extension EventLog: StreamReading {}

/// ``StreamReading`` inside an open transaction of the log: an append's write transaction, before it writes.
struct TransactionReader: StreamReading {
    let log: EventLog
    let txn: LMDBTransaction

    func forEach(stream: String, from: UInt64, _ body: (RecordedEvent) throws -> Bool) throws {
        try log.forEach(stream: stream, from: from, in: txn, body)
    }

    func lastSeq() throws -> UInt64 { try log.head(txn).seq }
}
