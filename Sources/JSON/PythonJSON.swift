/// JSON output that is byte for byte what CPython 3's `json` module writes, plus the project's own compact
/// and canonical forms.
///
/// The Python forms write the value that `json.loads` would have produced from the parsed text: repeated
/// keys merged (first position, last value), integer literals exact (`-0` becomes `0`), float literals
/// (with `.`, `e` or `E`) as `float.__repr__` of the nearest double (`1.0E5` becomes `100000.0`, `1e400`
/// becomes `Infinity`), `NaN`, `Infinity` and `-Infinity` as Python spells them.
///
/// Not exact: integers longer than 4300 digits, which CPython 3.11 refuses to convert, are written whole.
public enum PythonJSON {
    /// `json.dumps(v, ensure_ascii=ensureASCII, indent=indent, sort_keys=sortKeys)`.
    ///
    /// Without `indent`: separators `", "` and `": "`. With it: each member on its own line indented by
    /// `indent` spaces per level (0 still breaks lines), separators `","` and `": "`, empty containers as
    /// `[]` and `{}`.
    public static func dumps(
        _ value: JSONValue, ensureASCII: Bool = true, indent: Int? = nil, sortKeys: Bool = false
    ) -> String {
        String(decoding: dumpBytes(value, ensureASCII: ensureASCII, indent: indent, sortKeys: sortKeys), as: UTF8.self)
    }

    /// ``dumps(_:ensureASCII:indent:sortKeys:)`` as UTF-8 bytes.
    public static func dumpBytes(
        _ value: JSONValue, ensureASCII: Bool = true, indent: Int? = nil, sortKeys: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        dump(value, into: &out, ensureASCII: ensureASCII, indent: indent, sortKeys: sortKeys)
        return out
    }

    /// Appends ``dumps(_:ensureASCII:indent:sortKeys:)``'s UTF-8 bytes to `out`.
    public static func dump(
        _ value: JSONValue, into out: inout [UInt8], ensureASCII: Bool = true, indent: Int? = nil,
        sortKeys: Bool = false
    ) {
        let writer = JSONWriter(
            ensureASCII: ensureASCII,
            indent: indent.map { Array(repeating: ASCII.space, count: max(0, $0)) },
            itemSeparator: indent == nil ? Array(", ".utf8) : [ASCII.comma],
            keySeparator: Array(": ".utf8),
            memberOrder: sortKeys ? .pythonSorted : .python,
            numberStyle: .python)
        writer.write(value, into: &out)
    }

    /// The canonical form used for event ids: no whitespace (`,` and `:`), members sorted by the UTF-8
    /// bytes of their keys (repeated keys all kept, in source order), strings as raw UTF-8 with Python's
    /// escapes for `"`, `\` and control characters, numbers as their source text.
    ///
    /// Event ids are hashes of these bytes: this format must never change.
    public static func canonicalBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        CompactWriter.writeCanonical(value, into: &out)
        return out
    }

    /// The compact form used to store payloads: like ``canonicalBytes(_:)`` but with members in source
    /// order, so parsing it gives back an equal ``JSONValue``.
    public static func compactBytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        CompactWriter.writeCompact(value, into: &out)
        return out
    }

    /// Appends ``compactBytes(_:)`` to `compact` and ``canonicalBytes(_:)`` to `canonical`, in one pass.
    ///
    /// The same bytes as calling both, for less work: strings are escaped once, and when every object's keys
    /// are already in byte order the canonical bytes are a copy of the compact ones.
    public static func writeCompact(_ value: JSONValue, into compact: inout [UInt8], canonical: inout [UInt8]) {
        CompactWriter.writeBoth(value, compact: &compact, canonical: &canonical)
    }

    /// Appends `value`'s compact bytes to `compact` and, only when they differ from them, its canonical bytes
    /// to `canonical`; returns whether `canonical` was written (when not, the compact bytes are canonical).
    ///
    /// The event log's hot path: most payloads are flat objects of unescaped strings, which this writes once
    /// (see `PayloadWriter`); anything else goes through ``writeCompact(_:into:canonical:)``.
    public static func writeCompactAndCanonical(
        _ value: JSONValue, compact: inout [UInt8], canonical: inout [UInt8]
    ) -> Bool {
        PayloadWriter.write(value, compact: &compact, canonical: &canonical)
    }
}
