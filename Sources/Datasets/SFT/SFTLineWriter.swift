import SmithJSON

/// Writes an SFT line: Python's `json.dumps({"messages": [...], "instance_id": ID}) + "\n"`.
///
/// Default separators (`", "`, `": "`), `ensure_ascii=True`, keys in that order; values are written
/// as `json.loads` would have read them (repeated keys merged, numbers re-spelled).
enum SFTLineWriter {
    static func write(_ messages: SFTMessages, instanceId: String, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"messages": "#.utf8)
        switch messages {
        case .passthrough(let value):
            PythonJSON.dump(value, into: &out)
        case .rendered(let list):
            guard !list.isEmpty else {
                out.append(contentsOf: "[]".utf8)
                break
            }
            out.append(UInt8(ascii: "["))
            for (i, message) in list.enumerated() {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                out.append(contentsOf: #"{"role": "#.utf8)
                PythonJSON.dump(message.role, into: &out)
                out.append(contentsOf: #", "content": "#.utf8)
                PythonJSON.dump(message.content, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: #", "instance_id": "#.utf8)
        PythonJSON.dump(.string(instanceId), into: &out)
        out.append(contentsOf: "}\n".utf8)
    }
}
