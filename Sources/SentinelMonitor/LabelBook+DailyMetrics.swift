public import SentinelModel

extension LabelBook {
    /// One day's label metrics for one model version.
    public struct DailyMetrics: Sendable, Equatable {
        /// `YYYY-MM-DD`, the UTC date of the event time.
        public var day: String
        /// The model version.
        public var modelVersion: String
        /// Scored transactions that day (among those kept).
        public var transactions: UInt64
        /// Of which labelled.
        public var labelled: UInt64
        /// Of which labelled fraud.
        public var frauds: UInt64
        /// Average precision over the labelled transactions; NaN without a labelled fraud.
        public var averagePrecision: Double
        /// CP@100 of the day.
        public var cardPrecisionAt100: Double
        /// Precision, recall and fraud rate at the version's threshold, with intervals while labels are partial.
        public var performance: ThresholdPerformance
    }

    /// What the daily metrics need, gathered from the book: scored transactions per version and day, and the
    /// labelled entries.
    public struct LabelledRows: Sendable {
        /// A model version and a day (days since the epoch).
        public struct Key: Hashable, Sendable, Codable {
            /// The model version.
            public var version: String
            /// Days since the epoch.
            public var day: Int32

            /// Creates a key.
            public init(version: String, day: Int32) {
                self.version = version
                self.day = day
            }
        }

        /// Scored transactions per version and day.
        public var transactions: [Key: UInt64] = [:]
        /// The labelled entries.
        public var labelled: [Entry] = []
        /// Each version's decision threshold (a version missing here flags nothing).
        public var thresholds: [String: Double] = [:]
        /// The confidence level of the label metrics' intervals.
        public var confidence: Double = 0.95
    }
}
