import Foundation

public struct QueryItem: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One HTTP request as our signers see it and as it goes on the wire. `path` and `query` hold
/// *decoded* text; `encodedPath`/`encodedQuery` give the single AWS percent-encoding that is
/// both sent and (for S3) signed, so what is signed is exactly what is sent.
public struct HTTPRequest: Sendable {
    public var method: String
    public var scheme: String
    public var host: String
    public var port: Int?
    public var path: String
    public var query: [QueryItem]
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(method: String, scheme: String = "https", host: String, port: Int? = nil,
                path: String = "/", query: [QueryItem] = [], headers: HTTPHeaders = [:],
                body: HTTPBody = .empty) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The `Host` header value: the port appears only when it is not the scheme's default.
    public var hostHeader: String {
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443)
        else { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var encodedPath: String {
        PercentEncoding.encode(path.isEmpty ? "/" : path, keepingSlash: true)
    }

    public var encodedQuery: String {
        query.map { PercentEncoding.encode($0.name) + "=" + PercentEncoding.encode($0.value) }
            .joined(separator: "&")
    }

    public var url: URL {
        var text = "\(scheme)://\(hostHeader)\(encodedPath)"
        if !query.isEmpty { text += "?" + encodedQuery }
        // Every character is percent-encoded or unreserved by now, so this cannot fail.
        return URL(string: text)!
    }
}
