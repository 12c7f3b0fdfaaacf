import SmithJSON

/// `metadata__<stem>.json` of `combine_trajs`: `json.dump({...}, f, indent=4)`.
///
/// Keys in the reference's order; `bug_types_dist` in first-seen order; `repo_count` as
/// `"<repo> | <count>"` strings sorted by count, highest first, ties in first-seen order (Python's
/// `sorted(..., reverse=True)` is stable).
struct CombineMetadata {
    var outputFile: String
    var fileCount: Int
    var lineCount: Int
    var maxPerInstance: Int
    var bugTypes: [(key: String, count: Int)]
    var seed: Int
    var files: [String]
    var repoCounts: [(key: String, count: Int)]

    func bytes() -> [UInt8] {
        let ranked = repoCounts.enumerated().sorted {
            $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
        }
        let value = JSONValue.object([
            ("output_file", .string(outputFile)),
            ("num_files", .int(fileCount)),
            ("num_trajs", .int(lineCount)),
            ("max_per_inst", .int(maxPerInstance)),
            ("bug_types_dist", .object(bugTypes.map { ($0.key, .int($0.count)) })),
            ("seed", .int(seed)),
            ("files", .array(files.map { .string($0) })),
            ("repo_count", .array(ranked.map { .string("\($0.element.key) | \($0.element.count)") })),
        ])
        return PythonJSON.dumpBytes(value, indent: 4)
    }
}
