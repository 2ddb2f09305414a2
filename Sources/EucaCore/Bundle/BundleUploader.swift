import Foundation

/// How the upload commands put a bundle into object storage: with our own signed requests
/// (parts in parallel, resume, the manifest last; see `S3Transfer`), or — given an upload
/// policy and its signature — with POST Object form uploads that carry the policy instead of a
/// signature, as euca2ools does for Eucalyptus' bundle-instance workflow.
///
/// The options it reads are the upload options euca-upload-bundle, euca-bundle-and-upload-image
/// and euca-install-image share: `--acl`, `--location`, `--upload-policy`,
/// `--upload-policy-file`, `--upload-policy-signature` (and `-I` for the policy's key ID).
public struct BundleUploader: Sendable {
    public let location: BundleLocation
    public let acl: S3CannedACL
    let client: S3Client
    let policy: S3UploadPolicy?
    let concurrency: Int?

    /// Checks the upload options and, for signed uploads, that the bucket exists, creating it
    /// (in `--location`, else the configuration's `s3-location-constraint`) when it does not.
    /// With an upload policy nothing is sent: there is no key to sign a check with.
    public static func prepare(_ invocation: Invocation, location: BundleLocation) async throws -> BundleUploader {
        let arguments = invocation.arguments
        let acl = try cannedACL(arguments.string("acl"))
        let concurrency = invocation.settings?.tuning.uploadConcurrency?.value
        if let policy = try uploadPolicy(invocation) {
            let client = try unsignedClient(invocation, accessKeyId: policy.accessKeyId)
            invocation.log("using an upload policy; not checking that bucket \(location.bucket) exists, and not resuming (nothing can be signed to look)")
            return BundleUploader(location: location, acl: acl, client: client, policy: policy, concurrency: concurrency)
        }
        let s3 = try invocation.s3()
        if try await !s3.bucketExists(location.bucket) {
            let constraint = locationConstraint(invocation)
            invocation.log("creating bucket \(location.bucket)\(constraint.map { " in \($0)" } ?? "")")
            try await s3.createBucket(location.bucket, location: constraint)
        }
        return BundleUploader(location: location, acl: acl, client: s3, policy: nil, concurrency: concurrency)
    }

    /// Uploads `parts` (in parallel), then `manifest` once every part is stored. Signed uploads
    /// resume: a part already stored with the same size and MD5 is not sent again.
    /// Progress goes to a reporter for `operation` ("upload-bundle", …) in `progressMode`.
    public func upload(parts: [URL], manifest: URL?, progressMode: ProgressMode,
                       operation: String = "upload-bundle") async throws -> S3UploadReport {
        let total = try (parts + (manifest.map { [$0] } ?? [])).reduce(UInt64(0)) { sum, url in
            sum + (try BundleUploader.fileSize(url))
        }
        let progress = ProgressReporter(operation: operation, label: "Uploading bundle", total: total,
                                        mode: progressMode)
        progress.update(0)
        do {
            let report: S3UploadReport
            let callback: @Sendable (Int64) -> Void = { done in progress.update(UInt64(max(done, 0))) }
            if let policy {
                report = try await uploadWithPolicy(policy, parts: parts, manifest: manifest, progress: callback)
            } else {
                let transfer = S3Transfer(client: client, concurrency: concurrency)
                report = try await transfer.upload(
                    parts.map { S3UploadItem(file: $0, key: location.key($0.lastPathComponent)) },
                    then: manifest.map { S3UploadItem(file: $0, key: location.key($0.lastPathComponent)) },
                    bucket: location.bucket, options: S3PutOptions(acl: acl), skipExisting: true,
                    progress: callback)
            }
            progress.finish()
            if !report.skipped.isEmpty {
                client.log("\(report.skipped.count) of \(report.skipped.count + report.uploaded.count) files were already stored and not sent again")
            }
            return report
        } catch {
            progress.fail()
            throw error
        }
    }

    /// Uploads one file as `location`/its name — POST with the policy, or a signed PUT (no
    /// resume: for parts just made) — and returns its size.
    @discardableResult
    func put(_ file: URL) async throws -> Int64 {
        let key = location.key(file.lastPathComponent)
        if let policy {
            // A POST's form carries the file inside a multipart body, built in memory.
            let data = try S3Transfer.read(file)
            try await client.postObject(location.bucket, key, data: data, policy: policy, acl: acl)
            return Int64(data.count)
        }
        let region = try S3Client.region(of: file)
        try await client.putObject(location.bucket, key, file: region, digests: try client.fileDigests(region),
                                   options: S3PutOptions(acl: acl))
        return region.length
    }

    /// Requests in flight at once.
    var effectiveConcurrency: Int { concurrency ?? S3Transfer.defaultConcurrency }

    func uploadWithPolicy(_ policy: S3UploadPolicy, parts: [URL], manifest: URL?,
                          progress: @escaping @Sendable (Int64) -> Void) async throws -> S3UploadReport {
        let client = client, location = location, acl = acl
        let counter = S3ProgressCounter(progress)
        let post: @Sendable (URL) async throws -> (String, Int64) = { url in
            let data = try S3Transfer.read(url)
            let key = location.key(url.lastPathComponent)
            try await client.postObject(location.bucket, key, data: data, policy: policy, acl: acl)
            counter.add(Int64(data.count))
            return (key, Int64(data.count))
        }
        var sent = try await S3Parallel.map(parts, concurrency: concurrency ?? S3Transfer.defaultConcurrency, post)
        if let manifest { sent.append(try await post(manifest)) }
        var report = S3UploadReport()
        report.uploaded = sent.map(\.0)
        report.bytesUploaded = sent.reduce(0) { $0 + $1.1 }
        return report
    }

    /// What euca2ools prints: `Uploaded BUCKET/KEY` for each part under --debug, then for the
    /// manifest (nothing for it with --skipmanifest).
    public func printResult(partNames: [String], manifestName: String?, debug: Bool) {
        var lines: [String] = []
        if debug { lines += partNames.map { "Uploaded \(location.path($0))" } }
        if let manifestName { lines.append("Uploaded \(location.path(manifestName))") }
        if !lines.isEmpty { StandardStream.output.write(lines.map { $0 + "\n" }.joined()) }
    }

    // MARK: Options

    /// `--acl`: the canned ACLs euca2ools offers for bundles (aws-exec-read, the default,
    /// public-read and ec2-bundle-read) or any other canned ACL.
    static func cannedACL(_ text: String?) throws(UsageError) -> S3CannedACL {
        guard let text else { return .awsExecRead }
        guard let acl = S3CannedACL(rawValue: text) else {
            throw UsageError("argument --acl: expected one of \(S3CannedACL.allCases.map(\.rawValue).joined(separator: ", ")), got \(quoted(text))")
        }
        return acl
    }

    /// The upload policy from `--upload-policy`/`--upload-policy-file`, its signature and the
    /// key ID that signed it (-I, else the configured access key); nil without a policy.
    static func uploadPolicy(_ invocation: Invocation) throws -> S3UploadPolicy? {
        let arguments = invocation.arguments
        var text = arguments.string("upload-policy")
        if let file = arguments.string("upload-policy-file") {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UsageError("argument --upload-policy-file: cannot read \(quoted(file))")
            }
            text = String(decoding: data, as: UTF8.self)
        }
        guard let text else { return nil }
        let encoded: String
        do {
            encoded = try S3UploadPolicy.encodedPolicy(text)
        } catch {
            throw UsageError("argument --upload-policy: \(error.problem)")
        }
        // The declaration makes a policy require its signature.
        let signature = try arguments.required("upload-policy-signature")
        // The configured key pair, if there is a whole one; only its key ID is used.
        let configured = try? invocation.settings?.credentials.get().value
        guard let keyId = arguments.string("access-key-id") ?? configured?.accessKeyId, !keyId.isEmpty else {
            throw UsageError("-I/--access-key-id is required when using an upload policy")
        }
        let token = arguments.string("security-token") ?? configured?.sessionToken
        return S3UploadPolicy(accessKeyId: keyId, policy: encoded, signature: signature, securityToken: token)
    }

    /// `--location`, else `s3-location-constraint` in the euca2ools configuration's region.
    static func locationConstraint(_ invocation: Invocation) -> String? {
        if let given = invocation.arguments.string("location"), !given.isEmpty { return given }
        return invocation.settings?.s3LocationConstraint?.value
    }

    /// An S3 client for the endpoint that never needs the secret key: POST Object requests are
    /// authorized by the policy, not signed.
    static func unsignedClient(_ invocation: Invocation, accessKeyId: String) throws -> S3Client {
        try invocation.s3(credentials: Credentials(accessKeyId: accessKeyId, secretAccessKey: ""))
    }

    static func fileSize(_ url: URL) throws -> UInt64 {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            return (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        } catch {
            throw BundleError("cannot read \(url.path): \((error as NSError).localizedDescription)")
        }
    }
}
