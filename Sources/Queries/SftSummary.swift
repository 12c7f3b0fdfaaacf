import SmithDomain
public import SmithJSON
public import SmithProjections
import SmithReaders

/// `smithlog sft show`: what an SFT dataset holds and where it came from.
public enum SftSummary {
    /// The summary as JSON: the dataset version's row (`name` is `NAME` or `NAME@N`), counts per repo and bug type, message and length statistics.
    public static func make(name: String, jsonl: [UInt8], projections: ProjectionEngine) throws -> JSONValue {
        var dataset: [(String, JSONValue)] = []
        if let row = try NamedRow.find(VersionedName(parsing: name), .sft, projections) {
            for (column, value) in row.columns { dataset.append((column, value.jsonValue)) }
        }
        var repos = OrderedCounts()
        var bugTypes = OrderedCounts()
        var messageCounts: [Int] = []
        var characterCounts: [Int] = []
        // The export was checked against its recorded SHA-256, so every line parses.
        try JSONLines.forEachLine(jsonl) { _, range in
            let line = try JSONParser.parse(jsonl[range])
            let id = line["instance_id"]?.stringValue ?? ""
            repos.add(InstanceID.combineTrajsRepo(id))
            bugTypes.add(InstanceID(id).bugType)
            let messages = line["messages"]?.arrayValue ?? []
            messageCounts.append(messages.count)
            characterCounts.append(messages.reduce(0) { $0 + ($1["content"]?.stringValue?.count ?? 0) })
        }
        return .object([
            ("dataset", .object(dataset)),
            ("samples", .int(messageCounts.count)),
            ("by_repo", repos.json),
            ("by_bug_type", bugTypes.json),
            ("messages_per_sample", Stats(messageCounts).json),
            ("characters_per_sample", Stats(characterCounts).json),
        ])
    }

    /// A short human-readable rendering of `make`'s result.
    public static func text(_ s: JSONValue) -> String {
        var out = ""
        if let d = s["dataset"]?.objectValue {
            for (k, v) in d { out += "\(k): \(PythonRepr.str(v))\n" }
        }
        out += "samples: \(PythonRepr.str(s["samples"] ?? .null))\n"
        for key in ["by_repo", "by_bug_type", "messages_per_sample", "characters_per_sample"] {
            out += "\(key):\n"
            for (k, v) in s[key]?.objectValue ?? [] { out += "  \(k): \(PythonRepr.str(v))\n" }
        }
        return out
    }

    struct OrderedCounts {
        var keys: [String] = []
        var counts: [String: Int] = [:]
        mutating func add(_ k: String) {
            if counts[k] == nil { keys.append(k) }
            counts[k, default: 0] += 1
        }
        var json: JSONValue {
            .object(
                keys.sorted { counts[$0]! != counts[$1]! ? counts[$0]! > counts[$1]! : $0 < $1 }.map {
                    ($0, .int(counts[$0]!))
                })
        }
    }

    /// Min, median, mean and max of counts.
    package struct Stats {
        var values: [Int]
        package init(_ values: [Int]) { self.values = values.sorted() }

        /// The middle value, or the mean of the two middle values of an even count (60 for [45, 75]): an integer
        /// when it is one, else a number ending in .5.
        package var median: JSONValue {
            let upper = values[values.count / 2]
            guard values.count % 2 == 0 else { return .int(upper) }
            let sum = values[values.count / 2 - 1] + upper
            return sum % 2 == 0 ? .int(sum / 2) : .number(PythonFloat.repr(Double(sum) / 2))
        }

        package var json: JSONValue {
            guard !values.isEmpty else { return .object([]) }
            let mean = Double(values.reduce(0, +)) / Double(values.count)
            return .object([
                ("min", .int(values.first!)), ("median", median),
                ("mean", .number(PythonFloat.repr((mean * 10).rounded() / 10))), ("max", .int(values.last!)),
            ])
        }
    }
}

extension SQLValue {
    /// The value as JSON (blobs as hex strings).
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .integer(let i): return .int(i)
        case .real(let d): return d.isFinite ? .number(PythonFloat.repr(d)) : .null
        case .text(let s): return .string(s)
        case .blob(let b): return .string(QueryOutput.hex(b))
        }
    }
}
