/// Parses whole JSON documents into ``JSONValue``s, as Python's `json.loads` accepts them.
///
/// Byte-based and order-preserving: object members keep their source order and duplicate keys are all kept
/// (Python keeps the last value at the first key's position; ``PythonJSON`` and ``PythonRepr`` apply that
/// rule when writing). Numbers keep their source text. Accepts what `json.loads` accepts, including `NaN`,
/// `Infinity` and `-Infinity`, and rejects the rest with a ``JSONParseError``: truncated input, anything
/// but whitespace after the value, invalid UTF-8, invalid escapes, raw control characters in strings
/// (Python's strict mode), nesting deeper than ``JSONReader/maximumDepth``. A leading UTF-8 byte order
/// mark is skipped (as `json.loads` does for bytes).
///
/// Not exact: an escaped lone surrogate (`"\ud800"`), which Python keeps, becomes U+FFFD because a Swift
/// `String` cannot hold it; raw UTF-8-encoded surrogates are rejected as invalid UTF-8.
public enum JSONParser {
    /// Parses the JSON document in `bytes`.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var reader = JSONReader(bytes)
        let value = try reader.parseValue()
        try reader.finish()
        return value
    }

    /// Parses the JSON document in `bytes`.
    public static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw) } }.get()
    }

    /// Parses the JSON document in `bytes`; error offsets count from the slice's start.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBytes { raw in Result { () throws(JSONParseError) in try parse(raw) } }.get()
    }

    /// Parses the JSON document in `bytes`; error offsets count from the collection's start.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer)) }
        }
        return try (result ?? Result { () throws(JSONParseError) in try parse(Array(bytes)) }).get()
    }

    /// Parses the JSON document in `text`.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        text.makeContiguousUTF8()
        return try text.utf8.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer)) }
        }!.get()
    }
}
