import Foundation
import SmithStore
import Testing

@testable import SmithProjections

@Suite("Projection schema")
struct ProjectionSchemaTests {
    static let sqlFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schema/projections.sql")

    @Test("schema/projections.sql is exactly the DDL the code runs")
    func fileMatchesConstant() throws {
        let file = try String(contentsOf: Self.sqlFile, encoding: .utf8)
        #expect(file == ProjectionSchema.ddl)
    }

    @Test("changing the DDL requires a new schema version")
    func versionGuard() {
        // When this fails: bump ProjectionSchema.version (old files then rebuild themselves) and record the
        // new pair here.
        let known: [Int64: String] = [
            1: "1e2bc8b381de592504493039bc704ad3820b0096a011243c6cfb1e030b6fcf4e",
            2: "0ebae0553a33b6edd5558c7df8d1a087e06d27408d749a26f2c9444049768ca2",
            3: "2a925ca38f0ba11a81b50ea832051306aaf2407b1b10b10f5cabee224c00e0dd",
            4: "ec04ca4a727bbb85b64868498d7c9ab6d94da9523631d212978bd338fa8c4c11",
            5: "96fc1e78d27dbd9d95258f4f5524139b647b2ca522f5d1397cffc4b2813df76b",
            6: "2dc50f81b692727e4a7e3835d4adefc2db5690b6ee42492030c1c15f0b7cf111",
            7: "88f750dde68ddf06dab4e57ce6c5fccd3e20d2c23a9165f3413429491039e4de",
            8: "e7dd950aaaeaff85dbb2bbedad2e76917bca648db0fa9881e8aea41546a3ccdc",
        ]
        let hash = Digest.sha256(Array(ProjectionSchema.ddl.utf8)).hex
        #expect(known[ProjectionSchema.version] == hash, "DDL changed: bump the version (hash \(hash))")
    }

    @Test("every column in the DDL has a comment")
    func everyColumnCommented() {
        var inTable = false
        for line in ProjectionSchema.ddl.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("CREATE TABLE") || line.hasPrefix("CREATE VIEW") || line.hasPrefix("SELECT") {
                inTable = true
                continue
            }
            if line.hasPrefix(")") || line.hasPrefix("FROM") || line.hasPrefix("WHERE") {
                inTable = false
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard inTable, line.hasPrefix("    "), !trimmed.hasPrefix("PRIMARY KEY"), !trimmed.hasPrefix("WHERE"),
                !trimmed.hasPrefix("--")
            else { continue }
            #expect(line.contains("--"), "no comment: \(line)")
        }
    }

    @Test("the 95% Wilson interval matches the textbook formula")
    func wilson() throws {
        let w = try #require(WilsonInterval(successes: 325, trials: 500))
        #expect(abs(w.low * 100 - 60.719287100619525) < 1e-9)
        #expect(abs(w.high * 100 - 69.05198268553391) < 1e-9)
        let none = try #require(WilsonInterval(successes: 0, trials: 10))
        #expect(none.low == 0 && abs(none.high * 100 - 27.75327998628892) < 1e-9)
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
    }
}
