/// What went wrong below HTTP, before the transport knows which host to name: the sockets, TLS
/// and response-parsing code throw these, and `HTTPTransport` turns them into `TransportError`.
enum WireFailure: Error, Equatable {
    case hostNotFound(String)
    case refused
    case connectTimeout
    case readTimeout
    /// The peer closed or reset the connection; `beforeResponse` when that showed while the
    /// request was being written, so on a reused connection it had gone stale and the server
    /// cannot have answered it. A close after the request was sent is never `beforeResponse`:
    /// the server may have acted on it, and only the retry layer (which counts attempts) may
    /// send it again.
    case closed(detail: String, beforeResponse: Bool)
    case tls(String)
    case malformedResponse(String)
    case proxy(String)
    case cancelled
    case other(String)
}
