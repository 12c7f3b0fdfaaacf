import SmithDomain
import SmithStore

/// One area of the read side: the event types it consumes and the tables it writes.
///
/// An instance lives for one catch-up: it prepares its statements in `init` (from the connection's
/// statement cache) and applies events in seq order inside the engine's transactions. `apply` must be a
/// pure function of the event and the rows earlier events made, so catching up in small steps and
/// replaying everything at once give identical tables. It throws `ApplyFailure` for an event it cannot
/// apply; the engine names the event and stops there.
protocol Projection: AnyObject {
    /// The projection's row in `projection_state`.
    static var name: String { get }
    /// The event types routed to it; every other type is skipped without parsing its payload.
    static var eventTypes: [EventType] { get }

    init(_ context: ProjectionContext) throws(ProjectionError)

    func apply(_ event: RecordedEvent, _ type: EventType, _ fields: inout PayloadFields) throws

    /// Writes rows that `apply` held back (see `KeyedUpsert`); the engine calls it before each commit.
    func flushPending() throws

    /// Forgets rows held back for a transaction that is being rolled back.
    func discardPending()
}

extension Projection {
    func flushPending() throws {}
    func discardPending() {}
}

/// What a projection may use while applying events.
struct ProjectionContext {
    let database: SQLiteDatabase
    /// For the blobs some rows carry (the dataset row behind an instance).
    let log: EventLog
    /// `KeyedTable`s whose key index is dropped (a large catch-up into them while empty): append rows.
    var appendOnly: Set<String> = []
}

/// Every projection, in the order their rows are listed in `projection_state`.
enum ProjectionCatalog {
    static var all: [any Projection.Type] {
        [
            DatasetProjection.self, SubsetProjection.self, RunProjection.self, EvalProjection.self,
            SftProjection.self, CheckpointProjection.self, BenchmarkProjection.self,
        ]
    }
}

/// Binds statement parameters in order, so apply code lists values instead of counting indexes.
///
/// Or, made with a `PendingRows`, adds the values as that buffer's next row, for a multi-row insert later.
struct Parameters {
    private enum Target {
        case statement(SQLiteStatement)
        case pending(PendingRows)
    }

    private let target: Target
    private var index = 0

    init(_ statement: SQLiteStatement) { target = .statement(statement) }

    init(_ pending: PendingRows) { target = .pending(pending) }

    mutating func add(_ value: String?) throws(ProjectionError) {
        index += 1
        switch target {
        case .statement(let statement): try statement.bind(index, value)
        case .pending(let rows):
            guard var value else { return rows.addNull() }
            value.withUTF8 { rows.addText($0) }
        }
    }

    mutating func add(_ value: Int64?) throws(ProjectionError) {
        index += 1
        switch target {
        case .statement(let statement): try statement.bind(index, value)
        case .pending(let rows): rows.add(value)
        }
    }

    mutating func add(_ value: UInt64) throws(ProjectionError) {
        try add(Int64(bitPattern: value) as Int64?)
    }

    mutating func add(_ value: Double?) throws(ProjectionError) {
        index += 1
        switch target {
        case .statement(let statement): try statement.bind(index, value)
        case .pending(let rows): rows.add(value)
        }
    }

    mutating func add(_ value: Bool?) throws(ProjectionError) {
        try add(value.map { $0 ? Int64(1) : Int64(0) })
    }

    /// Adds UTF-8 text straight from a buffer (a payload's bytes), without making a String or a copy: the
    /// bytes must stay valid until `execute` (appliers bind every parameter anew for each event).
    mutating func addText(_ utf8: UnsafeBufferPointer<UInt8>) throws(ProjectionError) {
        index += 1
        switch target {
        case .statement(let statement): try statement.bindTextNoCopy(index, utf8)
        case .pending(let rows): rows.addText(utf8)
        }
    }

    /// Adds a digest (an event id) as 64 lowercase hex digits, without making a String.
    mutating func addHex(_ digest: Digest) throws(ProjectionError) {
        index += 1
        let i = index
        let target = target
        let result = digest.withUnsafeBytes { raw in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * raw.count) { buffer in
                for (k, byte) in raw.enumerated() {
                    buffer[2 * k] = Self.hexDigits[Int(byte >> 4)]
                    buffer[2 * k + 1] = Self.hexDigits[Int(byte & 0xf)]
                }
                return Result { () throws(ProjectionError) in
                    switch target {
                    // Copied: the buffer dies with this closure.
                    case .statement(let statement): try statement.bindText(i, UnsafeBufferPointer(buffer))
                    case .pending(let rows): rows.addText(UnsafeBufferPointer(buffer))
                    }
                }
            }
        }
        try result.get()
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Runs the statement with the values added so far.
    func execute() throws(ProjectionError) {
        guard case .statement(let statement) = target else { return }
        try statement.execute()
    }
}
