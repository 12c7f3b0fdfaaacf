internal import SmithJSON

/// A torchtune `DiskLogger` log: the metrics a recipe logged at each step (loss, lr, tokens per second, ...).
///
/// torchtune's `torchtune/training/metric_logging.py` writes `log_<unix time>.txt` under `metric_logger.log_dir`:
/// `log_dict` writes `Step {step} | ` then `{name}:{value} ` per metric and a newline, and `log` writes
/// `Step {step} | {name}:{value}` and a newline. A value is whatever Python's `str` gives: a float's repr
/// (`1e-05`, `nan`, `inf`), an int, or a 0-d tensor (`tensor(0.6931)`, `tensor(0.5, dtype=torch.bfloat16)`), as
/// the DPO recipes log their reward metrics. With `output_fmt: jsonl` (torchtune 0.7) it writes
/// `log_<unix time>.jsonl` instead: one `{"step": N, name: value, ...}` object a line.
public struct DiskLoggerLog: Sendable, Equatable {
    /// One line of the log: its step and its metrics, in the order written.
    public struct Entry: Sendable, Equatable {
        /// 1-based line in the file.
        public var line: Int
        public var step: Int
        /// (name, value); NaN stands for `nan` (a diverged loss), infinities for `inf`/`-inf`.
        public var values: [(String, Double)]

        public init(line: Int, step: Int, values: [(String, Double)]) {
            self.line = line
            self.step = step
            self.values = values
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.line == b.line && a.step == b.step && a.values.count == b.values.count
                && zip(a.values, b.values).allSatisfy { x, y in
                    x.0 == y.0 && (x.1 == y.1 || (x.1.isNaN && y.1.isNaN))
                }
        }
    }

    /// `txt` or `jsonl`.
    public var format: String
    public var entries: [Entry]

    /// Metric names in the order they first appear.
    public var names: [String] {
        var seen = Set<String>()
        var out: [String] = []
        for e in entries {
            for (name, _) in e.values where seen.insert(name).inserted { out.append(name) }
        }
        return out
    }

    /// Reads a log's bytes; `file` names it in errors. A file whose first non-blank byte is `{` is read as the
    /// JSON Lines format, any other as the text format.
    ///
    /// Throws `ReadError` (`file: line N: expected ..., found ...`) for the first line that is not a step line,
    /// for invalid UTF-8, and for a log with no step at all. Blank lines are skipped.
    public static func read(_ bytes: [UInt8], file: String) throws(ReadError) -> DiskLoggerLog {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ReadError(
                path: file, message: "expected a torchtune DiskLogger log (UTF-8 text), found invalid UTF-8")
        }
        let jsonLines = text.first(where: { !$0.isWhitespace }) == "{"
        var entries: [Entry] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) { continue }
            entries.append(
                jsonLines
                    ? try jsonEntry(line, number: number, file: file) : try textEntry(line, number: number, file: file))
        }
        guard !entries.isEmpty else {
            throw ReadError(
                path: file, message: "expected a torchtune DiskLogger log (`Step N | name:value ...` lines), found none"
            )
        }
        return DiskLoggerLog(format: jsonLines ? "jsonl" : "txt", entries: entries)
    }

    static let textShape = "`Step N | name:value ...` (a torchtune DiskLogger line)"

    /// `Step 12 | loss:0.53 lr:2e-05 ` → step 12, [(loss, 0.53), (lr, 2e-05)].
    static func textEntry(_ line: Substring, number: Int, file: String) throws(ReadError) -> Entry {
        func fail(_ what: String) -> ReadError {
            ReadError(
                path: file, jsonPath: nil,
                message: "line \(number): expected \(textShape), found \(what) in \(quoted(line))")
        }
        guard line.hasPrefix("Step ") else { throw fail("no `Step ` at the start") }
        let afterStep = line.dropFirst(5)
        guard let bar = afterStep.firstRange(of: " | ") else { throw fail("no ` | ` after the step") }
        guard let step = Int(afterStep[..<bar.lowerBound]), step >= 0 else {
            throw fail("the step \(quoted(afterStep[..<bar.lowerBound])), not a non-negative integer")
        }
        var rest = afterStep[bar.upperBound...]
        var values: [(String, Double)] = []
        while true {
            rest = rest.drop(while: { $0 == " " })
            if rest.isEmpty { break }
            guard let colon = rest.firstIndex(of: ":") else { throw fail("\(quoted(rest)) with no `:`") }
            let name = String(rest[..<colon])
            guard !name.isEmpty, !name.contains(" ") else { throw fail("the metric name \(quoted(name))") }
            var valueText: Substring
            let afterColon = rest[rest.index(after: colon)...]
            if afterColon.hasPrefix("tensor(") {
                // A tensor's str may hold spaces (`tensor(0.5, dtype=torch.bfloat16)`): read to its `)`.
                guard let close = afterColon.firstIndex(of: ")") else { throw fail("an unclosed tensor(") }
                valueText = afterColon[..<afterColon.index(after: close)]
            } else {
                valueText = afterColon.prefix(while: { $0 != " " })
            }
            guard let value = Self.number(valueText) else {
                throw fail("the value \(quoted(valueText)) of \(name), not a number")
            }
            values.append((name, value))
            rest = afterColon[valueText.endIndex...]
        }
        guard !values.isEmpty else { throw fail("no `name:value` after the step") }
        return Entry(line: number, step: step, values: values)
    }

    /// `{"step": 12, "loss": 0.53, "lr": 2e-05}` (the jsonl format).
    static func jsonEntry(_ line: Substring, number: Int, file: String) throws(ReadError) -> Entry {
        let shape = "a JSON object with \"step\" and numbers (a torchtune DiskLogger jsonl line)"
        func fail(_ what: String) -> ReadError {
            ReadError(path: file, message: "line \(number): expected \(shape), found \(what)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(line.utf8))
        } catch {
            // Python's json.dump writes a float nan or inf as the bare words NaN and Infinity, which JSON lacks.
            let python = String(line).replacing(": NaN", with: ": \"nan\"")
                .replacing(": -Infinity", with: ": \"-inf\"").replacing(": Infinity", with: ": \"inf\"")
            guard python != String(line), let retried = try? JSONParser.parse(Array(python.utf8)) else {
                throw fail("invalid JSON (\(error))")
            }
            value = retried
        }
        guard case .object(let pairs) = value else { throw fail(FoundDescription.of(value)) }
        guard let step = value["step"]?.int64Value, step >= 0 else { throw fail("no non-negative integer \"step\"") }
        var values: [(String, Double)] = []
        for (key, v) in pairs where key != "step" {
            switch v {
            case .number(let text):
                guard let d = Double(text) else { throw fail("the value \(text) of \(key)") }
                values.append((key, d))
            case .string(let text):
                // `default=str` writes what json cannot (numpy scalars, `nan`): a number in a string.
                guard let d = Self.number(Substring(text)) else { throw fail("the value \(quoted(text)) of \(key)") }
                values.append((key, d))
            default:
                throw fail("\(FoundDescription.of(v)) for \(key)")
            }
        }
        guard !values.isEmpty else { throw fail("no metric besides \"step\"") }
        return Entry(line: number, step: Int(step), values: values)
    }

    /// A value as Python's `str` wrote it: `0.25`, `1e-05`, `3`, `nan`, `inf`, `-inf`, `tensor(0.25)`,
    /// `tensor(0.25, device='cuda:0')`; nil for anything else.
    static func number(_ text: Substring) -> Double? {
        var inner = text
        if inner.hasPrefix("tensor(") && inner.hasSuffix(")") {
            inner = inner.dropFirst("tensor(".count).dropLast()
            if let comma = inner.firstIndex(of: ",") { inner = inner[..<comma] }
        }
        guard !inner.isEmpty, inner.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return nil }
        switch inner {
        case "nan", "-nan": return .nan
        case "inf": return .infinity
        case "-inf": return -.infinity
        default:
            // Swift's Double(_:) also takes hex floats and "infinity"; Python's str never writes those.
            guard inner.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Double(inner)
        }
    }

    /// At most 60 characters of `text`, quoted.
    static func quoted(_ text: some StringProtocol) -> String {
        let s = String(text)
        return "\"" + (s.count > 60 ? String(s.prefix(57)) + "..." : s) + "\""
    }
}
