import Foundation
import SmithJSON
import SmithProjections
import SmithQueries

extension SQLValue {
    /// The value as a cell shows it: nothing for NULL, numbers as written.
    var cell: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return Format.fixed(v, 2)
        case .text(let v): return v
        case .blob(let b): return "(\(b.count) bytes)"
        }
    }
    var int: Int? { int64Value.map(Int.init) }
}

enum Num {
    static func pct(_ v: Double?) -> String { v.map { Format.fixed($0, 1) + "%" } ?? "" }
    static func money(_ v: Double?) -> String { v.map { "$" + Format.fixed($0, 2) } ?? "" }
    static func bytes(_ n: Int) -> String {
        n < 1024
            ? "\(n) B"
            : n < 1024 * 1024
                ? "\(Format.fixed(Double(n) / 1024, 1)) KB"
                : "\(Format.fixed(Double(n) / 1_048_576, 1)) MB"
    }

    /// The 95% Wilson score interval of `k` successes in `n`, in percent.
    static func wilson(_ k: Int, _ n: Int) -> (low: Double, high: Double)? {
        guard n > 0 else { return nil }
        let z = 1.959963984540054
        let p = Double(k) / Double(n)
        let nn = Double(n)
        let denom = 1 + z * z / nn
        let centre = (p + z * z / (2 * nn)) / denom
        let half = z * ((p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()) / denom
        return (100 * max(0, centre - half), 100 * min(1, centre + half))
    }

    static func ci(_ k: Int, _ n: Int) -> String {
        guard let w = wilson(k, n) else { return "" }
        return "\(Format.fixed(w.low, 1))–\(Format.fixed(w.high, 1))"
    }
}

/// `owner__repo.hash.kind` (SWE-smith) or `owner__repo-123` (SWE-bench) → `owner/repo`.
func repoOf(_ id: String) -> String {
    guard let sep = id.range(of: "__") else { return id }
    let owner = id[..<sep.lowerBound]
    var rest = id[sep.upperBound...]
    if let dot = rest.firstIndex(of: ".") {
        rest = rest[..<dot]
    } else if let dash = rest.lastIndex(of: "-"), rest[rest.index(after: dash)...].allSatisfy(\.isNumber) {
        rest = rest[..<dash]
    }
    return owner + "/" + rest
}

/// A filter bar: one `<form method=get>` with text inputs (name, label, value) and a submit button.
func filterForm(_ action: String, _ fields: [(String, String, String?)], hidden: [(String, String)] = []) -> Markup {
    var children: [Markup] = fields.map { name, label, value in
        .el("label", [:], [Markup(label + " "), .el("input", ["name": name, "value": value ?? "", "size": "18"])])
    }
    children += hidden.map { .el("input", ["type": "hidden", "name": $0.0, "value": $0.1]) }
    children.append(.el("button", ["type": "submit"], text: "Filter"))
    return .el("form", ["class": "filters", "method": "get", "action": action], children)
}

/// A unified diff with added, removed, hunk and header lines coloured.
func diffMarkup(_ patch: String) -> Markup {
    let lines = patch.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Markup in
        let s = String(line)
        let cls: String?
        if s.hasPrefix("+++") || s.hasPrefix("---") || s.hasPrefix("diff ") || s.hasPrefix("index ") {
            cls = "meta"
        } else if s.hasPrefix("+") {
            cls = "add"
        } else if s.hasPrefix("-") {
            cls = "del"
        } else if s.hasPrefix("@@") {
            cls = "hunk"
        } else {
            cls = nil
        }
        return cls.map { .el("span", ["class": $0], text: s + "\n") } ?? Markup(s + "\n")
    }
    return .el("pre", ["class": "diff"], lines)
}

/// Shortens `text` to `limit` UTF-8 bytes (on a character boundary), saying how much was left out.
func clipped(_ text: String, _ limit: Int) -> (String, Int?) {
    let count = text.utf8.count
    guard count > limit else { return (text, nil) }
    var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
    while !text.unicodeScalars.indices.contains(end) && end > text.startIndex { end = text.utf8.index(before: end) }
    return (String(text[..<end]), count)
}

extension JSONValue {
    /// A string field, or the value's JSON when it is not a string; nil when absent or null.
    func text(_ key: String) -> String? {
        guard let v = self[key] else { return nil }
        if let s = v.stringValue { return s }
        if case .null = v { return nil }
        return PythonJSON.dumps(v, ensureASCII: false, indent: 2)
    }
}
