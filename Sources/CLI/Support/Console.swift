import Foundation

/// Writing to stdout and stderr, and knowing whether they are terminals.
enum Console {
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1

    /// One line on stderr, prefixed with the program name (shortened as ``elided(_:)`` says).
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((elided("smithlog: " + message) + "\n").utf8))
    }

    /// A note on stderr (summaries, warnings), without prefix; each of its lines shortened as ``elided(_:)``
    /// says.
    static func note(_ message: String) {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { elided(String($0)) }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// The longest line written to stderr.
    static let maximumLineLength = 300

    /// `line`, or when longer than ``maximumLineLength`` characters, shortened in the middle of its longest
    /// words first, then in its own middle.
    ///
    /// Only a line quoting its input can be that long: a path, a name, a JSON path of a deep document. A
    /// word keeps its start and, longer, its end (a path's file name, a JSON path's last keys); the line keeps
    /// what failed (its start) and what was expected (its end).
    static func elided(_ line: String) -> String {
        var length = line.count
        guard length > maximumLineLength else { return line }
        var words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        while length > maximumLineLength, let longest = words.indices.max(by: { words[$0].count < words[$1].count }),
            words[longest].count > minimumWord
        {
            let word = words[longest]
            let kept = max(minimumWord - 1, word.count - (length - maximumLineLength) - 1)
            words[longest] = String(word.prefix(kept / 3)) + "…" + String(word.suffix(kept - kept / 3))
            length -= word.count - words[longest].count
        }
        let shortened = words.joined(separator: " ")
        guard length > maximumLineLength else { return shortened }
        let marker = " … "
        let tail = (maximumLineLength - marker.count) / 3
        return String(shortened.prefix(maximumLineLength - marker.count - tail)) + marker
            + String(shortened.suffix(tail))
    }

    /// Words this long or shorter are left whole.
    private static let minimumWord = 40

    /// A transient progress line on stderr, only when stderr is a terminal.
    static func progress(_ message: String) {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + message).utf8))
    }

    static func clearProgress() {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Buffered stdout: commands that print many lines write through this, not `print`.
final class OutputBuffer {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func line(_ s: String) {
        write(s)
        buffer.append(10)
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
