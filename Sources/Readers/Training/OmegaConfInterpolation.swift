internal import SmithJSON

/// Resolves OmegaConf `${key.path}` interpolations in config strings against the config itself.
enum OmegaConfInterpolation {
    /// Interpolations that point at further interpolations are followed this deep, then left as written.
    static let maxDepth = 16

    static func resolve(_ text: String, in root: JSONValue, depth: Int = 0) -> String {
        guard depth < maxDepth, text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            out += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let reference = String(afterOpen[..<close])
            let whole = String(rest[open.lowerBound...close])
            if let value = lookup(reference, in: root) {
                out += resolve(value, in: root, depth: depth + 1)
            } else {
                out += whole
            }
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        out += rest
        return out
    }

    /// The text of the value at `a.b.c`, when it is a scalar; resolvers (`oc.env:X`) and missing keys give nil.
    private static func lookup(_ reference: String, in root: JSONValue) -> String? {
        guard !reference.contains(":"), !reference.isEmpty else { return nil }
        var node = root
        for part in reference.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = node[String(part)] else { return nil }
            node = next
        }
        switch node {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "True" : "False"
        default: return nil
        }
    }
}
