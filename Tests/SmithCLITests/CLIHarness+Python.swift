import Foundation
import Testing

extension CLIHarness {
    /// The one integer `sql` gives over the projections file of `store` (default: this harness's), as Python's
    /// `sqlite3` reads it: what pandas sees, with no smithlog query (which would catch up first) in between.
    func python(count sql: String, store: String? = nil) throws -> Int {
        let script = """
            import sqlite3, sys
            connection = sqlite3.connect(sys.argv[1])
            print(connection.execute(sys.argv[2]).fetchone()[0])
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, (store ?? self.store) + "/projections.sqlite", sql]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3: \(errors)")
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
