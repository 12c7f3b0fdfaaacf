import Foundation
import SmithJSON

/// The cases CPython computed (`tools/golden/pycompat.py` writes `Golden/pycompat.json`).
enum Golden {
    static let pycompat: JSONValue = {
        guard let url = Bundle.module.url(forResource: "pycompat", withExtension: "json", subdirectory: "Golden")
        else { fatalError("Golden/pycompat.json is missing from the test bundle") }
        do {
            return try JSONParser.parse([UInt8](try Data(contentsOf: url)))
        } catch {
            fatalError("cannot read Golden/pycompat.json: \(error)")
        }
    }()

    static func section(_ name: String) -> [JSONValue] {
        pycompat[name]?.arrayValue ?? []
    }

    /// `Tests/Fixtures`, found from this source file's path.
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue {
        arrayValue![index]
    }

    var string: String { stringValue! }
    var int: Int { Int(int64Value!) }
}

/// Collects mismatches so a failing golden test reports the first few instead of thousands.
struct Mismatches {
    private(set) var count = 0
    private(set) var samples: [String] = []

    mutating func check(_ actual: String, _ expected: String, _ label: @autoclosure () -> String) {
        guard !actual.utf8.elementsEqual(expected.utf8) else { return }
        count += 1
        if samples.count < 8 { samples.append("\(label())\n  got:      \(actual)\n  expected: \(expected)") }
    }

    var report: String { "\(count) mismatches:\n" + samples.joined(separator: "\n") }
}

/// The decimal text of a non-negative integer given as 32-bit words, least significant first.
func decimalString(words: [UInt32]) -> String {
    var words = words
    while words.last == 0 { words.removeLast() }
    if words.isEmpty { return "0" }
    var chunks: [UInt32] = []  // base 10^9, least significant first
    while !words.isEmpty {
        var remainder: UInt64 = 0
        for i in stride(from: words.count - 1, through: 0, by: -1) {
            let value = remainder << 32 | UInt64(words[i])
            words[i] = UInt32(value / 1_000_000_000)
            remainder = value % 1_000_000_000
        }
        chunks.append(UInt32(remainder))
        while words.last == 0 { words.removeLast() }
    }
    var text = String(chunks.last!)
    for chunk in chunks.dropLast().reversed() {
        let digits = String(chunk)
        text += String(repeating: "0", count: 9 - digits.count) + digits
    }
    return text
}
