import Foundation
import SmithJSON

/// One `schema/events/<Type>.v<N>.json` file, and the few JSON Schema keywords these files use, checked
/// against payloads (no network, no general validator: an unknown keyword is reported, not ignored).
struct EventSchema {
    var file: String
    var json: JSONValue

    init(file: String) throws {
        self.file = file
        json = try RepositoryFiles.json(RepositoryFiles.schemaEvents + "/" + file)
    }

    var type: String? { json["x-smithlog-type"]?.stringValue }
    var version: Int? { json["x-smithlog-schema-version"]?.int64Value.map { Int($0) } }
    /// The stream templates (`run/<name>`); a type written to several kinds of stream lists them all.
    var streams: [String] {
        switch json["x-smithlog-stream"] {
        case .string(let s)?: [s]
        case .array(let items)?: items.compactMap(\.stringValue)
        default: []
        }
    }
    var required: [String] { json["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    var properties: [(String, JSONValue)] { json["properties"]?.objectValue ?? [] }

    /// What is wrong with `payload` for this schema: its keys against `required` (in order) and
    /// `additionalProperties: false`, and each value against its property. Empty when it conforms.
    func problems(_ payload: JSONValue) -> [String] {
        guard let pairs = payload.objectValue else { return ["the payload is not an object"] }
        var found: [String] = []
        if pairs.map(\.0) != required { found.append("keys \(pairs.map(\.0)) are not the required \(required)") }
        for (key, value) in pairs {
            guard let property = properties.first(where: { $0.0 == key })?.1 else {
                found.append("'\(key)' is not a property")
                continue
            }
            found += Self.problems(value, property).map { "'\(key)': \($0)" }
        }
        return found
    }

    /// What is wrong with `value` for `property` (its `type`, `enum`, `pattern`, `minimum`).
    static func problems(_ value: JSONValue, _ property: JSONValue) -> [String] {
        guard let keywords = property.objectValue else { return ["the property is not an object"] }
        var found: [String] = []
        for (keyword, spec) in keywords {
            switch keyword {
            case "description":
                break
            case "type":
                let types = spec.stringValue.map { [$0] } ?? spec.arrayValue?.compactMap(\.stringValue) ?? []
                if !types.contains(where: { accepts($0, value) }) { found.append("\(value) is not of type \(types)") }
            case "enum":
                if !(spec.arrayValue ?? []).contains(value) { found.append("\(value) is not one of \(spec)") }
            case "pattern":
                if case .string(let s) = value, let pattern = spec.stringValue,
                    s.range(of: pattern, options: .regularExpression) == nil
                {
                    found.append("'\(s)' does not match \(pattern)")
                }
            case "minimum":
                if case .number(let n) = value, let minimum = spec.doubleValue, let v = Double(n), v < minimum {
                    found.append("\(n) is below \(minimum)")
                }
            default:
                found.append("the keyword '\(keyword)' is not checked by this test; extend EventSchema")
            }
        }
        return found
    }

    /// JSON Schema's type names; an integer is a number written without fraction or exponent.
    static func accepts(_ type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number(let n)): !n.contains(where: { ".eE".contains($0) })
        default: false
        }
    }

    /// Whether `stream` fits one of the templates: each `<...>` stands for one or more characters.
    func matchesStream(_ stream: String) -> Bool {
        streams.contains { Self.matches(stream[...], template: $0[...]) }
    }

    private static func matches(_ text: Substring, template: Substring) -> Bool {
        guard let open = template.firstIndex(of: "<") else { return text == template }
        let literal = template[..<open]
        guard text.hasPrefix(literal), let close = template[open...].firstIndex(of: ">") else { return false }
        let rest = text.dropFirst(literal.count)
        let after = template[template.index(after: close)...]
        // The placeholder takes at least one character; try every split.
        var i = rest.startIndex
        while i < rest.endIndex {
            i = rest.index(after: i)
            if matches(rest[i...], template: after) { return true }
        }
        return false
    }
}
