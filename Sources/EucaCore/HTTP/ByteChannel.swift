/// A connected byte stream: a TCP socket, or TLS on top of one. Reads block until data arrives,
/// the read timeout passes or the peer closes (0 bytes); writes send everything or throw.
protocol ByteChannel: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(WireFailure) -> Int
    func write(_ bytes: UnsafeRawBufferPointer) throws(WireFailure)
    /// True when an idle connection has something to read — which for a kept-alive connection
    /// between requests means the server closed it (or sent garbage): it must not be reused.
    var hasPendingInput: Bool { get }
    /// Hands the connection to the exchange now using it, whose cancellation must reach it.
    func attach(_ cancellation: CancellationSwitch)
    func close()
}

import Foundation

extension ByteChannel {
    // `withUnsafeBytes` rethrows untyped errors; these keep the failure typed.
    func write(_ bytes: [UInt8]) throws(WireFailure) {
        var failure: WireFailure?
        bytes.withUnsafeBytes { raw in
            do throws(WireFailure) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    func write(_ data: Data) throws(WireFailure) {
        var failure: WireFailure?
        data.withUnsafeBytes { raw in
            do throws(WireFailure) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}
