import Foundation
public import Hummingbird

/// The HTTP side of `smithlog serve`: Hummingbird answering every GET with ``Site/respond(path:query:)``.
public enum WebServer {
    /// The application serving `site` on `host:port` (port 0: a free port); `onStart` gets the port bound.
    public static func application(
        site: Site, host: String = "127.0.0.1", port: Int = 8080,
        onStart: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        // Hummingbird logs each start at info level; the CLI prints its own line.
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil { setenv("LOG_LEVEL", "warning", 1) }
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            guard request.method == .get || request.method == .head else {
                return Response(status: .methodNotAllowed, headers: headers(contentType: "text/plain"))
            }
            let clock = ContinuousClock()
            let start = clock.now
            let page = site.respond(path: request.uri.path, query: request.uri.query)
            // The time the page took on the server (`tools/bench ui` reads it): `Server-Timing: page;dur=ms`.
            let elapsed = clock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            return response(page, serverTiming: ms)
        }
        return Application(
            responder: responder, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onStart(channel.localAddress?.port ?? port) })
    }

    static func headers(contentType: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        fields[.contentSecurityPolicy] = WebResponse.contentSecurityPolicy
        return fields
    }

    /// The Hummingbird response of a page's answer; a streamed body is produced on its own thread and written as
    /// it comes.
    static func response(_ page: WebResponse, serverTiming ms: Double? = nil) -> Response {
        var fields = headers(contentType: page.contentType)
        if let ms { fields[.init("Server-Timing")!] = "page;dur=\(Double(Int(ms * 1000)) / 1000)" }
        if let disposition = page.contentDisposition { fields[.contentDisposition] = disposition }
        let status = HTTPResponse.Status(code: page.status)
        switch page.body {
        case .bytes(let bytes):
            return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .stream(let produce):
            let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream(
                bufferingPolicy: .unbounded)
            let thread = Thread {
                do {
                    try produce { continuation.yield(ByteBuffer(bytes: $0)) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            thread.start()
            return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: stream))
        }
    }

    /// Whether `host` only accepts connections from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
