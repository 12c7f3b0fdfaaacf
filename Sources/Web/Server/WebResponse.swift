/// What a page handler answers, independent of the HTTP server: the static export writes the same thing to files.
public struct WebResponse: Sendable {
    /// The bytes of the body: whole, or produced in order by a function that writes them (a download streamed
    /// from the log, never held whole).
    public enum Body: Sendable {
        case bytes([UInt8])
        case stream(@Sendable (_ write: ([UInt8]) throws -> Void) throws -> Void)
    }

    public var status: Int
    public var contentType: String
    /// `attachment; filename="…"` for a download.
    public var contentDisposition: String?
    public var body: Body

    public init(status: Int = 200, contentType: String, contentDisposition: String? = nil, body: Body) {
        self.status = status
        self.contentType = contentType
        self.contentDisposition = contentDisposition
        self.body = body
    }

    static func html(_ markup: Markup, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "text/html; charset=utf-8", body: .bytes(Array(markup.html.utf8)))
    }

    static func text(_ text: String, contentType: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: contentType, body: .bytes(Array(text.utf8)))
    }

    /// The whole body (a stream is run to its end), for tests and the static export.
    public func collectBody() throws -> [UInt8] {
        switch body {
        case .bytes(let b): return b
        case .stream(let produce):
            var out: [UInt8] = []
            try produce { out += $0 }
            return out
        }
    }

    /// The Content-Security-Policy every response carries: scripts only from the server's own file, never
    /// inline, so text from an artifact can never run.
    public static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
}

/// A page that does not exist: rendered as the 404 page with a link home.
struct PageNotFound: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A request the page cannot answer as asked (a bad parameter): rendered with status 400.
struct BadPageRequest: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
