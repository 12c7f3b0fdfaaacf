import Foundation
import SmithProjections
import Testing

@Suite("SQLite wrapper")
struct SQLiteDatabaseTests {
    @Test("values bind and read back with their types")
    func roundTrip() throws {
        let dir = TempDir()
        let db = try SQLiteDatabase(path: dir.path + "/t.sqlite")
        try db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, b BLOB, n TEXT, flag INTEGER, e TEXT, eb BLOB)")
        let insert = try db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        try insert.bind(1, Int64.min)
        try insert.bind(2, 0.1 as Double?)
        try insert.bind(3, "naïve ✓ \u{0}inside" as String?)
        try insert.bind(4, [0, 1, 255] as [UInt8]?)
        try insert.bindNull(5)
        try insert.bind(6, true as Bool?)
        try insert.bind(7, "" as String?)
        try insert.bind(8, bytes: Data())
        try insert.execute()
        let rows = try db.prepare("SELECT * FROM t").allRows()
        #expect(
            rows == [
                [
                    .integer(Int64.min), .real(0.1), .text("naïve ✓ \u{0}inside"), .blob([0, 1, 255]), .null,
                    .integer(1),
                    .text(""), .blob([]),
                ]
            ])
        try db.prepare("SELECT i, d, s, b FROM t").forEachRow { row in
            #expect(row.int64(0) == Int64.min)
            #expect(row.double(1) == 0.1)
            #expect(row.string(2) == "naïve ✓ \u{0}inside")
            #expect(row.bytes(3) == [0, 1, 255])
            #expect(row.string(4) == nil)
            return true
        }
        let positional = try db.prepare("SELECT ?, ?, ?")
        try positional.bind([.integer(3), .text("x"), .null])
        #expect(try positional.allRows() == [[.integer(3), .text("x"), .null]])
    }

    @Test("a transaction commits when its closure returns and rolls back when it throws")
    func transactions() throws {
        let dir = TempDir()
        let db = try SQLiteDatabase(path: dir.path + "/t.sqlite")
        try db.exec("CREATE TABLE t (x)")
        try db.transaction { try db.exec("INSERT INTO t VALUES (1)") }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.exec("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        try db.transaction {
            try db.exec("INSERT INTO t VALUES (3)")
            try? db.transaction {
                try db.exec("INSERT INTO t VALUES (4)")
                throw Boom()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.prepare("SELECT x FROM t ORDER BY x").allRows() == [[.integer(1)], [.integer(3)]])
    }

    @Test("cached statements are prepared once and come back reset")
    func statementCache() throws {
        let dir = TempDir()
        let db = try SQLiteDatabase(path: dir.path + "/t.sqlite")
        let a = try db.cachedStatement("SELECT ?")
        try a.bind(1, 5 as Int64?)
        #expect(try a.step())
        let b = try db.cachedStatement("SELECT ?")
        #expect(a === b)
        #expect(try b.scalar() == .null)  // bindings cleared
    }

    @Test("files are in WAL mode with synchronous=NORMAL")
    func pragmas() throws {
        let dir = TempDir()
        let db = try SQLiteDatabase(path: dir.path + "/t.sqlite")
        #expect(try db.prepare("PRAGMA journal_mode").scalar() == .text("wal"))
        #expect(try db.prepare("PRAGMA synchronous").scalar() == .integer(1))
    }

    @Test("errors are typed and name the file")
    func errors() throws {
        let dir = TempDir()
        let path = dir.path + "/t.sqlite"
        let db = try SQLiteDatabase(path: path)
        let syntax = try #require(throws: ProjectionError.self) { try db.exec("SELEC 1") }
        #expect(syntax.code == .invalidQuery && syntax.path == path && syntax.description.contains("syntax error"))
        try db.exec("CREATE TABLE t (x PRIMARY KEY)")
        try db.exec("INSERT INTO t VALUES (1)")
        let insert = try db.prepare("INSERT INTO t VALUES (1)")
        let constraint = try #require(throws: ProjectionError.self) { try insert.execute() }
        #expect(constraint.sqliteCode.map { $0 & 0xff } == 19)
        #expect(constraint.description.contains("UNIQUE constraint failed"))
        let missing = try #require(throws: ProjectionError.self) {
            try SQLiteDatabase(path: dir.path + "/no/such/folder/x.sqlite")
        }
        #expect(missing.path == dir.path + "/no/such/folder/x.sqlite")
        let readOnly = try SQLiteDatabase(path: path, mode: .readOnly)
        let refused = try #require(throws: ProjectionError.self) { try readOnly.exec("INSERT INTO t VALUES (2)") }
        #expect(refused.code == .writeRefused)
    }
}
