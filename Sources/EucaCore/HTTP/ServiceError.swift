import Foundation

/// An error response from the service. With an AWS error document (EC2's
/// `<Response><Errors><Error>`, S3's `<Error>`) it prints as `(Code): Message`; anything else
/// (an HTML page from a proxy, an empty body) becomes one line with the status and host — the
/// body itself only appears under `--debug`.
public struct ServiceError: Error, Equatable, CustomStringConvertible {
    public var status: Int
    public var code: String?
    public var message: String
    public var requestId: String?
    public var host: String
    /// Extra elements of the error document that callers need (S3's `Region`, `Endpoint`).
    public var details: [String: String]
    /// Set when the request was retried before giving up, to say so in the message.
    public var attempts: Int = 1

    public init(status: Int, code: String?, message: String, requestId: String? = nil,
                host: String, details: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.requestId = requestId
        self.host = host
        self.details = details
    }

    public var description: String {
        let suffix = attempts > 1 ? " (gave up after \(attempts) attempts)" : ""
        if let code { return "(\(code)): \(message)\(suffix)" }
        return message + suffix
    }

    public static func from(_ response: HTTPResponse, host: String) -> ServiceError {
        if let document = try? XML.parse(response.body), let error = document.first(named: "Error"),
           let code = error.value("Code") {
            var details: [String: String] = [:]
            for child in error.children where !["Code", "Message"].contains(child.name) {
                details[child.name] = child.text
            }
            let requestId = document.value("RequestID") ?? document.value("RequestId")
                ?? error.value("RequestId")
            return ServiceError(status: response.status, code: code,
                                message: error.value("Message") ?? HTTPStatus.reason(response.status),
                                requestId: requestId, host: host, details: details)
        }
        let what: String
        if response.body.isEmpty {
            what = "with an empty body"
        } else if looksLikeHTML(response.body) {
            what = "with an HTML page instead of an AWS error document (is the URL right?)"
        } else {
            what = "with a body that is not an AWS error document"
        }
        return ServiceError(status: response.status, code: nil,
                            message: "HTTP \(response.status) \(HTTPStatus.reason(response.status)) from \(host) \(what); --debug shows the response",
                            host: host)
    }

    static func looksLikeHTML(_ body: Data) -> Bool {
        let head = String(decoding: body.prefix(512), as: UTF8.self).lowercased()
        return head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
    }
}

/// A 2xx response whose body we could not read (truncated, garbage, wrong shape).
public struct ResponseFormatError: Error, Equatable, CustomStringConvertible {
    public var host: String
    public var problem: String
    public var attempts: Int = 1

    public init(host: String, problem: String) {
        self.host = host
        self.problem = problem
    }

    public var description: String {
        "unreadable response from \(host): \(problem)"
            + (attempts > 1 ? " (gave up after \(attempts) attempts)" : "")
    }
}

enum HTTPStatus {
    static func reason(_ status: Int) -> String {
        switch status {
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 307: return "Temporary Redirect"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Error"
        }
    }
}
