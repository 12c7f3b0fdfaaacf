/// A piece of HTML that is safe by construction: text and attribute values are escaped as they go in; tag and
/// attribute names are `StaticString`s, so only the program's own literals can become markup.
///
/// There is no way to put unescaped text from a value into a `Markup`: a trajectory holding `<script>` is shown
/// as those characters.
public struct Markup: Sendable, ExpressibleByStringLiteral {
    /// The serialized HTML.
    public private(set) var html: String

    private init(raw: String) { html = raw }

    /// Text, escaped (`&`, `<`, `>`, `"`, `'`).
    public init(_ text: String) { html = Markup.escape(text) }

    /// A literal in the program is text too: escaped like any other.
    public init(stringLiteral value: String) { self.init(value) }

    /// Nothing.
    public static let empty = Markup(raw: "")

    /// `<tag attr="value"…>children</tag>`; attributes whose value is nil are left out.
    public static func el(
        _ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], _ children: [Markup] = []
    ) -> Markup {
        var out = "<\(tag)"
        for (name, value) in attributes {
            guard let value else { continue }
            out += " \(name)=\"\(escape(value))\""
        }
        out += ">"
        if voidTags.contains("\(tag)") { return Markup(raw: out) }
        for c in children { out += c.html }
        out += "</\(tag)>"
        return Markup(raw: out)
    }

    /// `el` with one text child.
    public static func el(
        _ tag: StaticString, _ attributes: KeyValuePairs<StaticString, String?> = [:], text: String
    ) -> Markup {
        el(tag, attributes, [Markup(text)])
    }

    /// The children one after another.
    public static func group(_ children: [Markup]) -> Markup {
        Markup(raw: children.map(\.html).joined())
    }

    /// A whole document: the doctype, then `root`.
    static func document(_ root: Markup) -> Markup { Markup(raw: "<!DOCTYPE html>\n" + root.html) }

    static let voidTags: Set<String> = ["br", "hr", "img", "input", "link", "meta"]

    /// HTML-escapes `text` for element content and double- or single-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// Short names for the elements pages use most.
enum H {
    static func a(_ href: String, _ text: String, class cls: String? = nil) -> Markup {
        .el("a", ["href": href, "class": cls], text: text)
    }
    static func p(_ text: String) -> Markup { .el("p", text: text) }
    static func h1(_ text: String) -> Markup { .el("h1", text: text) }
    static func h2(_ text: String) -> Markup { .el("h2", text: text) }
    static func code(_ text: String) -> Markup { .el("code", text: text) }
    static func td(_ text: String, class cls: String? = nil) -> Markup { .el("td", ["class": cls], text: text) }
    static func td(_ child: Markup, class cls: String? = nil) -> Markup { .el("td", ["class": cls], [child]) }

    /// A table with a header row; each row a list of cells (`td` elements).
    static func table(_ header: [String], _ rows: [[Markup]], id: String? = nil) -> Markup {
        .el(
            "table", ["id": id],
            [
                .el("thead", [:], [.el("tr", [:], header.map { .el("th", text: $0) })]),
                .el("tbody", [:], rows.map { .el("tr", [:], $0) }),
            ])
    }

    /// A `<dl>` of label/value pairs.
    static func facts(_ pairs: [(String, Markup)]) -> Markup {
        .el("dl", ["class": "facts"], pairs.flatMap { [.el("dt", text: $0.0), .el("dd", [:], [$0.1])] })
    }
}
