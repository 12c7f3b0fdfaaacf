/// Rows of a table held back so that several go into one multi-row `INSERT`.
///
/// Most of a single-row insert's cost is running the statement (step, reset, program start), not storing
/// the row: sixteen rows per statement stored a third faster than one (measured in C), and 32 are used. Values are copied in (text into one
/// byte buffer), so they outlive the event payloads they were read from; `flush` binds them without
/// copying again and runs the statement made for that many rows.
final class PendingRows {
    /// Rows per statement at most.
    static let capacity = 32

    private enum Value {
        case null
        case integer(Int64)
        case real(Double)
        /// A range of `text`.
        case text(Int, Int)
    }

    private let database: SQLiteDatabase
    private let table: String
    private let columns: [String]
    private var values: [Value] = []
    private var text: [UInt8] = []
    /// Values and text of the complete rows (a row being added and then abandoned is dropped by `dropRow`).
    private var committedValues = 0
    private var committedText = 0
    private(set) var count = 0
    private var statements: [SQLiteStatement?]

    init(_ database: SQLiteDatabase, table: String, columns: [String]) {
        self.database = database
        self.table = table
        self.columns = columns
        statements = Array(repeating: nil, count: Self.capacity + 1)
        values.reserveCapacity(Self.capacity * columns.count)
        text.reserveCapacity(Self.capacity * 512)
    }

    var isFull: Bool { count == Self.capacity }

    func add(_ value: Int64?) {
        values.append(value.map { .integer($0) } ?? .null)
    }

    func add(_ value: Double?) {
        values.append(value.map { .real($0) } ?? .null)
    }

    func addNull() {
        values.append(.null)
    }

    func addText(_ utf8: UnsafeBufferPointer<UInt8>) {
        let start = text.count
        text.append(contentsOf: utf8)
        values.append(.text(start, text.count))
    }

    /// Completes the row whose values were added since the last `endRow`.
    func endRow() throws(ProjectionError) {
        guard values.count - committedValues == columns.count else {
            throw ProjectionError(
                .sqlite,
                "a pending \(table) row has \(values.count - committedValues) values for \(columns.count) columns")
        }
        committedValues = values.count
        committedText = text.count
        count += 1
    }

    /// Forgets the values of a row that was not completed (its event failed to apply).
    func dropRow() {
        values.removeSubrange(committedValues...)
        text.removeSubrange(committedText...)
    }

    /// Forgets every pending row (their transaction is being rolled back).
    func discard() {
        values.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        committedValues = 0
        committedText = 0
        count = 0
    }

    /// Inserts the pending rows, in the order they were added, with one statement.
    func flush() throws(ProjectionError) {
        guard count > 0 else { return }
        let statement = try self.statement(rows: count)
        try text.withUnsafeBufferPointer { (bytes) throws(ProjectionError) in
            for (i, value) in values[..<committedValues].enumerated() {
                switch value {
                case .null: try statement.bindNull(i + 1)
                case .integer(let v): try statement.bind(i + 1, v)
                case .real(let v): try statement.bind(i + 1, v)
                case .text(let start, let end):
                    try statement.bindTextNoCopy(i + 1, UnsafeBufferPointer(rebasing: bytes[start..<end]))
                }
            }
            try statement.execute()
        }
        discard()
    }

    private func statement(rows: Int) throws(ProjectionError) -> SQLiteStatement {
        if let s = statements[rows] { return s }
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let s = try database.cachedStatement(
            "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: rows).joined(separator: ", "))
        statements[rows] = s
        return s
    }
}
