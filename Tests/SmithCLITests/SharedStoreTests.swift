import Foundation
import Testing

/// Stores on shared machines, run as other users through `setpriv` (root only; otherwise skipped, saying why).
///
/// The users need no entry in /etc/passwd: `setpriv` takes numeric ids, so the test makes up a group of two
/// members and a user outside it.
@Suite struct SharedStoreTests {
    static let team: UInt32 = 60_000
    static let alice: UInt32 = 60_001
    static let bob: UInt32 = 60_002
    static let outsider: UInt32 = 60_003
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why users cannot be switched here, or nil when they can.
    static var skipReason: String? {
        if geteuid() != 0 { return "not root: cannot run commands as other users" }
        if setpriv == nil { return "no setpriv (util-linux) on this machine" }
        return nil
    }

    /// `smithlog ARGS` as `uid` in group `gid` with a umask that grants the group nothing.
    func run(_ cli: CLIHarness, as uid: UInt32, group gid: UInt32, _ args: [String]) throws -> CLIHarness.Result {
        let launcher = [
            Self.setpriv!, "--reuid=\(uid)", "--regid=\(gid)", "--clear-groups", "/bin/sh", "-c",
            "umask 077; exec \"$0\" \"$@\"",
        ]
        return try cli.run(
            args, environment: ["USER": "user\(uid)", "HOME": "/nonexistent", "XDG_CACHE_HOME": ""],
            launcher: launcher)
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? 0
    }

    @Test func aReadOnlyUserRunsQueries() throws {
        if let reason = Self.skipReason {
            print("SharedStoreTests skipped: \(reason)")
            return
        }
        let cli = CLIHarness()
        try cli.recordSampleRun()
        let before = try cli.logLines()
        // The store is root's, 0755 and 0644: the outsider may read it and write nothing in it.
        for args in [
            ["sql", "SELECT count(*) AS n FROM verdicts", "--json"], ["log"], ["leaderboard"], ["verify"],
            ["history", "--json", "pandas-dev__pandas.95280573.pr_1867"], ["stats"],
        ] {
            let r = try run(cli, as: Self.outsider, group: Self.outsider, args)
            #expect(r.status == 0, "\(args) as a read-only user: \(r.stderr)")
        }
        let count = try run(
            cli, as: Self.outsider, group: Self.outsider, ["sql", "SELECT count(*) AS n FROM verdicts"])
        #expect(count.stdout.contains("8"))
        // Recording is refused in one line that names the missing permission; nothing is written.
        let refused = try run(
            cli, as: Self.outsider, group: Self.outsider,
            ["ingest", "trajectories", CLIHarness.runFolder, "--run", "other"])
        #expect(refused.status == 1)
        #expect(stderrLines(refused).count == 1)
        #expect(refused.stderr.contains("no write permission"))
        #expect(try cli.logLines() == before)
    }

    @Test func twoGroupMembersRecordIntoASharedStore() throws {
        if let reason = Self.skipReason {
            print("SharedStoreTests skipped: \(reason)")
            return
        }
        let cli = CLIHarness()
        try cli.ok(["init", "--shared"])
        #expect(chown(cli.store, 0, Self.team) == 0 && chown(cli.store + "/log", 0, Self.team) == 0)
        for file in ["data.mdb", "lock.mdb"] { #expect(chown(cli.store + "/log/" + file, 0, Self.team) == 0) }
        #expect(try mode(cli.store) & 0o7777 == 0o2775)
        #expect(try mode(cli.store + "/log/data.mdb") & 0o777 == 0o664)

        let steps: [(UInt32, [String])] = [
            (
                Self.alice,
                [
                    "dataset", "import", CLIHarness.sample + "/datasets/swesmith-sample.json", "--name",
                    "swesmith-sample",
                ]
            ),
            (Self.bob, ["ingest", "trajectories", CLIHarness.runFolder, "--run", "sample-run"]),
            (Self.alice, ["ingest", "eval", CLIHarness.evalFolder, "--run", "sample-eval", "--of-run", "sample-run"]),
            (Self.bob, ["sql", "SELECT count(*) FROM verdicts"]),
            (
                Self.alice,
                [
                    "sft", "build", "sample-sft", "--traj-run", "sample-run", "--eval-run", "sample-eval",
                    "--system-prompt-from", CLIHarness.inferConfig,
                ]
            ),
            (Self.bob, ["leaderboard"]),
        ]
        for (user, args) in steps {
            let r = try run(cli, as: user, group: Self.team, args)
            #expect(r.status == 0, "\(args) as \(user): \(r.stderr)")
        }
        // Whoever made a file, with whatever umask, it is group-writable and in the store's group.
        let files = try FileManager.default.subpathsOfDirectory(atPath: cli.store)
        #expect(files.contains("projections.sqlite"))
        for file in files {
            let path = cli.store + "/" + file
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value == Self.team, "\(file)")
            #expect(try mode(path) & 0o060 == 0o060, "\(file) is not group-writable")
        }
        let verified = try cli.run(["verify"])
        #expect(verified.status == 0, "\(verified.stderr)")
    }
}
