import SmithJSON

/// Finds the last steps of a .traj without materialising the others.
///
/// Each step repeats the conversation so far, so a .traj grows with the square of its length;
/// the reader validates and skips every step, keeping only the byte ranges of the last two, and
/// parses the last one (and the one before it only when asked). The whole document is still
/// validated, as `json.load` would.
enum TrajectoryScanner {
    /// The tail of the trajectory in `bytes`. `bytes` must outlive the returned tail (its
    /// `previous` parses from them).
    static func tail(of bytes: UnsafeRawBufferPointer) throws(SFTError) -> TrajectoryTail {
        var found = Found.absent
        do {
            var reader = JSONReader(bytes)
            guard try reader.peekKind() == .object else {
                let kind = try reader.peekKind()
                try reader.skipValue()
                try reader.finish()
                throw SFTError(.wrongType, at: "$", "a trajectory must be a JSON object, found \(kind)")
            }
            try reader.readObject { key, reader in
                // Python's dict keeps the last of repeated keys, so a later `trajectory` replaces an earlier one.
                guard key.utf8.elementsEqual("trajectory".utf8) else { return }
                guard try reader.peekKind() == .array else {
                    found = .other(try reader.readValue())
                    return
                }
                var count = 0
                var last: Range<Int>?
                var previous: Range<Int>?
                try reader.readArray { _, reader in
                    previous = last
                    last = try reader.readRawValue()
                    count += 1
                }
                found = .steps(count: count, last: last, previous: previous)
            }
            try reader.finish()
        } catch let error as SFTError {
            throw error
        } catch let error as JSONParseError {
            throw SFTError(.invalidJSON, at: error.path, "not valid JSON: \(error.message) at line \(error.line) "
                + "column \(error.column) (byte \(error.offset))")
        } catch {
            throw SFTError(.invalidJSON, at: "$", "not valid JSON: \(error)")
        }

        switch found {
        case .absent:
            throw SFTError(.missingKey, at: "$", "no 'trajectory' key (not a SWE-agent trajectory with steps)")
        case .other(let value):
            return try TrajectoryTail(steps: value)
        case .steps(let count, let last, let previous):
            guard let last else { throw SFTError(.noSteps, at: "$.trajectory", "the trajectory has no steps") }
            let lastStep = try step(in: bytes, last, path: "$.trajectory[-1]")
            return TrajectoryTail(
                stepCount: count, last: lastStep.value, lastHasLoneSurrogate: lastStep.hasLoneSurrogate,
                previous: { () throws(SFTError) in try step(in: bytes, previous!, path: "$.trajectory[-2]") })
        }
    }

    private enum Found {
        case absent
        case other(JSONValue)
        case steps(count: Int, last: Range<Int>?, previous: Range<Int>?)
    }

    private static func step(
        in bytes: UnsafeRawBufferPointer, _ range: Range<Int>, path: String
    ) throws(SFTError) -> TrajectoryTail.Step {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        do {
            return TrajectoryTail.Step(value: try JSONParser.parse(raw), hasLoneSurrogate: LoneSurrogates.present(in: raw))
        } catch {
            throw SFTError(.invalidJSON, at: path, "not valid JSON: \(error)")
        }
    }
}
