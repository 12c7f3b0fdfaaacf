import Foundation

/// The crash tests' seam, in one place and internal: `SMITHLOG_FAULT_AFTER_ARTIFACTS=N` makes an ingest commit
/// its first N artifacts, then kill itself (SIGKILL, like `kill -9`) while the next ones are pending, so a test
/// can check what an interrupted ingest leaves behind. Unset, it costs one comparison per artifact.
enum FaultInjection {
    static let killAfterArtifacts = ProcessInfo.processInfo.environment["SMITHLOG_FAULT_AFTER_ARTIFACTS"]
        .flatMap(Int.init)

    /// What the batcher does once `artifacts` artifacts were added.
    enum Action { case none, commitNow, kill }

    static func action(afterArtifacts artifacts: Int) -> Action {
        guard let limit = killAfterArtifacts else { return .none }
        if artifacts == limit { return .commitNow }
        return artifacts > limit ? .kill : .none
    }

    static func killNow() -> Never {
        kill(getpid(), SIGKILL)
        fatalError("SIGKILL did not stop the process")
    }
}
