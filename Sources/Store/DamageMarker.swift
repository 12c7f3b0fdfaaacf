import Foundation

/// `log/damaged`: written by `verify` when it finds damage, removed by a later `verify` that passes. While it
/// exists, appends are refused (``EventLog/checkTail(_:)``): writing after damage would chain new events to
/// records that cannot be trusted, and bury the damage under them.
struct DamageMarker {
    /// What `verify` found: the first bad record's seq, when the damage is in one, and the first problem.
    struct Finding: Equatable {
        var seq: UInt64?
        var problem: String
    }

    let path: String

    init(logPath: String) { path = logPath + "/damaged" }

    /// The recorded finding; nil when there is none.
    ///
    /// A marker that cannot be parsed still counts as damage found (with no seq): it is only ever written whole.
    func read() throws(LogError) -> Finding? {
        guard let bytes = try StoreFiles.contents(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let first = lines.first.map(String.init) ?? ""
        let problem = lines.count > 1 ? lines[1].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        if first.hasPrefix("seq "), let seq = UInt64(first.dropFirst(4)) {
            return Finding(seq: seq, problem: problem)
        }
        return Finding(seq: nil, problem: first == "seq -" ? problem : text)
    }

    func write(_ finding: Finding) throws(LogError) {
        let problem = finding.problem.split(whereSeparator: \.isNewline).joined(separator: " ")
        try StoreFiles.replace(path, with: Array("seq \(finding.seq.map(String.init) ?? "-")\n\(problem)\n".utf8))
    }

    func remove() throws(LogError) { try StoreFiles.delete(path) }
}
