internal import SmithJSON
internal import Yams

/// Turns a YAML file into a `JSONValue`, keeping mapping key order, the way PyYAML's `safe_load` reads it.
///
/// Scalars are typed by YAML 1.1's implicit rules (the ones PyYAML uses): `true`/`yes`/`on` are booleans,
/// `~`/`null`/empty are null, integers and floats become JSON numbers (normalised to valid JSON literal text:
/// `0x1F` → `31`, `1_000` → `1000`), and everything else, including dates, stays a string. `<<` merge keys are
/// applied. Values JSON cannot hold (`.inf`, `.nan`) are kept as their YAML text.
enum YAMLDocument {
    /// Whose implicit typing to follow. They differ on floats without a `.`: PyYAML (SWE-agent's configs) reads
    /// `5e-5` as a string, OmegaConf (torchtune's configs) as a float.
    enum Flavor {
        case pyYAML
        case omegaConf

        var resolver: Resolver { self == .pyYAML ? YAMLResolvers.pyYAML : YAMLResolvers.omegaConf }
    }

    /// Aliases can make a small file expand enormously ("billion laughs"); past this many values we stop.
    static let maxValues = ReaderLimits.maximumYAMLValues

    /// Parses `text` (already checked to be UTF-8 by the caller) from the file `file`.
    ///
    /// Nesting is bounded twice: `YAMLNestingBound` refuses text that could nest deeper than
    /// `ReaderLimits.maximumDepth` before the (recursive) parser sees it, and the conversion refuses values
    /// nested deeper than that limit, which aliases can build from shallow text.
    static func parse(_ text: String, file: String, flavor: Flavor = .pyYAML) throws(ReadError) -> JSONValue {
        try YAMLNestingBound.check(text, file: file)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, flavor.resolver)
        } catch let error as YamlError {
            throw ReadError(path: file, message: "invalid YAML: " + describe(error))
        } catch {
            throw ReadError(path: file, message: "invalid YAML: \(error)")
        }
        guard let node else { throw ReadError(path: file, message: "expected a YAML document, found an empty file") }
        var budget = maxValues
        return try convert(node, path: .root, depth: 0, file: file, budget: &budget)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let where_ = "line \(mark.line), column \(mark.column)"
            if let context { return "\(problem) at \(where_) (\(context.text))" }
            return "\(problem) at \(where_)"
        case .reader(let problem, let offset, _, _):
            return problem + (offset.map { " at character \($0)" } ?? "")
        default:
            return "\(error)"
        }
    }

    /// `node` as a value; `depth` is how many sequences and mappings enclose it (recursion stops at the limit).
    private static func convert(
        _ node: Node, path: JSONPath, depth: Int, file: String, budget: inout Int
    ) throws(ReadError) -> JSONValue {
        budget -= 1
        if budget < 0 {
            throw ReadError(path: file, jsonPath: path.text, message: "YAML expands to more than \(maxValues) values")
        }
        if depth >= ReaderLimits.maximumDepth, node.scalar == nil {
            throw ReadError(path: file, jsonPath: path.text, message: ReaderLimits.tooDeepMessage)
        }
        switch node {
        case .scalar(let scalar):
            // `Node.tag` resolves implicit tags (plain `yes` → bool); quoted scalars are already `str`.
            return scalarValue(scalar.string, tag: node.tag.description)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            items.reserveCapacity(sequence.count)
            for (i, item) in sequence.enumerated() {
                items.append(try convert(item, path: path.index(i), depth: depth + 1, file: file, budget: &budget))
            }
            return .array(items)
        case .mapping(let mapping):
            return try mappingValue(mapping, path: path, depth: depth, file: file, budget: &budget)
        }
    }

    private static func mappingValue(
        _ mapping: Node.Mapping, path: JSONPath, depth: Int, file: String, budget: inout Int
    ) throws(ReadError) -> JSONValue {
        var pairs: [(String, JSONValue)] = []
        var merged: [(String, JSONValue)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw ReadError(path: file, jsonPath: path.text, message: "expected string keys, found a complex key")
            }
            if keyNode.tag.description == Tag.Name.merge.rawValue {
                // PyYAML: explicit keys win over merged ones; earlier merge sources win over later ones.
                let sources: [Node]
                if case .sequence(let seq) = valueNode { sources = Array(seq) } else { sources = [valueNode] }
                for source in sources {
                    // The source's members become this mapping's: they sit one level below it, as its own do.
                    let value = try convert(source, path: path.key("<<"), depth: depth, file: file, budget: &budget)
                    guard case .object(let sourcePairs) = value else {
                        throw ReadError(
                            path: file, jsonPath: path.key("<<").text,
                            message: "expected a mapping to merge, found \(FoundDescription.of(value))")
                    }
                    for pair in sourcePairs where !merged.contains(where: { $0.0 == pair.0 }) { merged.append(pair) }
                }
                continue
            }
            let key = keyScalar.string
            let value = try convert(valueNode, path: path.key(key), depth: depth + 1, file: file, budget: &budget)
            if let existing = pairs.firstIndex(where: { $0.0 == key }) {
                pairs[existing].1 = value  // PyYAML keeps the last duplicate
            } else {
                pairs.append((key, value))
            }
        }
        for pair in merged where !pairs.contains(where: { $0.0 == pair.0 }) { pairs.append(pair) }
        return .object(pairs)
    }

    private static func scalarValue(_ text: String, tag: String) -> JSONValue {
        switch Tag.Name(rawValue: tag) {
        case .null: return .null
        case .bool: return .bool(["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"].contains(text))
        case .int: return YAMLNumbers.integerLiteral(text).map(JSONValue.number) ?? .string(text)
        case .float: return YAMLNumbers.floatLiteral(text).map(JSONValue.number) ?? .string(text)
        default: return .string(text)
        }
    }
}

extension YAMLDocument {
    /// Reads and parses the YAML file at `path`, rejecting empty files, files over
    /// `ReaderLimits.maximumYAMLBytes` and bytes that are not UTF-8.
    static func readFile(_ path: String, flavor: Flavor = .pyYAML) throws(ReadError) -> JSONValue {
        let file = try FileBytes.read(path, limit: ReaderLimits.maximumYAMLBytes)
        defer { withExtendedLifetime(file) {} }
        try UTF8Check.require(file.bytes, file: path)
        let text = String(decoding: file.bytes, as: UTF8.self)
        if text.allSatisfy(\.isWhitespace) {
            throw ReadError(path: path, message: "expected a YAML document, found only white space")
        }
        return try parse(text, file: path, flavor: flavor)
    }
}
