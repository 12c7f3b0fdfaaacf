/// The few `pathlib.PurePosixPath` operations `combine_trajs` uses, so recorded paths read as
/// Python prints them (`str(Path("trajectories_sft/") / "a.jsonl")` is `trajectories_sft/a.jsonl`).
struct PythonPath {
    /// `/`, `//` (POSIX keeps exactly two leading slashes) or empty for a relative path.
    private(set) var root: String
    private(set) var parts: [String]

    /// `PurePosixPath(text)`: empty and `.` components dropped, repeated slashes collapsed.
    init(_ text: String) {
        let bytes = Array(text.utf8)
        var slashes = 0
        while slashes < bytes.count && bytes[slashes] == UInt8(ascii: "/") { slashes += 1 }
        root = slashes == 0 ? "" : slashes == 2 ? "//" : "/"
        parts = text.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    }

    private init(root: String, parts: [String]) {
        self.root = root
        self.parts = parts
    }

    /// `str(path)`.
    var string: String {
        let joined = root + parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// `path / other` for a relative `other`.
    func appending(_ other: String) -> PythonPath {
        let rhs = PythonPath(other)
        if !rhs.root.isEmpty { return rhs }
        return PythonPath(root: root, parts: parts + rhs.parts)
    }

    /// `path.parent`.
    var parent: PythonPath {
        parts.isEmpty ? self : PythonPath(root: root, parts: Array(parts.dropLast()))
    }

    /// `path.name`.
    var name: String { parts.last ?? "" }

    /// `path.stem`: the name without its last suffix (a leading or trailing dot is not one).
    var stem: String {
        let name = Array(self.name.utf8)
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < name.count - 1 else {
            return self.name
        }
        return String(decoding: name[..<dot], as: UTF8.self)
    }
}
