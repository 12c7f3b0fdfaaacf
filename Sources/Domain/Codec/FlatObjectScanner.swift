/// Finds the top-level members of a JSON object in its bytes without building values: where each key
/// and value starts and ends, and what kind of value it is.
///
/// Projections read a dozen scalar fields per event, millions of times; building a `JSONValue` (and a
/// `String` per key) costs more than the SQLite inserts. Nested arrays and objects are skipped over
/// (brackets inside strings are respected) and validated only when a projection reads them. Anything
/// unusual (an escape in a key, a raw control character, bad structure) makes `scan` return false, and
/// the caller falls back to the full parser.
package struct FlatObjectScanner {
    package enum Kind: UInt8, Sendable {
        case string, number, bool, null, array, object
    }

    package struct Member: Sendable {
        /// Key bytes, without the quotes.
        package var key: Range<Int>
        /// Value bytes; for strings without the quotes.
        package var value: Range<Int>
        package var kind: Kind
        /// For strings: true when the text holds backslash escapes (and must be decoded).
        package var escaped: Bool
    }

    /// The members of the object in `bytes`, or nil when the fast scan cannot handle it.
    package static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> [Member]? {
        var members: [Member] = []
        members.reserveCapacity(20)
        var i = skipSpace(bytes, 0)
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
        i = skipSpace(bytes, i + 1)
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
            return skipSpace(bytes, i + 1) == bytes.count ? members : nil
        }
        while true {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            guard let (keyEnd, keyEscaped) = stringEnd(bytes, i + 1), !keyEscaped else { return nil }
            let key = (i + 1)..<keyEnd
            i = skipSpace(bytes, keyEnd + 1)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i = skipSpace(bytes, i + 1)
            guard i < bytes.count else { return nil }
            let member: Member
            switch bytes[i] {
            case UInt8(ascii: "\""):
                guard let (end, escaped) = stringEnd(bytes, i + 1) else { return nil }
                member = Member(key: key, value: (i + 1)..<end, kind: .string, escaped: escaped)
                i = end + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard let end = containerEnd(bytes, i) else { return nil }
                member = Member(
                    key: key, value: i..<end, kind: bytes[i] == UInt8(ascii: "{") ? .object : .array,
                    escaped: false)
                i = end
            case UInt8(ascii: "t"):
                guard matches(bytes, i, "true") else { return nil }
                member = Member(key: key, value: i..<(i + 4), kind: .bool, escaped: false)
                i += 4
            case UInt8(ascii: "f"):
                guard matches(bytes, i, "false") else { return nil }
                member = Member(key: key, value: i..<(i + 5), kind: .bool, escaped: false)
                i += 5
            case UInt8(ascii: "n"):
                guard matches(bytes, i, "null") else { return nil }
                member = Member(key: key, value: i..<(i + 4), kind: .null, escaped: false)
                i += 4
            default:
                var end = i
                while end < bytes.count, isNumberByte(bytes[end]) { end += 1 }
                guard end > i else { return nil }
                member = Member(key: key, value: i..<end, kind: .number, escaped: false)
                i = end
            }
            members.append(member)
            i = skipSpace(bytes, i)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ",") {
                i = skipSpace(bytes, i + 1)
                continue
            }
            guard bytes[i] == UInt8(ascii: "}") else { return nil }
            return skipSpace(bytes, i + 1) == bytes.count ? members : nil
        }
    }

    @inline(__always)
    private static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        return i
    }

    /// Index of the closing quote of a string whose text starts at `start`, and whether it has escapes.
    @inline(__always)
    private static func stringEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (Int, Bool)? {
        var i = start
        var escaped = false
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") { return (i, escaped) }
            if c == UInt8(ascii: "\\") {
                escaped = true
                i += 2
                continue
            }
            if c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// Index just past the bracket that closes the container opening at `start`.
    private static func containerEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var depth = 0
        var i = start
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\""):
                guard let (end, _) = stringEnd(b, i + 1) else { return nil }
                i = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return i + 1 }
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Bytes that can appear in a number literal, including Python's NaN and Infinity.
    @inline(__always)
    private static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c == UInt8(ascii: "N")
            || c == UInt8(ascii: "a") || c == UInt8(ascii: "I") || c == UInt8(ascii: "n") || c == UInt8(ascii: "f")
            || c == UInt8(ascii: "i") || c == UInt8(ascii: "t") || c == UInt8(ascii: "y")
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard b.count - start >= n else { return false }
        let w = word.utf8Start
        for k in 0..<n where b[start + k] != w[k] { return false }
        return true
    }
}
