import Foundation
import Testing

/// The quick variant of the mangled-input campaign (`tools/mangle --quick`, issue 15): a few hundred broken copies
/// of the fixtures fed to every reader command of the built binary; no crash, hang, partial write,
/// store-breaking acceptance or over-long error line.
@Suite("CLI: mangled inputs")
struct MangleTests {
    @Test("tools/mangle --quick: no crash, hang, partial write, breaking acceptance or long line")
    func quickCampaign() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", CLIHarness.repoRoot + "/tools/mangle", "--quick", "--bin", CLIHarness.binary.path]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SMITHLOG_STORE")
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // One pipe for both streams, read to the end before waiting so the campaign never blocks on it.
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "tools/mangle --quick exited \(p.terminationStatus):\n\(report)")
    }
}
