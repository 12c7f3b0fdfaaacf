/// The SWE-bench benchmarks smithlog scores against, with the full size the official leaderboard divides by.
public enum BenchmarkCatalog {
    /// Test-split sizes: Lite 300 and Verified 500 (SWE-bench's datasets `princeton-nlp/SWE-bench_Lite` and
    /// `princeton-nlp/SWE-bench_Verified`), Multimodal 510 (`princeton-nlp/SWE-bench_Multimodal`, test split, as
    /// sb-cli's `swe-bench-m` scores it).
    public static let sizes: [String: Int] = [
        "swe-bench_lite": 300,
        "swe-bench_verified": 500,
        "swe-bench-m": 510,
    ]

    public static var names: String { sizes.keys.sorted().joined(separator: ", ") }

    /// Whether an id has the SWE-bench shape `<owner>__<repo>-<number>`; the full id lists are not shipped, so
    /// this is what can be checked offline.
    public static func looksLikeInstanceID(_ id: String) -> Bool {
        guard let sep = id.range(of: "__"), let dash = id.lastIndex(of: "-"), dash > sep.upperBound else {
            return false
        }
        let number = id[id.index(after: dash)...]
        return !id[..<sep.lowerBound].isEmpty && !number.isEmpty && number.allSatisfy(\.isASCII)
            && number.allSatisfy(\.isNumber)
    }
}
