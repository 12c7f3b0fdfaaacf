/// The parts of an instance id that `combine_trajs` counts in its metadata.
///
/// Both are byte-level `rsplit`s, as in Python, so an id without a `.` is its own repo (and its
/// bug type is what is left before its last `_`): `pandas-dev__pandas.95280573.pr_53652` is repo
/// `pandas-dev__pandas.95280573` (the commit stays in) and bug type `pr`;
/// `...func_pm_op_swap__abc` is `func_pm`.
enum InstanceId {
    /// `k.rsplit(".", 1)[-1].rsplit("_", 1)[0]`, with every `func_pm*` counted as `func_pm`.
    static func bugType(_ id: String) -> String {
        let tail = rsplit(id, UInt8(ascii: ".")).last
        let bugType = rsplit(tail, UInt8(ascii: "_")).first
        return bugType.utf8.starts(with: "func_pm".utf8) ? "func_pm" : bugType
    }

    /// `k.rsplit(".", 1)[0]`.
    static func repo(_ id: String) -> String {
        rsplit(id, UInt8(ascii: ".")).first
    }

    /// `s.rsplit(sep, 1)` as (first, last); without `sep` both are `s`.
    private static func rsplit(_ s: String, _ separator: UInt8) -> (first: String, last: String) {
        let bytes = Array(s.utf8)
        guard let i = bytes.lastIndex(of: separator) else { return (s, s) }
        return (String(decoding: bytes[..<i], as: UTF8.self), String(decoding: bytes[(i + 1)...], as: UTF8.self))
    }
}
