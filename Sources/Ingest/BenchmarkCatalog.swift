/// The SWE-bench benchmarks smithlog scores against, with the full size the official leaderboard divides by.
///
/// The full id lists are not shipped, so an id cannot be checked for membership offline: what is checked is
/// its shape (`looksLikeInstanceID`) and that no count exceeds the benchmark's size.
public enum BenchmarkCatalog {
    /// Instances per benchmark and split, the one table of sizes in smithlog.
    ///
    /// Source: the Hugging Face dataset cards (`splits: num_examples`) of `princeton-nlp/SWE-bench_Lite`
    /// (dev 23, test 300), `princeton-nlp/SWE-bench_Verified` (test 500) and `princeton-nlp/SWE-bench_Multimodal`
    /// (dev 102, test 510); the keys are sb-cli's subset names (`swe-bench_lite`, `swe-bench_verified`,
    /// `swe-bench-m`).
    public static let sizes: [String: [String: Int]] = [
        "swe-bench_lite": ["dev": 23, "test": 300],
        "swe-bench_verified": ["test": 500],
        "swe-bench-m": ["dev": 102, "test": 510],
    ]

    /// The benchmark names, sorted, for messages.
    public static var names: String { sizes.keys.sorted().joined(separator: ", ") }

    /// The size of `benchmark`'s `split`; throws a one-line message naming what exists otherwise.
    public static func size(benchmark: String, split: String) throws -> Int {
        guard let splits = sizes[benchmark] else {
            throw IngestError("--benchmark \(benchmark): expected one of \(names)")
        }
        guard let size = splits[split] else {
            throw IngestError(
                "--split \(split): \(benchmark) has the splits \(splits.keys.sorted().joined(separator: ", "))")
        }
        return size
    }

    /// Whether an id has the SWE-bench shape `<owner>__<repo>-<number>`.
    public static func looksLikeInstanceID(_ id: String) -> Bool {
        guard let sep = id.range(of: "__"), let dash = id.lastIndex(of: "-"), dash > sep.upperBound else {
            return false
        }
        let owner = id[..<sep.lowerBound]
        let repo = id[sep.upperBound..<dash]
        let number = id[id.index(after: dash)...]
        return !owner.isEmpty && !repo.isEmpty && !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
            && !id.contains(where: \.isWhitespace)
    }
}
