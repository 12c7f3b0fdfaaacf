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
/// Exactly one of the two is set. (An enum of the two measured slower on the catch-up's hot path, where this
/// runs for every value of every row.)
struct Parameters {
    private let statement: SQLiteStatement?
    private let pending: PendingRows?
    private var index = 0

    init(_ statement: SQLiteStatement) {
        self.statement = statement
        pending = nil
    }

    init(_ pending: PendingRows) {
        statement = nil
        self.pending = pending
    }

    mutating func add(_ value: String?) throws(ProjectionError) {
        index += 1
        guard let statement else {
            guard var value else { return pending!.addNull() }
            return value.withUTF8 { pending!.addText($0) }
        }
        try statement.bind(index, value)
    }

    mutating func add(_ value: Int64?) throws(ProjectionError) {
        index += 1
        guard let statement else { return pending!.add(value) }
        try statement.bind(index, value)
    }

    mutating func add(_ value: UInt64) throws(ProjectionError) {
        try add(Int64(bitPattern: value) as Int64?)
    }

    mutating func add(_ value: Double?) throws(ProjectionError) {
        index += 1
        guard let statement else { return pending!.add(value) }
        try statement.bind(index, value)
    }

    mutating func add(_ value: Bool?) throws(ProjectionError) {
        try add(value.map { $0 ? Int64(1) : Int64(0) })
    }

    /// Adds UTF-8 text straight from a buffer (a payload's bytes), without making a String or a copy: the
    /// bytes must stay valid until `execute` (appliers bind every parameter anew for each event).
    mutating func addText(_ utf8: UnsafeBufferPointer<UInt8>) throws(ProjectionError) {
        index += 1
        guard let statement else { return pending!.addText(utf8) }
        try statement.bindTextNoCopy(index, utf8)
    }

    /// Adds a digest (an event id) as 64 lowercase hex digits, without making a String.
    mutating func addHex(_ digest: Digest) throws(ProjectionError) {
        index += 1
        let i = index
        let statement = statement
        let pending = pending
        let result = digest.withUnsafeBytes { raw in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * raw.count) { buffer in
                for (k, byte) in raw.enumerated() {
                    buffer[2 * k] = Self.hexDigits[Int(byte >> 4)]
                    buffer[2 * k + 1] = Self.hexDigits[Int(byte & 0xf)]
                }
                guard let statement else {
                    return Result<Void, ProjectionError>.success(pending!.addText(UnsafeBufferPointer(buffer)))
                }
                return Result { () throws(ProjectionError) in try statement.bindText(i, UnsafeBufferPointer(buffer)) }
            }
        }
        try result.get()
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Runs the statement with the values added so far.
    func execute() throws(ProjectionError) {
        try statement?.execute()
    }
}
