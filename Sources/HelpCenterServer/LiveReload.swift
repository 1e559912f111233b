import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// Tells open pages to reload after a rebuild, or shows them the build's problems, over
/// server-sent events (WHATWG HTML §9.2) at `/_watch/events`; `/_watch/reload.js` is the page side.
///
/// A page that went away is noticed by the next write to it: a comment line is sent every
/// ``heartbeat`` (5 s by default), whose failed write ends the stream and frees the socket and the
/// listener's slot (a page that closed holds its slot until then). At most
/// ``maximumListeners`` pages listen at once; more get `503`.
public actor LiveReload {
    public enum Event: Sendable, Equatable {
        /// The site was rebuilt: reload.
        case reload
        /// The build failed: these `path:line:col: severity: message` lines, shown over the page.
        case problems([String])
        /// Nothing happened: a comment line, so that a page that left is noticed.
        case heartbeat
    }

    private var listeners: [UUID: AsyncStream<Event>.Continuation] = [:]
    private var lastProblems: [String] = []
    /// How often an idle stream is written to, so that a closed page is noticed.
    public let heartbeat: Duration
    public let maximumListeners: Int

    public init(heartbeat: Duration = .seconds(5), maximumListeners: Int = 100) {
        self.heartbeat = heartbeat
        self.maximumListeners = maximumListeners
    }

    /// Pages listening now.
    public var listenerCount: Int { listeners.count }

    /// Sends `event` to every open page.
    public func publish(_ event: Event) {
        switch event {
        case .problems(let lines): lastProblems = lines
        case .reload: lastProblems = []
        case .heartbeat: break
        }
        for listener in listeners.values { listener.yield(event) }
    }

    /// Ends every stream (graceful shutdown).
    public func finishAll() {
        for listener in listeners.values { listener.finish() }
        listeners = [:]
    }

    /// A stream of events for one page, or nil when ``maximumListeners`` pages listen already.
    func subscribe() -> (stream: AsyncStream<Event>, continuation: AsyncStream<Event>.Continuation)? {
        guard listeners.count < maximumListeners else { return nil }
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self)
        let id = UUID()
        listeners[id] = continuation
        continuation.onTermination = { [weak self] _ in Task { await self?.unsubscribe(id) } }
        // A page opened while the content has errors sees them at once.
        if !lastProblems.isEmpty { continuation.yield(.problems(lastProblems)) }
        return (stream, continuation)
    }

    private func unsubscribe(_ id: UUID) { listeners[id] = nil }

    /// The `text/event-stream` response for one page (`503` when too many listen).
    func response() async -> Response {
        guard let (stream, continuation) = subscribe() else {
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .retryAfter: "30"],
                            body: .init(byteBuffer: ByteBuffer(string: "Too many pages are listening for live reload; close some.\n")))
        }
        let heartbeat = self.heartbeat
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: ResponseBody { writer in
            // Written to every `heartbeat`: the write to a page that left fails and ends this body.
            let beats = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeat)
                    continuation.yield(.heartbeat)
                }
            }
            defer {
                beats.cancel()
                continuation.finish()
            }
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            // The stream ends when the server shuts down gracefully (the server would otherwise wait for it forever).
            try await withGracefulShutdownHandler {
                for await event in stream {
                    switch event {
                    case .heartbeat:
                        try await writer.write(ByteBuffer(string: ": ping\n\n"))
                    case .reload:
                        try await writer.write(ByteBuffer(string: "event: reload\ndata: \n\n"))
                    case .problems(let lines):
                        try await writer.write(ByteBuffer(string: Self.problemsEvent(lines)))
                    }
                }
            } onGracefulShutdown: {
                continuation.finish()
            }
            try await writer.finish(nil)
        })
    }

    /// The `problems` event for `lines`: one `data:` line each, with every character an event stream
    /// reads as a line end (CR, LF; WHATWG HTML §9.2.6) made a space, so that text from the content
    /// (a file name, a front-matter value) can never start a field or an event of its own.
    static func problemsEvent(_ lines: [String]) -> String {
        "event: problems\n" + lines.map { "data: " + $0.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") }
            .joined(separator: "\n") + "\n\n"
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
