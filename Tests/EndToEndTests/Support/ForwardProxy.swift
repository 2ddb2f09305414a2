import Foundation

/// A forward proxy started with `Scripts/forward-proxy.py`: what `http_proxy`/`https_proxy`
/// point at in the proxy tests. It forwards absolute-form requests and tunnels CONNECT, and
/// records each request's method, target and whether its credentials were right.
final class ForwardProxy: Sendable {
    /// `http://127.0.0.1:PORT`
    let endpoint: String
    let port: Int
    private let script: HelperScript

    struct Seen: Decodable, Equatable {
        let method: String
        let target: String
        let authorized: Bool
    }

    /// - Parameters:
    ///   - user: `USER:PASSWORD` the proxy requires (407 otherwise).
    ///   - stall: read every request and never answer.
    static func start(user: String? = nil, stall: Bool = false) throws -> ForwardProxy {
        var arguments: [String] = []
        if let user { arguments += ["--user", user] }
        if stall { arguments.append("--stall") }
        struct Ready: Decodable { let endpoint: String; let port: Int }
        let launched = try HelperScript.launch("forward-proxy.py", arguments: arguments, timeout: 30, ready: Ready.self)
        return ForwardProxy(endpoint: launched.ready.endpoint, port: launched.ready.port, script: launched.script)
    }

    private init(endpoint: String, port: Int, script: HelperScript) {
        self.endpoint = endpoint
        self.port = port
        self.script = script
    }

    func stop() { script.stop() }

    /// What reached the proxy, in order.
    func requests() throws -> [Seen] {
        let connection = try RawHTTPConnection(port: port)
        defer { connection.close() }
        try connection.send(RawHTTPConnection.request("GET", "/requests", host: "127.0.0.1:\(port)",
                                                      body: Data(), headers: ["Connection": "close"]))
        let response = try connection.readResponse(timeout: 10)
        return try JSONDecoder().decode([Seen].self, from: response.body)
    }
}
