/// A request that got no usable HTTP response: the message names the host and what happened,
/// and `isTimeout`/`isRetryable` drive the retry policy.
public struct TransportError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case connectionRefused
        case connectTimeout
        case readTimeout
        case connectionLost
        case hostNotFound
        case tls
        case malformedResponse
        case proxy
        case cancelled
        case other
    }

    public var kind: Kind
    public var host: String
    public var detail: String
    /// Set when the request was retried before giving up, to say so in the message.
    public var attempts: Int = 1

    public init(_ kind: Kind, host: String, detail: String) {
        self.kind = kind
        self.host = host
        self.detail = detail
    }

    public var isTimeout: Bool { kind == .connectTimeout || kind == .readTimeout }

    public var isRetryable: Bool {
        switch kind {
        case .connectionRefused, .connectTimeout, .readTimeout, .connectionLost, .malformedResponse,
             .proxy, .other: return true
        case .hostNotFound, .tls, .cancelled: return false
        }
    }

    public var description: String {
        summary + (attempts > 1 ? " (gave up after \(attempts) attempts)" : "")
    }

    var summary: String {
        switch kind {
        case .connectionRefused: return "cannot connect to \(host): connection refused (is the endpoint URL right and the service running?)"
        case .connectTimeout: return "cannot connect to \(host): no answer within \(detail) (--connect-timeout)"
        case .readTimeout: return "\(host) sent nothing for \(detail) (--read-timeout)"
        case .connectionLost: return "connection to \(host) was lost mid-response: \(detail)"
        case .hostNotFound: return "cannot resolve host \(host): \(detail)"
        case .tls: return "TLS failure talking to \(host): \(detail) (a cloud with its own CA: --ca-bundle FILE or AWS_CA_BUNDLE)"
        case .malformedResponse: return "\(host) sent a response that is not valid HTTP: \(detail)"
        case .proxy: return "cannot reach \(host) through the proxy: \(detail)"
        case .cancelled: return "request to \(host) was cancelled"
        case .other: return "request to \(host) failed: \(detail)"
        }
    }
}
