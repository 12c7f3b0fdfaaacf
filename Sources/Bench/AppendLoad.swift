import ArgumentParser
import Foundation
import SmithJSON
import SmithStore

/// Appends synthetic events; used by the multi-process and crash tests as well as by hand.
struct AppendLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append", abstract: "Append N small synthetic events in batches.")

    @Option var store: String
    @Option var events: Int = 1000
    @Option var batch: Int = 100
    @Option(help: "Distinguishes this writer's events from other writers'.") var writer: String = "w0"
    @Flag(help: "Print 'mid-batch' inside a write transaction, then wait for stdin to close.")
    var holdMidBatch = false
    @Option(help: "Which batch (1-based) --hold-mid-batch holds.") var holdBatch: Int = 1

    func run() throws {
        let log = try EventLog.create(at: StoreLocation(root: store))
        var n = 0
        var batchNumber = 0
        while n < events {
            let count = min(batch, events - n)
            let batchEvents = (n..<n + count).map { i in
                SyntheticEvents.small(writer: writer, index: i)
            }
            batchNumber += 1
            let hook: (() -> Void)? =
                (holdMidBatch && batchNumber == holdBatch)
                ? {
                    FileHandle.standardOutput.write(Data("mid-batch\n".utf8))
                    _ = FileHandle.standardInput.readDataToEndOfFile()
                } : nil
            try log.append(batchEvents, midTransaction: hook)
            n += count
        }
    }
}

/// Small events shaped like the pipeline's (a verdict-sized payload).
enum SyntheticEvents {
    /// Cheap to build (no string interpolation, no generic integer formatting): the benchmark times the
    /// building of its events together with their append.
    static func small(writer: String, index: Int) -> NewEvent {
        let indexText = String(index)
        return NewEvent(
            type: index % 10 == 0 ? "TrajectoryProduced" : "EvalVerdictRecorded",
            stream: "run/" + writer + "-" + String(index / 1000),
            payload: .object([
                ("instance_id", .string("owner__repo.abcdef12.func_pm_op_swap__" + writer + "_" + indexText)),
                ("resolved", .bool(index % 3 == 0)),
                ("f2p_success", .number(digits[index % 7])),
                ("f2p_failure", .number(digits[index % 2])),
                ("writer", .string(writer)),
                ("index", .number(indexText)),
            ]))
    }

    private static let digits = (0..<10).map { String($0) }
}
