import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// Tells open pages to reload after a rebuild, or shows them the build's problems, over
/// server-sent events (WHATWG HTML §9.2) at `/_watch/events`; `/_watch/reload.js` is the page side.
public actor LiveReload {
    public enum Event: Sendable, Equatable {
        /// The site was rebuilt: reload.
        case reload
        /// The build failed: these `path:line:col: severity: message` lines, shown over the page.
        case problems([String])
    }

    private var listeners: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var lastProblems: [String] = []

    public init() {}

    /// Sends `event` to every open page.
    public func publish(_ event: Event) {
        if case .problems(let lines) = event { lastProblems = lines } else { lastProblems = [] }
        for listener in listeners.values { listener.yield(event) }
    }

    /// Ends every stream (graceful shutdown).
    public func finishAll() {
        for listener in listeners.values { listener.finish() }
        listeners = [:]
    }

    func subscribe() -> (stream: AsyncStream<Event>, continuation: AsyncStream<Event>.Continuation) {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let id = UUID()
        listeners[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
        // A page opened while the content has errors sees them at once.
        if !lastProblems.isEmpty { continuation.yield(.problems(lastProblems)) }
        return (stream, continuation)
    }

    private func unsubscribe(_ id: UUID) { listeners[id] = nil }

    /// The `text/event-stream` response for one page.
    func response() async -> Response {
        let (stream, continuation) = subscribe()
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: ResponseBody { writer in
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            // The stream ends when the server shuts down gracefully (the server would otherwise wait for it forever).
            try await withGracefulShutdownHandler {
                for await event in stream {
                    switch event {
                    case .reload:
                        try await writer.write(ByteBuffer(string: "event: reload\ndata: \n\n"))
                    case .problems(let lines):
                        let data = lines.map { "data: " + $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
                        try await writer.write(ByteBuffer(string: "event: problems\n\(data)\n\n"))
                    }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        })
    }

    /// The page side: reloads on `reload`, shows an overlay listing the problems on `problems`.
    static let script = """
        // helpcenter serve --watch: reload after each rebuild; show build problems over the page.
        (function () {
          "use strict";
          var root = document.documentElement.getAttribute("data-root") || "";
          var source = new EventSource(root + "/_watch/events");
          source.addEventListener("reload", function () { location.reload(); });
          source.addEventListener("problems", function (event) {
            var box = document.getElementById("helpcenter-problems") || document.createElement("div");
            box.id = "helpcenter-problems";
            box.setAttribute("role", "alert");
            box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;z-index:1000;background:#2b0b0b;color:#ffd9d9;" +
              "font:13px/1.5 ui-monospace,monospace;padding:12px 16px;white-space:pre-wrap;border-top:3px solid #e53935";
            box.textContent = "The content has problems (the page shows the last good build):\\n" + event.data;
            var close = document.createElement("button");
            close.type = "button";
            close.textContent = "Close";
            close.style.cssText = "position:absolute;top:8px;right:12px;font:inherit";
            close.addEventListener("click", function () { box.remove(); });
            box.appendChild(close);
            document.body.appendChild(box);
          });
        })();
        """
}
