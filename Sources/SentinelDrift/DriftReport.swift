/// The offline drift report behind `sentinel drift`: named reference and current columns compared with
/// every drift measure, the exact KS test and a status per column.
///
/// Reference bins come from the reference column's quantiles (``FeatureProfile/init(name:values:bins:)``;
/// a value equal to an edge belongs to the bin above). With both samples at hand the KS test is exact
/// (``KolmogorovSmirnov``). Statuses use the thresholds without hysteresis. Missing values (NaN) are left
/// out of every measure and counted.
///
/// ```swift
/// let report = try DriftReport(columns: ["Amount"], reference: [train], current: [live])
/// print(report.renderTable())
/// ```
public struct DriftReport: Sendable, Equatable, Codable {
    /// Options of the report.
    public struct Options: Sendable, Hashable, Codable {
        /// Number of quantile bins wanted per column (default 10; fewer when values repeat).
        public var bins: Int
        /// The status thresholds (default PSI 0.1 / 0.25).
        public var thresholds: DriftThresholds
        /// Force the KS p-value method; `nil` chooses as scipy's `auto`.
        public var ksMethod: KolmogorovSmirnov.Method?

        /// Creates options.
        /// - Parameters:
        ///   - bins: Number of quantile bins (at least 2; default 10).
        ///   - thresholds: Status thresholds.
        ///   - ksMethod: Force the KS p-value method, or `nil` for automatic.
        public init(
            bins: Int = 10, thresholds: DriftThresholds = DriftThresholds(), ksMethod: KolmogorovSmirnov.Method? = nil
        ) {
            self.bins = bins
            self.thresholds = thresholds
            self.ksMethod = ksMethod
        }
    }

    /// One column's result.
    public struct Column: Sendable, Equatable, Codable {
        /// The column's name.
        public var name: String
        /// The reference profile built from the reference column.
        public var profile: FeatureProfile
        /// Non-missing reference values.
        public var referenceCount: Int
        /// Non-missing current values.
        public var currentCount: Int
        /// Missing (NaN) reference values.
        public var referenceMissing: Int
        /// Missing (NaN) current values.
        public var currentMissing: Int
        /// The binned drift measures.
        public var statistics: DriftStatistics
        /// The exact (or, for large samples, asymptotic) two-sample KS test.
        public var ks: KolmogorovSmirnov
        /// The status, from the thresholds' measure.
        public var status: DriftLevel
        /// The current values in each of the profile's bins.
        public var currentCounts: [Int]
    }

    /// The options used.
    public var options: Options
    /// Per-column results, in the order asked for.
    public var columns: [Column]

    /// Computes the report.
    /// - Parameters:
    ///   - columns: Column names, one per entry of `reference` and `current`.
    ///   - reference: Reference values per column.
    ///   - current: Current values per column.
    ///   - options: Bins and thresholds.
    ///   - progress: Called with the columns done and the column count, before the first column and after each.
    /// - Throws: ``DriftError``: `.shapeMismatch` when the three arrays differ in length, `.invalidOption`
    ///   for fewer than 2 bins or bad thresholds, `.emptySample` when a column has no non-missing value
    ///   on either side.
    public init(
        columns names: [String], reference: [[Double]], current: [[Double]], options: Options = Options(),
        progress: ((_ completed: Int, _ total: Int) -> Void)? = nil
    ) throws(DriftError) {
        guard names.count == reference.count, names.count == current.count else {
            throw DriftError(
                .shapeMismatch,
                "\(names.count) column names but \(reference.count) reference and \(current.count) current columns"
            )
        }
        guard options.bins >= 2 else {
            throw DriftError(.invalidOption, "bins must be at least 2, got \(options.bins)")
        }
        try options.thresholds.validate()
        self.options = options
        var results: [Column] = []
        results.reserveCapacity(names.count)
        progress?(0, names.count)
        for (index, name) in names.enumerated() {
            var referenceValues = reference[index].filter { !$0.isNaN }
            var currentValues = current[index].filter { !$0.isNaN }
            guard !referenceValues.isEmpty, !currentValues.isEmpty else {
                throw DriftError(
                    .emptySample,
                    "column \(name) has \(referenceValues.count) reference and \(currentValues.count) "
                        + "current non-missing values; both need at least one"
                )
            }
            referenceValues.sort()
            currentValues.sort()
            let profile = FeatureProfile(name: name, values: referenceValues, bins: options.bins)
            let histogram = BinnedHistogram(values: currentValues, profile: profile)
            guard let statistics = DriftStatistics(reference: profile, current: histogram) else {
                preconditionFailure("non-empty current column gave an empty histogram")
            }
            let ks = KolmogorovSmirnov(sorted: referenceValues, currentValues, method: options.ksMethod)
            results.append(
                Column(
                    name: name,
                    profile: profile,
                    referenceCount: referenceValues.count,
                    currentCount: currentValues.count,
                    referenceMissing: reference[index].count - referenceValues.count,
                    currentMissing: current[index].count - currentValues.count,
                    statistics: statistics,
                    ks: ks,
                    status: options.thresholds.level(for: statistics.value(of: options.thresholds.metric)),
                    currentCounts: histogram.counts
                ))
            progress?(index + 1, names.count)
        }
        self.columns = results
    }

    /// The fraction of columns at warn or above.
    public var driftShare: Double {
        columns.isEmpty ? 0 : Double(columns.count { $0.status >= .warn }) / Double(columns.count)
    }

    /// The fraction of columns at alert.
    public var alertShare: Double {
        columns.isEmpty ? 0 : Double(columns.count { $0.status == .alert }) / Double(columns.count)
    }

    /// The files' drift level by ``DatasetDrift``'s rule, over the compared columns.
    public var datasetLevel: DriftLevel { DatasetDrift.level(columns.map(\.status)) }
}
