/// How a table is printed: the width it must fit and the columns asked for (`--columns`, `--wide`).
public struct TableLayout: Sendable, Equatable {
    /// Characters per line; nil when there is no limit (stdout is not a terminal and `COLUMNS` is unset): then
    /// every value is printed whole, hashes included.
    public var width: Int?
    /// `--columns`: these columns (keys or headers), in this order; nil for the table's default choice.
    public var columns: [String]?
    /// `--wide`: every column the table has, none left out to fit (long cells wrap or are cut instead).
    public var wide: Bool

    public init(width: Int? = nil, columns: [String]? = nil, wide: Bool = false) {
        self.width = width.map { max(1, $0) }
        self.columns = columns
        self.wide = wide
    }

    /// No width limit, the default columns: what a pipe gets.
    public static let unlimited = TableLayout()

    /// Hashes are shortened to this many characters in width-limited tables (never in JSON or CSV).
    public static let shortHash = 12

    /// `text` as a table shows a hash: its first ``shortHash`` characters when the width is limited.
    public func hash(_ text: String) -> String {
        width == nil || text.count <= Self.shortHash ? text : String(text.prefix(Self.shortHash))
    }
}

/// A `--columns` value names no column of the table; the message lists the ones it has.
public struct TableError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }

    init(_ message: String) { self.message = message }
}

/// One column of a text table: what it is called, how its cells may be shortened, and how much it matters.
public struct TableColumn: Sendable {
    /// How a cell that does not fit its column is shown.
    public enum Kind: Sendable {
        /// Never cut: a name, instance id, stream or seq wraps onto further lines of its row.
        case identifier
        /// A number: right-aligned, never cut (wraps like an identifier in the last resort).
        case number
        /// A hash: shortened to 12 characters in width-limited tables, then treated as an identifier.
        case hash
        /// Words (facts holding names): wrapped at spaces onto further lines, never cut.
        case words
        /// Other text (reasons, conditions, paths, JSON): cut with `…`.
        case text
    }

    /// What `--columns` takes (snake_case).
    public var key: String
    /// The header printed.
    public var header: String
    public var kind: Kind
    /// 0: always shown (unless `--columns` leaves it out); otherwise the order in which columns are given up to
    /// fit the width: the highest first.
    public var dropOrder: Int
    /// Shown without `--wide` or `--columns`.
    public var shownByDefault: Bool

    /// A column whose header is its key.
    public init(_ key: String, _ kind: Kind, drop: Int = 0, byDefault: Bool = true) {
        self.init(key, key, kind, drop: drop, byDefault: byDefault)
    }

    public init(_ key: String, _ header: String, _ kind: Kind, drop: Int = 0, byDefault: Bool = true) {
        self.key = key
        self.header = header
        self.kind = kind
        dropOrder = drop
        shownByDefault = byDefault
    }

    /// Whether cells wider than the column are cut (`…`) rather than wrapped.
    var cuts: Bool { kind == .text }

    /// The narrowest this column is made before columns are left out: identifiers and numbers keep their
    /// whole width, text and words are narrowed to a few characters.
    func minimumWidth(natural: Int) -> Int {
        switch kind {
        case .identifier, .number, .hash: return natural
        case .words: return min(natural, 24)
        case .text: return min(natural, 12)
        }
    }
}

/// A rendered table and the default columns it left out to fit the width (for a note on stderr).
public struct RenderedTable: Sendable {
    public var text: String
    public var leftOut: [String]
}
