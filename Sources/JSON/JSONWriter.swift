/// The serialiser behind ``PythonJSON``: layout, member order and number spelling are options.
struct JSONWriter {
    enum MemberOrder {
        /// Python dict semantics (repeated keys merged), in source order.
        case python
        /// Python dict semantics, sorted by key (`sort_keys=True`).
        case pythonSorted
        /// Every pair as it is, in source order.
        case verbatim
        /// Every pair, sorted by the key's UTF-8 bytes; pairs with equal keys keep their source order.
        case sortedByBytes
    }

    enum NumberStyle {
        /// As Python writes the value `json.loads` made of the literal.
        case python
        /// The literal's source text.
        case verbatim
    }

    var ensureASCII: Bool
    /// The unit of indentation; `nil` writes everything on one line.
    var indent: [UInt8]?
    var itemSeparator: [UInt8]
    var keySeparator: [UInt8]
    var memberOrder: MemberOrder
    var numberStyle: NumberStyle

    func write(_ value: JSONValue, into out: inout [UInt8], level: Int = 0) {
        switch value {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let text):
            switch numberStyle {
            case .python: out.append(contentsOf: PythonNumber.jsonText(text).utf8)
            case .verbatim: out.append(contentsOf: text.utf8)
            }
        case .string(let s):
            JSONStringEscaper.write(s, ensureASCII: ensureASCII, into: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(ASCII.openBracket)
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(contentsOf: itemSeparator) }
                newline(into: &out, level: level + 1)
                write(element, into: &out, level: level + 1)
            }
            newline(into: &out, level: level)
            out.append(ASCII.closeBracket)
        case .object(let pairs):
            guard !pairs.isEmpty else {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(ASCII.openBrace)
            var first = true
            forEachMember(pairs) { key, member in
                if !first { out.append(contentsOf: itemSeparator) }
                first = false
                newline(into: &out, level: level + 1)
                JSONStringEscaper.write(key, ensureASCII: ensureASCII, into: &out)
                out.append(contentsOf: keySeparator)
                write(member, into: &out, level: level + 1)
            }
            newline(into: &out, level: level)
            out.append(ASCII.closeBrace)
        }
    }

    private func newline(into out: inout [UInt8], level: Int) {
        guard let indent else { return }
        out.append(ASCII.newline)
        for _ in 0..<level { out.append(contentsOf: indent) }
    }

    private func forEachMember(_ pairs: [(String, JSONValue)], _ body: (String, JSONValue) -> Void) {
        switch memberOrder {
        case .verbatim:
            for (key, value) in pairs { body(key, value) }
        case .python:
            for (key, value) in PythonDict.items(pairs) { body(key, value) }
        case .pythonSorted:
            for (key, value) in Self.sortedByBytes(PythonDict.items(pairs)) { body(key, value) }
        case .sortedByBytes:
            for (key, value) in Self.sortedByBytes(pairs) { body(key, value) }
        }
    }

    /// Pairs sorted by key bytes (which is also Unicode code point order); a stable sort.
    static func sortedByBytes(_ pairs: [(String, JSONValue)]) -> [(String, JSONValue)] {
        let order = pairs.indices.sorted { a, b in
            let (ka, kb) = (pairs[a].0.utf8, pairs[b].0.utf8)
            if ka.elementsEqual(kb) { return a < b }
            return ka.lexicographicallyPrecedes(kb)
        }
        return order.map { pairs[$0] }
    }
}

/// The compact and canonical forms (no whitespace, numbers verbatim, raw UTF-8 strings), written without
/// ``JSONWriter``'s layout options: these run once or twice for every appended event.
///
/// Output is byte for byte what the general writer produces with the matching options.
enum CompactWriter {
    /// Appends the compact form of `value` (members in source order) to `out`.
    static func writeCompact(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .object(let pairs):
            out.append(ASCII.openBrace)
            for i in pairs.indices {
                if i > 0 { out.append(ASCII.comma) }
                JSONStringEscaper.write(pairs[i].0, ensureASCII: false, into: &out)
                out.append(ASCII.colon)
                writeCompact(pairs[i].1, into: &out)
            }
            out.append(ASCII.closeBrace)
        case .array(let elements):
            out.append(ASCII.openBracket)
            for i in elements.indices {
                if i > 0 { out.append(ASCII.comma) }
                writeCompact(elements[i], into: &out)
            }
            out.append(ASCII.closeBracket)
        default:
            writeScalar(value, into: &out)
        }
    }

    /// Appends the canonical form of `value` (members stably sorted by key bytes) to `out`.
    static func writeCanonical(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .object(let pairs):
            out.append(ASCII.openBrace)
            withSortedOrder(pairs) { order in
                for (n, i) in order.enumerated() {
                    if n > 0 { out.append(ASCII.comma) }
                    JSONStringEscaper.write(pairs[i].0, ensureASCII: false, into: &out)
                    out.append(ASCII.colon)
                    writeCanonical(pairs[i].1, into: &out)
                }
            }
            out.append(ASCII.closeBrace)
        case .array(let elements):
            out.append(ASCII.openBracket)
            for i in elements.indices {
                if i > 0 { out.append(ASCII.comma) }
                writeCanonical(elements[i], into: &out)
            }
            out.append(ASCII.closeBracket)
        default:
            writeScalar(value, into: &out)
        }
    }

    /// Appends the compact form of `value` to `compact` and its canonical form to `canonical` in one pass.
    ///
    /// Each scalar and key is escaped once, into `compact`, and copied from there; an object whose keys are
    /// out of order has its members' canonical bytes moved into key order once they are all written.
    static func writeBoth(_ value: JSONValue, compact: inout [UInt8], canonical: inout [UInt8]) {
        switch value {
        case .object(let pairs):
            compact.append(ASCII.openBrace)
            canonical.append(ASCII.openBrace)
            if !pairs.isEmpty {
                withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs.count + 1) { starts in
                    var sorted = true
                    for i in pairs.indices {
                        if i > 0 {
                            compact.append(ASCII.comma)
                            canonical.append(ASCII.comma)
                            if sorted && compareUTF8(pairs[i - 1].0, pairs[i].0) > 0 { sorted = false }
                        }
                        starts[i] = canonical.count
                        let keyStart = compact.count
                        JSONStringEscaper.write(pairs[i].0, ensureASCII: false, into: &compact)
                        compact.append(ASCII.colon)
                        copyTail(of: compact, from: keyStart, to: &canonical)
                        writeBoth(pairs[i].1, compact: &compact, canonical: &canonical)
                    }
                    // As if a comma followed the last member: member i is starts[i] ..< starts[i + 1] - 1.
                    starts[pairs.count] = canonical.count + 1
                    if !sorted { reorderMembers(pairs, starts: starts, in: &canonical) }
                }
            }
            compact.append(ASCII.closeBrace)
            canonical.append(ASCII.closeBrace)
        case .array(let elements):
            compact.append(ASCII.openBracket)
            canonical.append(ASCII.openBracket)
            for i in elements.indices {
                if i > 0 {
                    compact.append(ASCII.comma)
                    canonical.append(ASCII.comma)
                }
                writeBoth(elements[i], compact: &compact, canonical: &canonical)
            }
            compact.append(ASCII.closeBracket)
            canonical.append(ASCII.closeBracket)
        default:
            let start = compact.count
            writeScalar(value, into: &compact)
            copyTail(of: compact, from: start, to: &canonical)
        }
    }

    /// Rewrites an object's members, written to the end of `out` in source order (member `i` at
    /// `starts[i] ..< starts[i + 1] - 1`, commas between), in canonical order.
    private static func reorderMembers(
        _ pairs: [(String, JSONValue)], starts: UnsafeMutableBufferPointer<Int>, in out: inout [UInt8]
    ) {
        let regionStart = starts[0]
        let regionCount = out.count - regionStart
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: regionCount) { region in
            out.withUnsafeBufferPointer { bytes in
                _ = region.initialize(from: UnsafeBufferPointer(rebasing: bytes[regionStart...]))
            }
            withSortedOrder(pairs) { order in
                out.withUnsafeMutableBufferPointer { bytes in
                    var at = regionStart
                    for (n, i) in order.enumerated() {
                        if n > 0 {
                            bytes[at] = ASCII.comma
                            at += 1
                        }
                        let lower = starts[i] - regionStart
                        let upper = starts[i + 1] - 1 - regionStart
                        let member = UnsafeBufferPointer(rebasing: region[lower..<upper])
                        _ = UnsafeMutableBufferPointer(rebasing: bytes[at..<at + member.count]).initialize(
                            from: member)
                        at += member.count
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func writeScalar(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: appendUTF8("null", to: &out)
        case .bool(let b): appendUTF8(b ? "true" : "false", to: &out)
        case .number(let text): appendUTF8(text, to: &out)
        case .string(let s): JSONStringEscaper.write(s, ensureASCII: false, into: &out)
        case .array, .object: preconditionFailure("not a scalar")
        }
    }

    @inline(__always)
    private static func appendUTF8(_ string: String, to out: inout [UInt8]) {
        if string.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: string.utf8)
        }
    }

    @inline(__always)
    private static func copyTail(of source: [UInt8], from start: Int, to out: inout [UInt8]) {
        source.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start...])) }
    }

    /// Calls `body` with the indices of `pairs` stably sorted by key bytes, without allocating for small
    /// objects; in source order when the keys already are.
    static func withSortedOrder<R>(_ pairs: [(String, JSONValue)], _ body: (UnsafeBufferPointer<Int>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: pairs.count) { order in
            for i in 0..<pairs.count { order[i] = i }
            var sorted = true
            for i in pairs.indices.dropFirst() where compareUTF8(pairs[i - 1].0, pairs[i].0) > 0 {
                sorted = false
                break
            }
            if !sorted {
                if pairs.count <= 32 {
                    // Insertion sort: stable, and quick for the handful of keys a payload has.
                    for i in 1..<pairs.count {
                        let moving = order[i]
                        var j = i
                        while j > 0 && compareUTF8(pairs[order[j - 1]].0, pairs[moving].0) > 0 {
                            order[j] = order[j - 1]
                            j -= 1
                        }
                        order[j] = moving
                    }
                } else {
                    let keys = pairs.map { Array($0.0.utf8) }
                    let sortedOrder = pairs.indices.sorted { a, b in
                        keys[a] == keys[b] ? a < b : keys[a].lexicographicallyPrecedes(keys[b])
                    }
                    for (n, i) in sortedOrder.enumerated() { order[n] = i }
                }
            }
            return body(UnsafeBufferPointer(order))
        }
    }

    /// Compares two strings by their UTF-8 bytes (Unicode scalar order): negative, zero or positive.
    static func compareUTF8(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                for i in 0..<n where x[i] != y[i] { return Int(x[i]) - Int(y[i]) }
                return x.count - y.count
            }
        }
    }
}
