import Foundation
@testable import HelpCenterServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Issue 24, finding 4: pages that close their live-reload stream give their socket back, and the
/// number of listeners is capped. Over a real socket, with raw TCP clients that hang up.
@Suite struct LiveReloadTests {
    /// Open file descriptors of this process.
    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// Connects to `port`, asks for the event stream and returns the socket and the first bytes of
    /// the answer. Blocking socket calls, run on a thread of their own (not Swift concurrency's pool,
    /// which the server's response bodies need).
    static func openStream(port: Int) async throws -> (socket: Int32, head: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                var timeout = timeval(tv_sec: 5, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard connected == 0 else {
                    close(fd)
                    continuation.resume(throwing: POSIXError(.ECONNREFUSED))
                    return
                }
                let request = "GET /_watch/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                _ = request.withCString { send(fd, $0, strlen($0), 0) }
                var head = ""
                var buffer = [UInt8](repeating: 0, count: 4096)
                while !head.contains("\r\n\r\n") || !(head.contains(": connected") || head.contains(" 503 ")) {
                    let count = recv(fd, &buffer, buffer.count, 0)
                    guard count > 0 else { break }
                    head += String(decoding: buffer[0..<count], as: UTF8.self)
                }
                continuation.resume(returning: (fd, head))
            }.start()
        }
    }

    /// Polls `condition` for up to 10 s.
    static func eventually(_ condition: () async -> Bool) async -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    @Test func hundredsOfClosedPagesGiveTheirSocketsBack() async throws {
        let live = LiveReload(heartbeat: .milliseconds(100), maximumListeners: 400)
        let harness = try await ServerHarness.make(live: live)
        defer { Task { await harness.close() } }
        try await harness.application.test(.live) { client in
            let port = try #require(client.port)
            let before = Self.openDescriptors()
            for round in 0..<3 {
                var sockets: [Int32] = []
                for _ in 0..<100 {
                    let (fd, head) = try await Self.openStream(port: port)
                    #expect(head.contains(" 200 ") && head.contains(": connected"), "round \(round): \(head)")
                    sockets.append(fd)
                }
                #expect(await live.listenerCount == 100)
                for fd in sockets { close(fd) }
                #expect(await Self.eventually { await live.listenerCount == 0 }, "round \(round): listeners left after their pages closed")
            }
            // The server's side of each connection is closed too (no CLOSE-WAIT left behind).
            #expect(await Self.eventually { Self.openDescriptors() <= before + 2 }, "descriptors: \(before) before, \(Self.openDescriptors()) after")
        }
    }

    @Test func listenersAreCapped() async throws {
        let live = LiveReload(heartbeat: .seconds(60), maximumListeners: 3)
        let harness = try await ServerHarness.make(live: live)
        defer { Task { await harness.close() } }
        try await harness.application.test(.live) { client in
            let port = try #require(client.port)
            var sockets: [Int32] = []
            for _ in 0..<3 { sockets.append(try await Self.openStream(port: port).socket) }
            let (extra, head) = try await Self.openStream(port: port)
            #expect(head.contains(" 503 "), "\(head)")
            for fd in sockets + [extra] { close(fd) }
        }
    }

    /// The review: a carriage return in a problem (a front-matter value, a file name) must not end
    /// the data line and start a `reload` event of its own.
    @Test func problemTextCannotStartAnEvent() {
        let text = LiveReload.problemsEvent(["a.md:3:10: error: updated '2026-13-01\revent: reload\rdata: y' is not a valid date", "b\r\nc\nd"])
        #expect(!text.contains("\r"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("event:") } == ["event: problems"])
        #expect(text.split(separator: "\n").count == 3)
    }
}
