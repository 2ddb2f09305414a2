import Foundation

/// Forward proxies from the environment as curl and the AWS SDKs read it: `https_proxy` for
/// https endpoints, `http_proxy` for http ones (either case, lower case first; `all_proxy` for
/// both), and `no_proxy` naming hosts reached directly.
public struct ProxySettings: Sendable, Equatable {
    public struct Proxy: Sendable, Equatable {
        public var host: String
        public var port: Int
        /// `user:password` from the proxy URL, percent-decoded, sent as Basic credentials.
        public var credentials: String?
    }

    public var http: Proxy?
    public var https: Proxy?
    /// `no_proxy` entries, lower-cased, leading dots removed; `*` bypasses every host.
    public var bypass: [String]

    public init(http: Proxy? = nil, https: Proxy? = nil, bypass: [String] = []) {
        self.http = http
        self.https = https
        self.bypass = bypass
    }

    public static let none = ProxySettings()

    public static func from(environment: [String: String]) throws(ConfigError) -> ProxySettings {
        func first(_ names: String...) -> (name: String, value: String)? {
            for name in names { if let value = environment[name], !value.isEmpty { return (name, value) } }
            return nil
        }
        func proxy(_ entry: (name: String, value: String)?) throws(ConfigError) -> Proxy? {
            guard let entry else { return nil }
            return try parse(entry.value, variable: entry.name)
        }
        let all = first("all_proxy", "ALL_PROXY")
        let bypass = (first("no_proxy", "NO_PROXY")?.value ?? "")
            .split(separator: ",").map { $0.trimmed().lowercased() }
            .map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
        return ProxySettings(http: try proxy(first("http_proxy", "HTTP_PROXY") ?? all),
                             https: try proxy(first("https_proxy", "HTTPS_PROXY") ?? all),
                             bypass: bypass)
    }

    /// `[http://][user:password@]host[:port][/]`; the port defaults to 1080 as in curl.
    static func parse(_ text: String, variable: String) throws(ConfigError) -> Proxy {
        var rest = Substring(text)
        if let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            guard scheme == "http" else {
                throw ConfigError("\(variable): only http:// proxies are supported, got \"\(text)\"")
            }
            rest = rest[range.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        var credentials: String?
        if let at = rest.lastIndex(of: "@") {
            credentials = String(rest[..<at]).removingPercentEncoding ?? String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        var host = String(rest)
        var port = 1080
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()) else { throw ConfigError("\(variable): expected [HOST]:PORT, got \"\(text)\"") }
                port = value
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else {
                throw ConfigError("\(variable): expected HOST:PORT, got \"\(text)\"")
            }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { throw ConfigError("\(variable): no proxy host in \"\(text)\"") }
        return Proxy(host: host, port: port, credentials: credentials)
    }

    /// The proxy to use for `host`, or nil to connect directly.
    public func proxy(scheme: String, host: String, port: Int) -> Proxy? {
        guard let proxy = scheme == "https" ? https : http else { return nil }
        let name = host.lowercased()
        for entry in bypass {
            if entry == "*" { return nil }
            var pattern = entry
            if let colon = entry.lastIndex(of: ":"), !entry.contains("]"), entry.filter({ $0 == ":" }).count == 1 {
                guard Int(entry[entry.index(after: colon)...]) == port else { continue }
                pattern = String(entry[..<colon])
            }
            if name == pattern || name.hasSuffix("." + pattern) { return nil }
        }
        return proxy
    }
}
