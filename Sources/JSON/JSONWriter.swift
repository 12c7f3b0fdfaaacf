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
