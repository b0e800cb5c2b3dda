extension Int {
    /// `self + other`, or `Int.max` / `Int.min` where the sum does not fit: for sizes built from
    /// request fields (token budgets, votes), which are refused by a range check afterwards
    /// rather than trapping on the way.
    public func saturatingAdding(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self * other`, or `Int.max` / `Int.min` where the product does not fit.
    public func saturatingMultiplied(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        return overflow ? ((self < 0) == (other < 0) ? .max : .min) : product
    }
}
