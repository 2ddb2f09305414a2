/// The service answered with a redirect. We never follow one blindly: S3 clients re-sign for
/// the region it names; everything else reports where the endpoint points.
public struct RedirectError: Error, Equatable, CustomStringConvertible {
    public var status: Int
    public var host: String
    public var location: String?
    /// S3 says which region a bucket lives in (`x-amz-bucket-region`, or `<Region>` in the body).
    public var region: String?
    public var endpoint: String?

    public var description: String {
        var text = "\(host) answered HTTP \(status) \(HTTPStatus.reason(status))"
        if let region { text += ": the resource is in region \(region); use --region \(region)" }
        if let location { text += region == nil ? ": it points to \(location); set the endpoint URL to that" : " (\(location))" }
        else if let endpoint { text += region == nil ? ": use endpoint \(endpoint)" : "" }
        return text
    }
}
