import SmithJSON

/// Small helpers to look at JSON fixtures in tests.
enum JSONFile {
    struct NotAnObject: Error {}

    static func value(_ path: String) throws -> JSONValue { try JSONParser.parse(readBytes(path)) }

    static func object(_ path: String) throws -> [(String, JSONValue)] {
        guard let pairs = try value(path).objectValue else { throw NotAnObject() }
        return pairs
    }
}
