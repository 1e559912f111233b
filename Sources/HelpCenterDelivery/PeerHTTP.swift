import AsyncHTTPClient
import Foundation
import NIOCore

/// The HTTP client of the reset flow's peers (SMS gateways, the marketplace's account directory), on
/// async-http-client: redirects are never followed (a 3xx is an answer like any other, so neither a
/// password nor a code nor a signed request goes to a host the configuration did not name, nor from
/// https to http), and one deadline covers the whole exchange, the body included (a peer that drips
/// its answer byte by byte cannot hold a request longer than the configured timeout).
enum PeerHTTP {
    static let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                                   configuration: .init(redirectConfiguration: .disallow))

    /// The exchange took longer than its timeout.
    struct TimedOut: Error, CustomStringConvertible {
        var description: String { "timed out" }
    }

    /// Sends `request` and reads the answer's status and body (at most 64 KiB) within `timeout` seconds.
    /// - Throws: ``TimedOut``, or the client's error (no connection, a body over 64 KiB, TLS).
    static func fetch(_ request: HTTPClientRequest, timeout: Double) async throws -> (status: Int, body: Data) {
        let limit = TimeAmount.milliseconds(Int64(timeout * 1000))
        return try await withThrowingTaskGroup(of: (status: Int, body: Data)?.self) { group in
            group.addTask {
                let response = try await client.execute(request, timeout: limit)
                let body = try await response.body.collect(upTo: 64 * 1024)
                return (Int(response.status.code), Data(body.readableBytesView))
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(Int64(timeout * 1000)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw TimedOut() }
            return answer
        }
    }

    /// A transport error in words (a timeout as "timed out").
    static func explain(_ error: any Error) -> String {
        if error is TimedOut { return "timed out" }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "timed out" }
        return String(describing: error)
    }
}
