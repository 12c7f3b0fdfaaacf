import SmithDomain
import SmithJSON
public import SmithStore

/// `smithlog sft import FILE --name N`: an SFT jsonl smithlog did not build (a published set, a colleague's file),
/// recorded line by line so that `sft export N` gives its bytes back and `checkpoint record` matches a config
/// naming it by hash.
///
/// Recorded as `SftDatasetBuilt` (style `imported`, transform `import`, the file's base name and SHA-256, no
/// inputs) and one `FtSampleEmitted` per line, the line's bytes (with its newline) as the blob, exactly as
/// `sft build` stores lines; a line's `instance_id` (a string that is a valid id) is recorded with it, else "".
/// Every line must be a JSON object; an empty file is refused. Importing the same file under the same name
/// again records nothing.
public enum SftImport {
    public struct Result: Sendable {
        public var report: IngestReport
        public var lines: Int
        /// Lines naming an instance id, and how many of those ids the store has a task instance for.
        public var withInstance: Int
        public var knownInstances: Int
        public var fileName: String
    }

    public static func run(path: String, name: String, newVersion: Bool = false, log: EventLog) throws -> Result {
        try log.checkNewName(name, .sft, field: "--name")
        try EventValidation.name(name, "--name")
        let fileName = FileReading.baseName(path)
        // Mapped, not read: the walk goes front to back and hands the pages behind it back, so a published set
        // of gigabytes costs its lines' compressed blobs (held for the one transaction), not the file.
        let mapped = try FileReading.mapped(path)
        let bytes = mapped.bytes
        guard !bytes.isEmpty else { throw IngestError("\(path): empty file; an SFT jsonl has one JSON object a line") }

        var lines: [SftRecording.Line] = []
        var blobs: [PreparedBlob] = []
        var fileHash = SHA256Hasher()
        var start = 0
        var number = 0
        var withInstance = 0
        var ids = Set<String>()
        while start < bytes.count {
            number += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? bytes.count
            let line = Array(bytes[start..<end])
            mapped.release(start..<end)
            start = end
            fileHash.update(line)
            let instance = try instanceID(line, path: path, number: number)
            if !instance.isEmpty {
                withInstance += 1
                ids.insert(instance)
            }
            let blob = PreparedBlob(line)
            lines.append(SftRecording.Line(instance: instance, trajectory: nil, line: blob.digest))
            blobs.append(blob)
        }
        let export = fileHash.finalize()
        var known = Set<String>()
        for id in ids {
            try log.forEach(InstanceRegistered.self, stream: StreamName.instance(id)) { _, _ in
                known.insert(id)
                return false
            }
        }

        let template = SftDatasetBuilt(
            name: name, style: "imported", transform: "import", systemPrompt: nil, trajRun: nil, evalRun: nil,
            subset: nil, onlyResolved: false, fileName: fileName, export: export, lines: 0, skipped: [],
            combinedFrom: nil, seed: nil, maxPerInstance: nil, metadata: nil)
        let report = try SftRecording.record(
            template, lines: lines, export: export, lineBlobs: blobs, metadata: nil,
            newVersion: newVersion, log: log)
        return Result(
            report: report, lines: lines.count, withInstance: withInstance,
            knownInstances: lines.filter { known.contains($0.instance) }.count, fileName: fileName)
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The line's `instance_id` when it is a string smithlog accepts as an id, else ""; throws when the line is not
    /// a JSON object (one line: file, line number, what was found).
    private static func instanceID(_ line: [UInt8], path: String, number: Int) throws -> String {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw IngestError("\(path): line \(number): not JSON (\(error)); expected one JSON object a line")
        }
        guard case .object(let pairs) = value else {
            throw IngestError("\(path): line \(number): expected a JSON object, found \(describe(value))")
        }
        // Python's dict keeps a repeated key's last value.
        guard case .string(let id)? = pairs.last(where: { $0.0 == "instance_id" })?.1,
            (try? EventValidation.instanceID(id, "instance_id")) != nil
        else { return "" }
        return id
    }
}
