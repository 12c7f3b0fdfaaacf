import SmithDomain
import SmithStore

/// One area of the read side: the event types it consumes and the tables it writes.
///
/// An instance lives for one catch-up: it prepares its statements in `init` (from the connection's
/// statement cache) and applies events in seq order inside the engine's transactions. `apply` must be a
/// pure function of the event and the rows earlier events made, so catching up in small steps and
/// replaying everything at once give identical tables. It throws (`ApplyFailure`, a decoding error, a
/// constraint) for an event it cannot apply; the engine records the event in `skipped_events` and goes on.
protocol Projection: AnyObject {
    /// The projection's row in `projection_state`.
    static var name: String { get }
    /// The event types routed to it; every other type is skipped without decoding its payload.
    static var eventTypes: [EventType] { get }

    init(_ context: ProjectionContext) throws(ProjectionError)

    /// Applies one event, already decoded as its Domain type.
    func apply(_ event: RecordedEvent, _ decoded: ProjectedEvent) throws

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
            SftProjection.self, CheckpointProjection.self, BenchmarkProjection.self, RetractionProjection.self,
            TrainingMetricsProjection.self,
        ]
    }
}

/// Binds statement parameters in order, so apply code lists values instead of counting indexes.
///
/// Or, made with `collecting:`, adds the values as the next row of a `PendingRows` it holds (moved in, and
/// taken back with `takeRows()`), for a multi-row insert later. Exactly one of the two is in use.
struct Parameters {
    private let statement: SQLiteStatement?
    private var rows: PendingRows
    private var index = 0

    init(_ statement: SQLiteStatement) {
        self.statement = statement
        rows = .none
    }

    init(collecting rows: PendingRows) {
        statement = nil
        self.rows = rows
    }

    /// The rows collected (the buffer moves out; this value holds none afterwards).
    mutating func takeRows() -> PendingRows {
        var out = PendingRows.none
        swap(&out, &rows)
        return out
    }

    mutating func add(_ value: String?) throws(ProjectionError) {
        index += 1
        guard let statement else {
            guard var value else { return rows.addNull() }
            return value.withUTF8 { rows.addText($0) }
        }
        try statement.bind(index, value)
    }

    mutating func add(_ value: Int64?) throws(ProjectionError) {
        index += 1
        guard let statement else { return rows.add(value) }
        try statement.bind(index, value)
    }

    mutating func add(_ value: Int?) throws(ProjectionError) {
        try add(value.map { Int64($0) })
    }

    mutating func add(_ value: UInt64) throws(ProjectionError) {
        try add(Int64(bitPattern: value) as Int64?)
    }

    mutating func add(_ value: Double?) throws(ProjectionError) {
        index += 1
        guard let statement else { return rows.add(value) }
        try statement.bind(index, value)
    }

    mutating func add(_ value: Bool?) throws(ProjectionError) {
        try add(value.map { $0 ? Int64(1) : Int64(0) })
    }

    /// Adds a digest (a SHA-256 or an event id) as 64 lowercase hex digits, without making a String.
    mutating func addHex(_ digest: Digest?) throws(ProjectionError) {
        guard let digest else { return try add(nil as Int64?) }
        index += 1
        // Two trajectories' digests and an event id per event: digits by arithmetic, on the stack.
        var hex: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &hex) { out in
            digest.withUnsafeBytes { raw in
                for k in 0..<32 {
                    let byte = raw[k]
                    let high = byte >> 4
                    let low = byte & 0xf
                    out[2 * k] = high < 10 ? 0x30 &+ high : 0x57 &+ high
                    out[2 * k + 1] = low < 10 ? 0x30 &+ low : 0x57 &+ low
                }
            }
        }
        let i = index
        try withUnsafeBytes(of: &hex) { (raw) throws(ProjectionError) in
            let text = raw.bindMemory(to: UInt8.self)
            guard let statement else { return rows.addText(text) }
            try statement.bindText(i, text)
        }
    }

    /// Runs the statement with the values added so far.
    func execute() throws(ProjectionError) {
        try statement?.execute()
    }
}
