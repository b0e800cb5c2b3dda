extension Duration {
    /// The duration in seconds, as a double (timings in results and progress lines).
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
