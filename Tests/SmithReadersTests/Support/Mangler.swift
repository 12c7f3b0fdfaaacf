import SmithJSON

/// Broken copies of a fixture's bytes, each saying what kind of damage it has.
struct Mangled: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable { case empty, truncated, invalidUTF8, typeChanged }
    var kind: Kind
    var label: String
    var bytes: [UInt8]
    /// For type changes: the JSON path the reader must name.
    var expectedJSONPath: String?

    var description: String { "\(kind.rawValue) \(label)" }
}

enum Mangler {
    /// Cut points as fractions of the content; each is moved so the cut never lands just after white space
    /// (a JSON Lines file cut right after a line break would still be valid).
    static let cutFractions = [0.0, 0.1, 0.5, 0.9, 1.0]

    static func truncations(_ bytes: [UInt8]) -> [Mangled] {
        var end = bytes.count
        while end > 0, isSpace(bytes[end - 1]) { end -= 1 }
        guard end > 1 else { return [] }
        var cuts: [Int] = []
        for fraction in cutFractions {
            var cut = min(max(1, Int(Double(end) * fraction)), end - 1)
            while cut > 1, isSpace(bytes[cut - 1]) { cut -= 1 }
            if !cuts.contains(cut) { cuts.append(cut) }
        }
        return cuts.map {
            Mangled(kind: .truncated, label: "at byte \($0) of \(bytes.count)", bytes: Array(bytes[..<$0]))
        }
    }

    /// A lone 0xFF (never valid UTF-8) at the start, middle and end, and a cut-off two-byte sequence in the middle.
    static func invalidUTF8(_ bytes: [UInt8]) -> [Mangled] {
        var out: [Mangled] = []
        for (label, at, insert) in [
            ("0xFF at start", 0, [UInt8(0xFF)]), ("0xFF in the middle", bytes.count / 2, [0xFF]),
            ("0xFF before the end", max(0, bytes.count - 2), [0xFF]),
            ("0xC3 alone in the middle", bytes.count / 3, [0xC3, 0x28]),
        ] {
            var copy = bytes
            copy.insert(contentsOf: insert, at: at)
            out.append(Mangled(kind: .invalidUTF8, label: label, bytes: copy))
        }
        return out
    }

    static func empty() -> Mangled { Mangled(kind: .empty, label: "0 bytes", bytes: []) }

    /// The JSON document with the value at `path` replaced, written back the way Python would.
    static func replacing(
        _ path: [PathStep], with value: JSONValue, in bytes: [UInt8], expected: String
    ) throws -> Mangled {
        let document = try JSONParser.parse(bytes)
        let changed = set(path[...], to: value, in: document)
        return Mangled(
            kind: .typeChanged, label: expected, bytes: PythonJSON.dumpBytes(changed, ensureASCII: false, indent: 2),
            expectedJSONPath: expected)
    }

    /// A JSON Lines file with the value at `path` of line `line` (0-based) replaced.
    static func replacingInLines(
        line: Int, _ path: [PathStep], with value: JSONValue, in bytes: [UInt8], expected: String
    ) throws -> Mangled {
        var lines: [[UInt8]] = bytes.split(separator: 0x0A, omittingEmptySubsequences: true).map { Array($0) }
        let document = try JSONParser.parse(lines[line])
        lines[line] = PythonJSON.dumpBytes(set(path[...], to: value, in: document), ensureASCII: false)
        let joined: [UInt8] = lines.flatMap { $0 + [0x0A] }
        return Mangled(kind: .typeChanged, label: expected, bytes: joined, expectedJSONPath: expected)
    }

    /// A text file (YAML) with the first occurrence of `target` replaced.
    static func replacingText(
        _ target: String, with replacement: String, in bytes: [UInt8], expected: String
    ) -> Mangled {
        let text = String(decoding: bytes, as: UTF8.self)
        let changed = text.replacingFirst(target, with: replacement)
        return Mangled(kind: .typeChanged, label: expected, bytes: Array(changed.utf8), expectedJSONPath: expected)
    }

    enum PathStep: Sendable { case key(String), index(Int) }

    private static func set(_ path: ArraySlice<PathStep>, to value: JSONValue, in node: JSONValue) -> JSONValue {
        guard let step = path.first else { return value }
        switch (step, node) {
        case (.key(let key), .object(var pairs)):
            if let i = pairs.firstIndex(where: { $0.0 == key }) {
                pairs[i].1 = set(path.dropFirst(), to: value, in: pairs[i].1)
            }
            return .object(pairs)
        case (.index(let index), .array(var items)):
            if items.indices.contains(index) { items[index] = set(path.dropFirst(), to: value, in: items[index]) }
            return .array(items)
        default:
            return node
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
