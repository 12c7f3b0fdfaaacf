import SmithProjections
import SmithQueries
import Testing

@Suite("Text tables fitted to a width")
struct TextTableTests {
    let columns = [
        TableColumn("id", .identifier), TableColumn("n", .number, drop: 1), TableColumn("note", .text, drop: 2),
        TableColumn("hash", .hash, drop: 3), TableColumn("extra", .identifier, drop: 4, byDefault: false),
    ]
    let rows = [
        [
            "marshmallow-code__marshmallow.9716fc62.func_pm_remove_assign__a9s8d7f6", "7", "a long note about it",
            String(repeating: "ab", count: 32), "x",
        ],
        ["pandas-dev__pandas.95280573.pr_1867", "1234", "short", String(repeating: "cd", count: 32), "y"],
    ]

    func render(_ layout: TableLayout) throws -> RenderedTable { try TextTable.render(columns, rows, layout: layout) }

    @Test("without a width every value is whole, numbers right-aligned, no trailing spaces")
    func unlimited() throws {
        let table = try render(.unlimited)
        let lines = table.text.split(separator: "\n")
        #expect(lines[0].hasPrefix("id") && lines[0].hasSuffix("hash"))
        #expect(table.text.contains(String(repeating: "ab", count: 32)))
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
        #expect(lines[3].contains("  1234  short"))
        #expect(table.leftOut.isEmpty)
    }

    @Test("with a width: no line is wider, identifiers whole, hashes 12 characters, columns left out in order")
    func fitted() throws {
        for width in [40, 80, 100, 120, 200] {
            let table = try render(TableLayout(width: width))
            for line in table.text.split(separator: "\n") { #expect(line.count <= width, "\(width): \(line)") }
            if width >= 80 {
                #expect(table.text.contains(rows[0][0]))
                #expect(!table.text.contains(String(repeating: "ab", count: 7)))
            }
        }
        let narrow = try render(TableLayout(width: 80))
        #expect(narrow.leftOut == ["note", "hash"])
        #expect(try render(TableLayout(width: 200)).text.contains(String(repeating: "ab", count: 6)))
        // Text is cut with …; an identifier wraps rather than being cut.
        let cut = try render(TableLayout(width: 90, columns: ["id", "note"]))
        #expect(cut.text.contains("…") && cut.text.contains(rows[0][0]))
        let wrapped = try render(TableLayout(width: 40, columns: ["id"]))
        #expect(!wrapped.text.contains("…"))
        #expect(wrapped.text.filter { !$0.isWhitespace }.contains(rows[0][0]))
    }

    @Test("--columns picks and orders, --wide shows all, an unknown column names the valid ones")
    func choice() throws {
        let picked = try render(TableLayout(columns: ["extra", "id"]))
        #expect(picked.text.hasPrefix("extra  id"))
        #expect(try render(TableLayout(wide: true)).text.split(separator: "\n")[0].hasSuffix("extra"))
        let error = try #require(throws: TableError.self) { try render(TableLayout(columns: ["nope"])) }
        #expect(error.message.contains("nope") && error.message.contains("id, n, note, hash, extra"))
    }

    @Test("sql tables: identifiers whole, hashes shortened, constant columns go first, control characters escaped")
    func sql() throws {
        let columns = ["run", "instance_id", "event_id", "config_json"]
        let rows: [[SQLValue]] = [
            [
                .text("r"), .text(String(repeating: "i", count: 60)), .text(String(repeating: "e", count: 64)),
                .text("{\"a\":\n1}"),
            ],
            [.text("r"), .text("short"), .text(String(repeating: "f", count: 64)), .null],
        ]
        let table = try SQLTable.render(columns: columns, rows: rows, layout: TableLayout(width: 80))
        #expect(table.text.contains(String(repeating: "i", count: 60)))
        #expect(table.leftOut.contains("run"))
        for line in table.text.split(separator: "\n") { #expect(line.count <= 80) }
        let whole = try SQLTable.render(columns: columns, rows: rows, layout: .unlimited)
        #expect(whole.text.contains(String(repeating: "e", count: 64)) && whole.text.contains("{\"a\":\\n1}"))
        #expect(whole.text.contains("NULL"))
    }
}
