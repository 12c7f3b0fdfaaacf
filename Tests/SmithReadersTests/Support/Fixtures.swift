import Foundation

/// Paths of the read-only fixture files (`Tests/Fixtures`), found relative to this source file.
enum Fixtures {
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SmithReadersTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures").resolvingSymlinksInPath().path

    static func path(_ relative: String) -> String { root + "/" + relative }

    /// Every file under `Tests/Fixtures` whose name ends with `suffix`, sorted, as paths relative to the root.
    static func files(endingWith suffix: String, under folder: String = "") -> [String] {
        let base = folder.isEmpty ? root : path(folder)
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let next = walker.nextObject() as? String {
            if next.hasSuffix(suffix) && !next.hasPrefix("synthetic/") {
                out.append(folder.isEmpty ? next : folder + "/" + next)
            }
        }
        return out.sorted()
    }

    static let sweSmithTrajectory =
        "swe-smith/trajectories/pandas-dev__pandas.95280573.pr_53856/pandas-dev__pandas.95280573.pr_53856.traj"
}
