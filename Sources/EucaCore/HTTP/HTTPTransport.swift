import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends one HTTP request with FoundationNetworking and returns whatever came back, redirects
/// included: URLSession would otherwise follow them and re-send our `Authorization` header to
/// the new location (and on Linux it also re-sends it to other hosts). Retrying, signing and
/// interpreting responses happen above this layer.
public final class HTTPTransport: Sendable {
    public struct Options: Sendable {
        public var connectTimeout: Double
        public var readTimeout: Double
        public var maximumConnectionsPerHost: Int
        public init(connectTimeout: Double = TransportDefaults.connectTimeout,
                    readTimeout: Double = TransportDefaults.readTimeout,
                    maximumConnectionsPerHost: Int = 8) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.maximumConnectionsPerHost = maximumConnectionsPerHost
        }
    }

    public let options: Options
    let configuration: URLSessionConfiguration
    let probes = ConnectProbes()

    public init(options: Options = Options()) {
        self.options = options
        let configuration = URLSessionConfiguration.ephemeral
        // An idle timer on Linux: it restarts whenever data arrives, which is exactly a read
        // timeout. Connecting is bounded separately by ConnectProbes.
        configuration.timeoutIntervalForRequest = options.readTimeout
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        configuration.httpMaximumConnectionsPerHost = options.maximumConnectionsPerHost
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.configuration = configuration
    }

    /// A new session — and so a new libcurl connection cache — for every request. When a
    /// server closes a kept-alive connection just as a request goes out on it, libcurl re-sends
    /// the request on a new connection by itself, and swift-corelibs-foundation cannot rewind a
    /// Data body: the copy goes out with its Content-Length and no body, and both sides wait for
    /// the whole read timeout (measured with the fault proxy: 62 s at the default). A
    /// `Connection: close` request header was not enough (libcurl kept reusing the connection
    /// when the response did not say close too); a connection that no later request can reach
    /// is. The cost is a handshake per request.
    func makeSession() -> URLSession {
        URLSession(configuration: configuration, delegate: RedirectRefuser(), delegateQueue: nil)
    }

    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = options.readTimeout
        for (name, value) in request.headers { urlRequest.addValue(value, forHTTPHeaderField: name) }
        // Ask for the bytes as stored: URLSession would silently gunzip a Content-Encoding: gzip
        // object, and then sizes and checksums would no longer match.
        if request.headers["Accept-Encoding"] == nil {
            urlRequest.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        }
        // Tell the server too that this connection carries one request (see makeSession).
        urlRequest.setValue("close", forHTTPHeaderField: "Connection")
        if !request.body.isEmpty || ["PUT", "POST"].contains(request.method) {
            urlRequest.httpBody = request.body
        }
        let host = request.hostHeader
        let port = request.port ?? (request.scheme == "https" ? 443 : 80)
        let task = TaskBox()
        let probe = probes.start(host: request.host, port: port, timeout: options.connectTimeout,
                                 scheme: request.scheme) { task.cancel() }
        do {
            let (data, response) = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation {
                    (continuation: CheckedContinuation<(Data, HTTPURLResponse), Error>) in
                    let session = makeSession()
                    let dataTask = session.dataTask(with: urlRequest) { data, response, error in
                        session.finishTasksAndInvalidate()
                        if let error {
                            continuation.resume(throwing: error)
                        } else if let http = response as? HTTPURLResponse {
                            continuation.resume(returning: (data ?? Data(), http))
                        } else {
                            continuation.resume(throwing: URLError(.badServerResponse))
                        }
                    }
                    task.set(dataTask)
                    dataTask.resume()
                }
            } onCancel: {
                task.cancel()
            }
            probe?.finish()
            var headers = HTTPHeaders()
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers.add(name, value) }
            }
            return HTTPResponse(status: response.statusCode, headers: headers, body: data)
        } catch {
            if probe?.timedOut == true {
                throw TransportError(.connectTimeout, host: host,
                                     detail: CommonOptions.formatSeconds(options.connectTimeout))
            }
            probe?.finish()
            throw HTTPTransport.classify(error, host: host, readTimeout: options.readTimeout)
        }
    }

    /// Maps URLSession's errors onto our kinds. On Linux they arrive as NSError in
    /// NSURLErrorDomain (bridging to URLError is not reliable there), so match on the code.
    static func classify(_ error: Error, host: String, readTimeout: Double) -> TransportError {
        let nsError = error as NSError
        let detail = (nsError.userInfo[NSLocalizedDescriptionKey] as? String) ?? nsError.localizedDescription
        guard nsError.domain == NSURLErrorDomain else {
            return TransportError(.other, host: host, detail: detail)
        }
        switch URLError.Code(rawValue: nsError.code) {
        case .cannotConnectToHost:
            return TransportError(.connectionRefused, host: host, detail: detail)
        case .timedOut:
            return TransportError(.readTimeout, host: host, detail: CommonOptions.formatSeconds(readTimeout))
        case .networkConnectionLost, .badServerResponse, .cannotParseResponse, .zeroByteResource,
             .dataLengthExceedsMaximum, .resourceUnavailable:
            return TransportError(.connectionLost, host: host, detail: detail)
        case .cannotFindHost, .dnsLookupFailed:
            return TransportError(.hostNotFound, host: host, detail: detail)
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot,
             .clientCertificateRejected, .clientCertificateRequired:
            return TransportError(.tls, host: host, detail: detail)
        case .cancelled:
            return TransportError(.cancelled, host: host, detail: detail)
        default:
            if detail.contains("SSL") || detail.contains("certificate") {
                return TransportError(.tls, host: host, detail: detail)
            }
            // A body shorter than its Content-Length reaches us as NSURLErrorUnknown
            // (corelibs maps CURLE_PARTIAL_FILE to nothing more specific).
            if detail.contains("transfer closed") || detail.contains("bytes remaining") {
                return TransportError(.connectionLost, host: host, detail: detail)
            }
            return TransportError(.other, host: host, detail: detail)
        }
    }
}

/// Declines every redirect, so the 3xx response itself reaches the caller.
final class RedirectRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask,
                    willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest,
                    completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}

/// Holds the data task so a cancellation arriving from another thread can reach it.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    func set(_ task: URLSessionTask) {
        lock.lock()
        self.task = task
        let cancelNow = cancelled
        lock.unlock()
        if cancelNow { task.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let task = self.task
        lock.unlock()
        task?.cancel()
    }
}
