import ArgumentParser
import Foundation
import SmithWeb

/// `smithlog serve`: the read-only web UI over the store.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve a read-only web UI: leaderboards, runs, trajectories, comparisons, lineage, SFT sets, the log.",
        discussion: """
            Pages are rendered by the server from the projections (caught up before a request when the log has \
            grown, so an ingest that finished before a page was loaded shows on it); the server never writes to the \
            log. It listens on 127.0.0.1 unless --host says otherwise: trajectories can hold secrets, so another \
            host prints a warning. --port 0 picks a free port; the URL is printed at start. Ctrl-C stops it. \
            With --export DIR it writes the same pages as static files instead (serve them with any static file \
            server, e.g. `python3 -m http.server -d DIR`); --only NAME limits them to pages about NAME.

            Examples:
              smithlog serve
              smithlog serve --port 0
              smithlog serve --export site --only my-run
            """)

    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "The port to listen on (0: any free port).") var port = 8080
    @Option(help: "The address to listen on (a non-loopback one prints a warning).") var host = "127.0.0.1"
    @Option(help: "Write the pages as static files into this folder instead of serving them.") var export: String?
    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: "With --export: only the pages about these names (repeatable).")
    var only: [String] = []

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        if !only.isEmpty && export == nil { throw ValidationError("--only goes with --export DIR") }
    }

    func run() throws {
        let store = try WebStore(location: storeOptions.location)
        let site = Site(store: store)
        if let export {
            let report = try StaticExport.write(site, to: export, only: only)
            Console.note("serve --export: \(report.pages) files (\(report.bytes) bytes) in \(export)")
            return
        }
        if !WebServer.isLoopback(host) {
            Console.note(
                "warning: listening on \(host), not loopback: anyone who can reach this machine can read the "
                    + "store's trajectories")
        }
        let host = self.host
        let app = WebServer.application(site: site, host: host, port: port) { bound in
            let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            // Written straight to the descriptor: a script reading the port must not wait for a buffer to fill.
            FileHandle.standardOutput.write(Data("smithlog serve: http://\(shown):\(bound)/ (Ctrl-C stops it)\n".utf8))
        }
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task.detached {
            do {
                try await app.runService()
            } catch {
                failure.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = failure.get() { throw error }
    }
}

/// The server task's error, handed back to the command's thread.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ e: any Error) { lock.withLock { error = e } }
    func get() -> (any Error)? { lock.withLock { error } }
}
