import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// With `serve --watch`: adds the live-reload script to every HTML page served (the files in the
/// site folder stay as the build wrote them).
struct LiveReloadMiddleware: RouterMiddleware {
    typealias Context = HelpCenterRequestContext
    let root: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard request.method == .get, response.headers[.contentType]?.hasPrefix("text/html") == true else { return response }
        let collector = Collector()
        try await response.body.write(collector)
        var html = String(buffer: collector.buffer.withLock { $0 })
        let tag = "<script src=\"\(root)/_watch/reload.js\"></script>"
        if let end = html.range(of: "</body>", options: .backwards) { html.insert(contentsOf: tag, at: end.lowerBound) } else { html += tag }
        response.headers[.contentLength] = nil
        response.headers[.eTag] = nil
        response.headers[.lastModified] = nil
        response.headers[.cacheControl] = "no-store"
        response.body = .init(byteBuffer: ByteBuffer(string: html))
        return response
    }
}

/// Receives a response body in memory.
final class Collector: ResponseBodyWriter, Sendable {
    let buffer = Mutex(ByteBuffer())
    func write(_ part: ByteBuffer) async throws { buffer.withLock { _ = $0.writeImmutableBuffer(part) } }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
