internal import SmithJSON

/// Reads one dataset row at the reader's position: records its byte range and lifts out the typed fields,
/// skipping the rest (patches, problem statements) without decoding them.
enum DatasetRowReader {
    static func read(
        _ reader: inout JSONReader, in bytes: UnsafeRawBufferPointer, index: Int, line: Int,
        path: @autoclosure () -> JSONPath, file: String
    ) throws -> DatasetRow {
        try reader.expect(.object, "a dataset row (an object)", at: path(), file: file)
        let start = reader.offset
        var instanceId: String?
        var repo: String?
        var imageName: String?
        var createdAt: String?
        var failToPass: Int?
        var passToPass: Int?
        var hasTaskFields = false
        var hasMessages = false
        try reader.readObject { key, reader in
            if taskKeys.contains(key) { hasTaskFields = true }
            if key == "messages" { hasMessages = true }
            switch key {
            case "instance_id": instanceId = try reader.readString(at: path().key(key), file: file, allowNull: false)
            case "repo": repo = try reader.readString(at: path().key(key), file: file, allowNull: true)
            case "image_name": imageName = try reader.readString(at: path().key(key), file: file, allowNull: true)
            case "created_at": createdAt = try reader.readString(at: path().key(key), file: file, allowNull: true)
            case "FAIL_TO_PASS": failToPass = try testCount(&reader, at: path().key(key), file: file)
            case "PASS_TO_PASS": passToPass = try testCount(&reader, at: path().key(key), file: file)
            default: break  // skipped (and validated) by readObject
            }
        }
        let end = reader.offset
        guard let instanceId else {
            throw ReadError(
                path: file, jsonPath: path().key("instance_id").text,
                message: "missing required key \"instance_id\" (expected a string)")
        }
        return DatasetRow(
            index: index, line: line, byteRange: start..<end, raw: copyBytes(bytes, start..<end),
            instanceId: instanceId,
            repo: repo, failToPassCount: failToPass, passToPassCount: passToPass, imageName: imageName,
            createdAt: createdAt, bugType: InstanceID(instanceId).bugType, hasTaskFields: hasTaskFields,
            hasMessages: hasMessages)
    }

    /// Keys SWE-smith's and SWE-bench's task instances have and other JSON with an `instance_id` (an SFT line,
    /// a prediction) does not.
    static let taskKeys: Set<String> = [
        "repo", "patch", "problem_statement", "FAIL_TO_PASS", "PASS_TO_PASS", "base_commit", "test_patch",
        "image_name",
    ]

    /// The number of tests in a FAIL_TO_PASS / PASS_TO_PASS value: a JSON list of names (SWE-smith, the
    /// SWE-bench harness's own files) or a string holding such a list as JSON (SWE-bench on Hugging Face).
    static func testCount(
        _ reader: inout JSONReader, at path: @autoclosure () -> JSONPath, file: String
    ) throws -> Int? {
        switch try reader.peekKind() {
        case .null:
            try reader.skipValue()
            return nil
        case .array:
            var count = 0
            try reader.readArray { i, reader in
                try reader.expect(.string, "a test name (a string)", at: path().index(i), file: file)
                count += 1
            }
            return count
        case .string:
            let text = try reader.readString()
            let list = try JSONDocument.parseEmbedded(text, file: file, at: path(), what: "a list of test names")
            guard case .array(let items) = list else {
                throw ReadError(
                    path: file, jsonPath: path().text,
                    message: "expected a list of test names in the string, found \(FoundDescription.of(list))")
            }
            for (i, item) in items.enumerated() where item.stringValue == nil {
                throw ReadError(
                    path: file, jsonPath: path().text,
                    message: "expected a test name (a string) at index \(i) of the list in the string, found "
                        + FoundDescription.of(item))
            }
            return items.count
        default:
            let value = try reader.readValue()
            throw ReadError(
                path: file, jsonPath: path().text,
                message: "expected a list of test names or a JSON string of one, found \(FoundDescription.of(value))")
        }
    }
}

/// A copy of `range` of `bytes` in one `memcpy` (slicing a raw buffer into an Array copies byte by byte).
func copyBytes(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: range.count) { buffer, count in
        if let target = buffer.baseAddress, let source = bytes.baseAddress, !range.isEmpty {
            target.initialize(
                from: source.advanced(by: range.lowerBound).assumingMemoryBound(to: UInt8.self), count: range.count)
        }
        count = range.count
    }
}
