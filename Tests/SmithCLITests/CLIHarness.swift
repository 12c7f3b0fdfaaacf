import Foundation

/// Runs the built `smithlog` binary in a temporary working folder, as a user would.
final class CLIHarness {
    let dir: String
    let store: String
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtures = repoRoot + "/Tests/Fixtures"
    static let sample = repoRoot + "/examples/sample"
    static let golden = repoRoot + "/Tests/SmithCLITests/Golden"

    static var binary: URL {
        let bundle = Bundle.main.bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("smithlog")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
    }

    init() {
        dir = NSTemporaryDirectory() + "smithlog-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        store = dir + "/store"
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// Runs `smithlog ARGS --store <temp store>` (the store option is added unless `storeOption` is false).
    ///
    /// `environment` is merged into this process's; the variables named in `unset` are removed from it.
    /// `launcher`: a program and its arguments that run the binary (e.g. `setpriv` as another user).
    /// `workingDirectory`: where it runs (default: this harness's folder).
    @discardableResult
    func run(
        _ args: [String], storeOption: Bool = true, environment: [String: String] = [:], unset: [String] = [],
        launcher: [String] = [], workingDirectory: String? = nil
    ) throws -> Result {
        let p = Process()
        let arguments = args + (storeOption ? ["--store", store] : [])
        if let program = launcher.first {
            p.executableURL = URL(fileURLWithPath: program)
            p.arguments = launcher.dropFirst() + [Self.binary.path] + arguments
        } else {
            p.executableURL = Self.binary
            p.arguments = arguments
        }
        p.currentDirectoryURL = URL(fileURLWithPath: workingDirectory ?? dir)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SMITHLOG_STORE")
        for (k, v) in environment { env[k] = v }
        for k in unset { env.removeValue(forKey: k) }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: [UInt8](outData))
    }

    /// A copy of a fixture folder or file in this harness's folder, safe to change.
    func copy(_ source: String, to name: String) throws -> String {
        let target = dir + "/" + name
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    func read(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
}

/// Carries the stderr bytes out of the reading thread; the DispatchGroup orders the accesses.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
