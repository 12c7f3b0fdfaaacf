/// The chrome around every page: title, navigation, the one stylesheet and the one script (never inline).
enum Layout {
    static func page(_ title: String, _ body: [Markup]) -> Markup {
        .document(
            .el(
                "html", ["lang": "en"],
                [
                    .el(
                        "head", [:],
                        [
                            .el("meta", ["charset": "utf-8"]),
                            .el("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"]),
                            .el("title", text: title + " · smithlog"),
                            .el("link", ["rel": "stylesheet", "href": "/static/app.css"]),
                            .el("link", ["rel": "icon", "href": "/static/favicon.svg", "type": "image/svg+xml"]),
                            .el("script", ["src": "/static/app.js", "defer": "defer"]),
                        ]),
                    .el(
                        "body", [:],
                        [
                            .el(
                                "nav", ["class": "top"],
                                [
                                    H.a("/", "smithlog", class: "home"), H.a("/leaderboard", "Leaderboard"),
                                    H.a("/runs", "Runs"), H.a("/sft", "SFT datasets"), H.a("/log", "Event log"),
                                ]),
                            .el("main", [:], body),
                        ]),
                ]))
    }

    /// The 404 page: what was not found and a link home.
    static func notFound(_ message: String) -> Markup {
        page("Not found", [H.h1("Not found"), H.p(message), .el("p", [:], [H.a("/", "Back to the start page")])])
    }

    /// A "next page" link (keyset paging: `after` is the last key shown), or nothing on the last page.
    static func next(_ href: String?) -> Markup {
        guard let href else { return .empty }
        return .el(
            "p", ["class": "pager"], [.el("a", ["href": href, "rel": "next", "class": "next"], text: "Next page →")])
    }
}
