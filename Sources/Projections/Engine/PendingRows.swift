/// Rows of a table held back so that several go into one multi-row `INSERT`.
///
/// Most of a single-row insert's cost is running the statement (step, reset, program start), not storing
/// the row: sixteen rows per statement stored a third faster than one (measured in C), and 32 are used. Values
/// are copied in (text into one byte buffer), so they outlive the events they were read from; `flush` binds
/// them without copying again. A struct that its owner lends to `Parameters` by moving it (see
/// `KeyedUpsert.run`): adding a value then touches a local value, not a class's stored property, so no runtime
/// exclusivity check runs per value.
struct PendingRows {
    /// Rows per statement at most.
    static let capacity = 32

    /// No rows and no buffers (nothing allocated): what `Parameters` holds when it binds a statement.
    static let none = PendingRows(columns: 0, reserving: false)

    private enum Value {
        case null
        case integer(Int64)
        case real(Double)
        /// A range of `text`.
        case text(Int, Int)
    }

    /// Values per row.
    let columns: Int
    private var values: [Value] = []
    private var text: [UInt8] = []
    /// Values and text of the complete rows (a row being added and then abandoned is dropped by `dropRow`).
    private var committedValues = 0
    private var committedText = 0
    private(set) var count = 0

    init(columns: Int, reserving: Bool = true) {
        self.columns = columns
        if reserving {
            values.reserveCapacity(Self.capacity * columns)
            text.reserveCapacity(Self.capacity * 512)
        }
    }

    var isFull: Bool { count == Self.capacity }

    mutating func add(_ value: Int64?) {
        values.append(value.map { .integer($0) } ?? .null)
    }

    mutating func add(_ value: Double?) {
        values.append(value.map { .real($0) } ?? .null)
    }

    mutating func addNull() {
        values.append(.null)
    }

    mutating func addText(_ utf8: UnsafeBufferPointer<UInt8>) {
        let start = text.count
        text.append(contentsOf: utf8)
        values.append(.text(start, text.count))
    }

    /// Completes the row whose values were added since the last `endRow`.
    mutating func endRow(table: String) throws(ProjectionError) {
        guard values.count - committedValues == columns else {
            throw ProjectionError(
                .sqlite, "a pending \(table) row has \(values.count - committedValues) values for \(columns) columns")
        }
        committedValues = values.count
        committedText = text.count
        count += 1
    }

    /// Forgets the values of a row that was not completed (its event failed to apply).
    mutating func dropRow() {
        values.removeSubrange(committedValues...)
        text.removeSubrange(committedText...)
    }

    /// Forgets every pending row (their transaction is being rolled back).
    mutating func discard() {
        values.removeAll(keepingCapacity: true)
        text.removeAll(keepingCapacity: true)
        committedValues = 0
        committedText = 0
        count = 0
    }

    /// Binds the complete rows, in the order they were added, to `statement` (made for `count` rows), runs it
    /// and empties the buffer.
    mutating func flush(into statement: SQLiteStatement) throws(ProjectionError) {
        guard count > 0 else { return }
        try bind(to: statement)
        try statement.execute()
        discard()
    }

    private func bind(to statement: SQLiteStatement) throws(ProjectionError) {
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
        }
    }
}
