/// A `subset create --where` condition: one SQL expression over a dataset's rows, checked before it is run.
///
/// The text goes into SQL as `WHERE (<condition>)`, so it is lexed first (strings, quoted identifiers, numbers,
/// words, parentheses) and refused, with one line, when it could be more than one expression there: parentheses
/// that do not balance (a `)` that closes the surrounding one), a `;`, a comment (which could swallow the
/// closing parenthesis), a parameter (`?`, `:x`, `@x`, `$x`, `#x`: the dataset is bound as one), or a statement word
/// (`SELECT`, `UNION`, `FROM`, ...) outside parentheses. Subqueries in parentheses stay allowed
/// (`instance_id IN (SELECT ...)`): whatever the expression, the rows it selects come from the dataset
/// (see `ProjectionReader.instanceIDs(ofDataset:where:)`).
public struct RowCondition: Sendable, Equatable {
    public let text: String

    /// Checks `text`; throws `ProjectionError(.invalidQuery)` saying what is refused and where.
    public init(_ text: String) throws(ProjectionError) {
        try Self.check(Array(text.utf8))
        self.text = text
    }

    /// Words that start or join statements: never part of an expression outside parentheses.
    static let statementWords: Set<String> = [
        "SELECT", "UNION", "INTERSECT", "EXCEPT", "FROM", "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET",
        "WINDOW", "WITH", "VALUES", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "ATTACH", "DETACH",
        "PRAGMA", "VACUUM", "REINDEX", "ANALYZE", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "EXPLAIN",
        "RETURNING", "JOIN",
    ]

    private static func refuse(_ what: String, at offset: Int) -> ProjectionError {
        ProjectionError(
            .invalidQuery,
            "\(what) (at byte \(offset + 1)); --where takes one SQL expression over the dataset's rows, e.g. "
                + "\"f2p_count BETWEEN 2 AND 5\"")
    }

    private static func check(_ s: [UInt8]) throws(ProjectionError) {
        var i = 0
        var depth = 0
        var sawToken = false
        while i < s.count {
            let c = s[i]
            switch c {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                i += 1
                continue
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                i = try endOfQuoted(s, from: i, closing: c)
            case UInt8(ascii: "["):
                guard let close = s[(i + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw refuse("an unterminated [identifier]", at: i)
                }
                i = close + 1
            case UInt8(ascii: "-") where i + 1 < s.count && s[i + 1] == UInt8(ascii: "-"),
                UInt8(ascii: "/") where i + 1 < s.count && s[i + 1] == UInt8(ascii: "*"):
                throw refuse("comments are not accepted", at: i)
            case UInt8(ascii: ";"):
                throw refuse("';' is not accepted: the condition is one expression, not statements", at: i)
            case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "$"), UInt8(ascii: "#"):
                throw refuse("parameters (\(Character(Unicode.Scalar(c)))) are not accepted", at: i)
            case UInt8(ascii: "("):
                depth += 1
                i += 1
            case UInt8(ascii: ")"):
                guard depth > 0 else { throw refuse("')' closes a parenthesis that was not opened", at: i) }
                depth -= 1
                i += 1
            case _ where isWordStart(c):
                let start = i
                while i < s.count && isWordPart(s[i]) { i += 1 }
                if depth == 0 {
                    let word = String(decoding: s[start..<i], as: UTF8.self).uppercased()
                    if statementWords.contains(word) {
                        throw refuse("\(word) outside parentheses is not accepted", at: start)
                    }
                }
            case _ where c >= 0x30 && c <= 0x39:
                // Numbers, including 1.5e-3 and 0x1F: digits, letters, '.', and a sign between an exponent's
                // 'e' and a digit (as SQLite reads it: "1e--" is "1e" and a comment).
                i += 1
                while i < s.count
                    && (isWordPart(s[i]) || s[i] == UInt8(ascii: ".")
                        || ((s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-"))
                            && (s[i - 1] | 0x20) == UInt8(ascii: "e") && i + 1 < s.count && s[i + 1] >= 0x30
                            && s[i + 1] <= 0x39))
                {
                    i += 1
                }
            default:
                // Operators and punctuation: one byte at a time is enough to find the tokens above.
                i += 1
            }
            sawToken = true
        }
        guard sawToken else { throw refuse("the condition is empty", at: 0) }
        guard depth == 0 else { throw refuse("\(depth) parenthesis(es) not closed", at: s.count - 1) }
    }

    /// The index after the quote closing the quoted token at `start` (a doubled quote is part of it).
    private static func endOfQuoted(_ s: [UInt8], from start: Int, closing: UInt8) throws(ProjectionError) -> Int {
        var i = start + 1
        while i < s.count {
            if s[i] == closing {
                if i + 1 < s.count && s[i + 1] == closing {
                    i += 2
                    continue
                }
                return i + 1
            }
            i += 1
        }
        throw refuse("an unterminated \(closing == UInt8(ascii: "'") ? "string" : "quoted identifier")", at: start)
    }

    private static func isWordStart(_ c: UInt8) -> Bool {
        (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") || c == UInt8(ascii: "_") || c >= 0x80
    }

    private static func isWordPart(_ c: UInt8) -> Bool {
        isWordStart(c) || (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "$")
    }
}

extension ProjectionReader {
    /// The instance ids of `dataset`'s rows (in the `instances` projection: its latest version) for which
    /// `condition` holds, in dataset order.
    ///
    /// The condition filters a CTE of that dataset's rows only, with the dataset bound as an argument, so every
    /// id returned is a row of `dataset`, whatever the condition says. Needs a reader opened with the log (the
    /// `instance_rows` view).
    public func instanceIDs(
        ofDataset dataset: String, where condition: RowCondition, timeout: Duration? = nil
    ) throws -> [String] {
        var ids: [String] = []
        try forEachInstanceID(ofDataset: dataset, where: condition, timeout: timeout) { ids.append($0) }
        return ids
    }

    /// ``instanceIDs(ofDataset:where:timeout:)`` one id at a time, as SQLite steps through the rows: nothing
    /// is held, whatever the number of members.
    public func forEachInstanceID(
        ofDataset dataset: String, where condition: RowCondition, timeout: Duration? = nil,
        _ body: (String) throws -> Void
    ) throws {
        // NOT MATERIALIZED: row_json is read from the log only for the rows and only when the condition uses it.
        let sql = """
            WITH dataset_rows AS NOT MATERIALIZED (SELECT * FROM \(InstanceRowsView.name) WHERE dataset = ?1)
            SELECT dataset_rows.instance_id FROM dataset_rows WHERE (\(condition.text))
            ORDER BY dataset_rows.position
            """
        try query(sql: sql, arguments: [.text(dataset)], timeout: timeout, columns: { _ in }) { row in
            if let id = row[0].stringValue { try body(id) }
            return true
        }
    }
}
