import Foundation
import SmithJSON

/// Access to the golden files (bundled) and the shared fixtures (read in place from the source tree).
enum GoldenFiles {
    /// `Golden/` as copied into the test bundle.
    static let root: URL = Bundle.module.url(forResource: "Golden", withExtension: nil)!

    /// `Tests/Fixtures/`, found from this file's path: the fixtures are not bundled.
    static let fixtures: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    static func fixtureBytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(relativePath)))
    }

    static func json(_ relativePath: String) throws -> JSONValue {
        try JSONParser.parse(try bytes(relativePath))
    }

    static let systemPrompt: String = {
        let data = try! bytes("sft/system_prompt.txt")
        return String(decoding: data, as: UTF8.self)
    }()
}

/// Shows where two byte strings first differ, for readable failures on long lines.
func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    let n = min(a.count, b.count)
    var i = 0
    while i < n && a[i] == b[i] { i += 1 }
    if i == n && a.count == b.count { return "equal" }
    let from = max(0, i - 60)
    let ctxA = String(decoding: a[from..<min(a.count, i + 60)], as: UTF8.self)
    let ctxB = String(decoding: b[from..<min(b.count, i + 60)], as: UTF8.self)
    return "first difference at byte \(i) (sizes \(a.count) vs \(b.count)):\n  got:      \(ctxA)\n  expected: \(ctxB)"
}
