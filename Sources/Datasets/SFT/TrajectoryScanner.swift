import SmithJSON

/// How much of a .traj the transform checks before using it.
public enum SFTValidation: Sendable, Hashable {
    /// Every byte is checked as `json.load` would check it: bytes the reference cannot load give an
    /// error. The skipped steps still cost a validating pass over the whole file.
    case full
    /// Only the steps the line is made from are checked; the others are crossed by structure alone
    /// (quotes and brackets), about 1.5x faster on a 1 MB .traj. For bytes already known to be
    /// valid JSON, such as blobs the store validated at ingest: on invalid JSON the line may be
    /// built from the wrong bytes instead of failing.
    case stepsOnly
}

/// Finds the last steps of a .traj without materialising the others.
///
/// Each step repeats the conversation so far, so a .traj grows with the square of its length.
/// Every step is crossed, keeping the byte ranges of the last two: validated with full
/// validation, by structure alone with steps-only. Only the last step is parsed (and the one
/// before it when asked).
enum TrajectoryScanner {
    /// The tail of the trajectory in `bytes`. `bytes` must outlive the returned tail (its
    /// `previous` parses from them).
    static func tail(of bytes: UnsafeRawBufferPointer, validation: SFTValidation) throws(SFTError) -> TrajectoryTail {
        let found = try validation == .full ? locateValidating(bytes) : locateStructurally(bytes)
        switch found {
        case .absent:
            throw SFTError(.missingKey, at: "$", "no 'trajectory' key (not a SWE-agent trajectory with steps)")
        case .other(let value):
            return try TrajectoryTail(steps: value)
        case .steps(let last, let previous):
            guard let last else { throw SFTError(.noSteps, at: "$.trajectory", "the trajectory has no steps") }
            let lastStep = try StepReader.read(bytes, last, path: "$.trajectory[-1]")
            return TrajectoryTail(
                hasPrevious: previous != nil, last: lastStep.value, lastHasLoneSurrogate: lastStep.hasLoneSurrogate,
                previous: { () throws(SFTError) in try StepReader.read(bytes, previous!, path: "$.trajectory[-2]") })
        }
    }

    enum Found {
        case absent
        case other(JSONValue)
        /// The byte ranges of the last step and the one before it, where they exist.
        case steps(last: Range<Int>?, previous: Range<Int>?)
    }

    private static func locateValidating(_ bytes: UnsafeRawBufferPointer) throws(SFTError) -> Found {
        var found = Found.absent
        do {
            var reader = JSONReader(bytes)
            let kind = try reader.peekKind()
            guard kind == .object else {
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
                var last: Range<Int>?
                var previous: Range<Int>?
                try reader.readArray { _, reader in
                    previous = last
                    last = try reader.readRawValue()
                }
                found = .steps(last: last, previous: previous)
            }
            try reader.finish()
        } catch let error as SFTError {
            throw error
        } catch let error as JSONParseError {
            throw SFTError(
                .invalidJSON, at: error.path,
                "not valid JSON: \(error.message) at line \(error.line) "
                    + "column \(error.column) (byte \(error.offset))")
        } catch {
            throw SFTError(.invalidJSON, at: "$", "not valid JSON: \(error)")
        }
        return found
    }

    private static func locateStructurally(_ bytes: UnsafeRawBufferPointer) throws(SFTError) -> Found {
        let malformed = SFTError(.invalidJSON, at: "$", "not valid JSON (structure)")
        var skipper = StructuralSkipper(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { skipper.offset = 3 }
        guard skipper.consume(UInt8(ascii: "{")) else {
            // Not an object: the validating path says exactly what it is.
            return try locateValidating(bytes)
        }
        var found = Found.absent
        if skipper.consume(UInt8(ascii: "}")) { return found }
        repeat {
            guard skipper.peek() == UInt8(ascii: "\""), let key = skipper.skipString(),
                skipper.consume(UInt8(ascii: ":"))
            else { throw malformed }
            // Python's dict keeps the last of repeated keys, so a later `trajectory` replaces an earlier one.
            guard isTrajectoryKey(bytes, key) else {
                guard skipper.skipValue() != nil else { throw malformed }
                continue
            }
            guard skipper.consume(UInt8(ascii: "[")) else {
                guard let range = skipper.skipValue() else { throw malformed }
                found = .other(try StepReader.parse(bytes, range, path: "$.trajectory"))
                continue
            }
            var last: Range<Int>?
            var previous: Range<Int>?
            if !skipper.consume(UInt8(ascii: "]")) {
                repeat {
                    guard let range = skipper.skipValue() else { throw malformed }
                    previous = last
                    last = range
                } while skipper.consume(UInt8(ascii: ","))
                guard skipper.consume(UInt8(ascii: "]")) else { throw malformed }
            }
            found = .steps(last: last, previous: previous)
        } while skipper.consume(UInt8(ascii: ","))
        guard skipper.consume(UInt8(ascii: "}")) else { throw malformed }
        return found
    }

    /// Whether the key whose content is at `range` is `trajectory` (decoding escapes if it has any).
    private static func isTrajectoryKey(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        if !raw.contains(UInt8(ascii: "\\")) { return raw.elementsEqual("trajectory".utf8) }
        let quoted = UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound - 1)..<(range.upperBound + 1)])
        return (try? JSONParser.parse(quoted))?.stringValue.map { $0.utf8.elementsEqual("trajectory".utf8) } ?? false
    }
}
